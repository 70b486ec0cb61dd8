/**
 * Told how far a long job has come: `done` of `total` in its current stage. The command
 * line draws it as a progress bar; background jobs report it as a notification.
 */
export type ProgressListener = (stage: string, done: number, total: number) => void;
