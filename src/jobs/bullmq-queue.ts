import { type Job, type JobType, Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { untilReady } from '../redis/connection.ts';
import {
  DEFAULT_MAX_ATTEMPTS,
  type JobInfo,
  type JobQueue,
  type JobStatus,
  KEEP_FINISHED_MS,
} from './queue.ts';

/** The one BullMQ queue every kind of job goes through; its keys are `<REDIS_PREFIX>:jobs:…`. */
export const QUEUE_NAME = 'jobs';

/** The backoff type whose delays the workers compute (src/jobs/bullmq-worker.ts). */
export const BACKOFF_TYPE = 'microblog';

/** BullMQ's states, as our statuses; a cancelled job is removed, so none is `cancelled`. */
const STATES: Record<Exclude<JobStatus, 'cancelled'>, JobType[]> = {
  waiting: ['wait', 'prioritized', 'delayed', 'waiting-children'],
  active: ['active'],
  completed: ['completed'],
  failed: ['failed'],
};

function statusOf(state: string): JobStatus {
  for (const [status, states] of Object.entries(STATES)) {
    if ((states as string[]).includes(state)) return status as JobStatus;
  }
  return 'waiting';
}

function jobInfo(job: Job, status: JobStatus): JobInfo {
  return {
    id: job.id ?? '',
    name: job.name,
    status,
    payload: job.data,
    attempts: job.attemptsStarted,
    maxAttempts: job.opts.attempts ?? 1,
    createdAt: new Date(job.timestamp),
    finishedAt: job.finishedOn ? new Date(job.finishedOn) : null,
    lastError: job.failedReason || null,
  };
}

/**
 * The queue on Redis, through BullMQ, for sites with REDIS_URL. While Redis is away every
 * call fails within two seconds (`untilReady`, and `connection`'s commands fail fast), so a
 * request that enqueues gets an error rather than hanging. Every key starts with `prefix` (BullMQ's own option: an
 * ioredis keyPrefix would break its scripts).
 */
export function bullmqQueue(connection: Redis, prefix: string): JobQueue {
  const queue = new Queue(QUEUE_NAME, { connection, prefix });
  // Without a listener, an 'error' event (Redis away) would crash the process.
  queue.on('error', () => {});

  const get = async (id: string) => {
    await untilReady(connection);
    const job = await queue.getJob(id);
    return job ? jobInfo(job, statusOf(await job.getState())) : null;
  };

  return {
    async enqueue(name, payload, { maxAttempts = DEFAULT_MAX_ATTEMPTS } = {}) {
      await untilReady(connection);
      const job = await queue.add(name, payload, {
        attempts: maxAttempts,
        backoff: { type: BACKOFF_TYPE },
        removeOnComplete: { age: KEEP_FINISHED_MS / 1000 },
        removeOnFail: false,
      });
      return job.id ?? '';
    },

    async counts() {
      await untilReady(connection);
      const counts = await queue.getJobCounts(...Object.values(STATES).flat());
      const total = (status: keyof typeof STATES) =>
        STATES[status].reduce((sum, state) => sum + (counts[state] ?? 0), 0);
      return {
        waiting: total('waiting'),
        active: total('active'),
        completed: total('completed'),
        failed: total('failed'),
        cancelled: 0,
      };
    },

    async list({ status, limit = 50 } = {}) {
      if (status === 'cancelled') return [];
      await untilReady(connection);
      const statuses = status ? [status] : (Object.keys(STATES) as (keyof typeof STATES)[]);
      const found = await Promise.all(
        statuses.map(async (each) =>
          (await queue.getJobs(STATES[each], 0, limit - 1)).map((job) => jobInfo(job, each)),
        ),
      );
      return found
        .flat()
        .sort(
          (a, b) => b.createdAt.getTime() - a.createdAt.getTime() || Number(b.id) - Number(a.id),
        )
        .slice(0, limit);
    },

    get,

    async retry(id) {
      await untilReady(connection);
      const job = await queue.getJob(id);
      if (!job) return 'not-found';
      if ((await job.getState()) !== 'failed') return 'not-failed';
      await job.retry('failed', { resetAttemptsMade: true, resetAttemptsStarted: true });
      return 'retried';
    },

    async cancel(id) {
      await untilReady(connection);
      const job = await queue.getJob(id);
      if (!job) return 'not-found';
      const status = statusOf(await job.getState());
      if (status !== 'waiting') return status === 'active' ? 'running' : 'finished';
      try {
        await job.remove();
        return 'cancelled';
      } catch {
        // A worker took it in the meantime: its lock forbids the removal.
        return 'running';
      }
    },

    async close() {
      await queue.close();
      connection.disconnect();
    },
  };
}
