import type { SqlEntityManager } from '@mikro-orm/sql';
import { Worker as BullWorker, type Job, UnrecoverableError } from 'bullmq';
import type { Redis } from 'ioredis';
import { QUEUE_NAME } from './bullmq-queue.ts';
import {
  DEFAULT_TIMINGS,
  type JobHandlers,
  type Worker,
  type WorkerOptions,
  type WorkerSetup,
} from './queue.ts';
import { FinalFailure, runJob } from './run-job.ts';

interface Running {
  job: Job;
  token: string;
  controller: AbortController;
}

/**
 * A BullMQ worker. BullMQ renews each job's lock while it runs; when a worker dies, another
 * worker's stalled-job check moves its job back to waiting once the lock has run out. Our
 * `runJob` decides when a job has failed for good, counting the runs whose worker died as
 * attempts, as the database queue does: so BullMQ's own stalled limit is set out of reach.
 * `connection` must be a blocking one (`maxRetriesPerRequest: null`).
 */
export function startBullmqWorker(
  { config, orm, mailer, events, log }: WorkerSetup,
  handlers: JobHandlers,
  connection: Redis,
  options: WorkerOptions = {},
): Worker {
  const { concurrency, lockMs, backoffMs, pollMs, graceMs } = { ...DEFAULT_TIMINGS, ...options };
  const services = () => ({ em: orm.em.fork() as SqlEntityManager, mailer, events, config });
  const running = new Map<string, Running>();

  const worker = new BullWorker(
    QUEUE_NAME,
    async (job, token = '', bullSignal) => {
      const controller = new AbortController();
      bullSignal?.addEventListener('abort', () => controller.abort(bullSignal.reason));
      const id = job.id ?? '';
      running.set(id, { job, token, controller });
      const at = { job: id, name: job.name, attempt: job.attemptsStarted };
      log.info(at, 'job started');
      try {
        const identity = { id, name: job.name, maxAttempts: job.opts.attempts ?? 1 };
        const run = { ...identity, attempt: job.attemptsStarted, signal: controller.signal };
        await runJob(handlers, services, { ...run, payload: job.data }, log);
        log.info(at, 'job completed');
      } catch (error) {
        if (error instanceof FinalFailure) {
          log.error({ ...at, err: error }, 'job failed for good');
          throw new UnrecoverableError(error.message);
        }
        log.warn({ ...at, err: error }, 'job failed; it will be retried');
        throw error;
      } finally {
        running.delete(id);
      }
    },
    {
      connection,
      prefix: config.redis.prefix,
      concurrency,
      lockDuration: lockMs,
      stalledInterval: Math.max(pollMs, lockMs / 2),
      maxStalledCount: Number.MAX_SAFE_INTEGER,
      settings: { backoffStrategy: (attemptsMade) => backoffMs * 2 ** (attemptsMade - 1) },
    },
  );
  worker.on('error', (error) => log.error({ err: error }, 'job worker error'));
  worker.on('stalled', (id) => log.warn({ job: id }, 'job taken over: its worker stopped'));

  return {
    async close() {
      const closing = worker.close();
      let timer: NodeJS.Timeout | undefined;
      const grace = new Promise<'late'>((resolve) => {
        timer = setTimeout(() => resolve('late'), graceMs);
      });
      if ((await Promise.race([closing, grace])) === 'late') {
        // Still running: hand them back to the queue for a worker to start anew.
        for (const { job, token, controller } of running.values()) {
          await job.moveToWait(token).catch(() => {});
          controller.abort(new Error('the worker is shutting down'));
          log.warn({ job: job.id, name: job.name }, 'job handed back to the queue: shutting down');
        }
        await Promise.race([closing, new Promise((resolve) => setTimeout(resolve, 1000))]);
      }
      clearTimeout(timer);
      connection.disconnect();
    },
  };
}
