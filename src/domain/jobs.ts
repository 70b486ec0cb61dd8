import type { SqlEntityManager } from '@mikro-orm/sql';
import type { JobHandlers, JobQueue } from '../jobs/index.ts';
import { EXPORT_POSTS_JOB, exportPostsJob } from './export-posts.ts';
import { PASSWORD_RESET_JOB, passwordResetJob } from './password-reset.ts';
import { endTask, type TaskRef } from './tasks.ts';

/** Every kind of background job, by the name it is enqueued with. */
export const jobHandlers: JobHandlers = {
  [EXPORT_POSTS_JOB]: exportPostsJob,
  [PASSWORD_RESET_JOB]: passwordResetJob,
};

const isTaskRef = (payload: unknown): payload is TaskRef =>
  typeof (payload as Partial<TaskRef> | null)?.taskId === 'string';

/** Cancels a job no worker has started yet; a task that waited on it ends with it. */
export async function cancelJob(em: SqlEntityManager, jobs: JobQueue, id: string) {
  const job = await jobs.get(id);
  const outcome = await jobs.cancel(id);
  if (outcome === 'cancelled' && isTaskRef(job?.payload)) await endTask(em, job.payload.taskId);
  return outcome;
}
