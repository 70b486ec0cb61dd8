import type { JobDefinition, JobHandlers, JobLog, JobRun, JobServices } from './queue.ts';

/** A failure that no retry can mend: the backend marks the job failed at once. */
export class FinalFailure extends Error {
  override name = 'FinalFailure';
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

async function tellFailed(
  definition: JobDefinition<unknown>,
  services: JobServices,
  payload: unknown,
  error: string,
  log: JobLog,
) {
  try {
    await definition.failed?.(services, payload as never, error);
  } catch (hookError) {
    log.error({ err: hookError }, 'a failed job could not clean up');
  }
}

/**
 * Runs one job with its handler, for either backend. Throws what the handler threw while
 * attempts remain (the backend retries it after a back-off), or a FinalFailure once none
 * remain, after telling the handler. A job whose run started more often than it may (its
 * workers died) fails without running again.
 */
export async function runJob(
  handlers: JobHandlers,
  services: () => JobServices,
  job: JobRun & { payload: unknown },
  log: JobLog,
): Promise<void> {
  const definition = handlers[job.name];
  if (!definition) throw new FinalFailure(`no handler for jobs called "${job.name}"`);
  if (job.attempt > job.maxAttempts) {
    const error = `its worker stopped while running it, ${job.maxAttempts} times`;
    await tellFailed(definition, services(), job.payload, error, log);
    throw new FinalFailure(error);
  }
  const own = services();
  try {
    await definition.run(own, job.payload as never, job);
  } catch (error) {
    // A job this worker lost is another's now; what it does with it is not our business.
    if (job.signal.aborted || job.attempt < job.maxAttempts) throw error;
    const message = errorMessage(error);
    await tellFailed(definition, services(), job.payload, message, log);
    throw new FinalFailure(message);
  }
}
