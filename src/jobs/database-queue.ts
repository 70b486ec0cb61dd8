import { EventEmitter } from 'node:events';
import type { EntityData, MikroORM } from '@mikro-orm/core';
import type { SqlEntityManager } from '@mikro-orm/sql';
import { Job } from '../db/entities/index.ts';
import { quoter, selectRows } from '../db/rows.ts';
import {
  DEFAULT_MAX_ATTEMPTS,
  JOB_STATUSES,
  type JobInfo,
  type JobQueue,
  type JobStatus,
} from './queue.ts';

/**
 * Told of every job this process adds, so its own idle workers start it at once rather
 * than at their next poll; workers in other processes find it by polling.
 */
export const jobsAdded = new EventEmitter().setMaxListeners(0);

export function jobInfo(job: Job): JobInfo {
  return {
    id: String(job.id),
    name: job.name,
    status: job.status as JobStatus,
    payload: JSON.parse(job.payload),
    attempts: job.attempts,
    maxAttempts: job.maxAttempts,
    createdAt: job.createdAt,
    finishedAt: job.finishedAt ?? null,
    lastError: job.lastError ?? null,
  };
}

/** Job ids are whole numbers here; anything else names no job. */
const jobId = (id: string) => (/^\d{1,15}$/.test(id) ? Number(id) : null);

/**
 * The queue in the application's own database (the `job` table), for a site without Redis.
 * Workers are in src/jobs/database-worker.ts.
 */
export function databaseQueue(orm: MikroORM): JobQueue {
  const em = () => orm.em.fork() as SqlEntityManager;

  const get = async (id: string) => {
    const key = jobId(id);
    const job = key === null ? null : await em().findOne(Job, key);
    return job ? jobInfo(job) : null;
  };

  /** Moves job `id` from status `from` with `changes`; whether it was in `from` to move. */
  const transition = async (id: string, from: JobStatus, changes: EntityData<Job>) => {
    const key = jobId(id);
    if (key === null) return false;
    return (await em().nativeUpdate(Job, { id: key, status: from }, changes)) > 0;
  };

  return {
    async enqueue(name, payload, { maxAttempts = DEFAULT_MAX_ATTEMPTS } = {}) {
      const fork = em();
      const job = fork.create(Job, {
        name,
        payload: JSON.stringify(payload),
        status: 'waiting',
        attempts: 0,
        maxAttempts,
        runAt: new Date(),
      });
      await fork.flush();
      jobsAdded.emit('added');
      return String(job.id);
    },

    async counts() {
      const counts = Object.fromEntries(JOB_STATUSES.map((status) => [status, 0]));
      const fork = em();
      const rows = await selectRows<{ status: string; n: number | string }>(
        fork,
        `select status, count(*) as n from ${quoter(fork)('job')} group by status`,
        [],
      );
      for (const row of rows) counts[row.status] = Number(row.n);
      return counts as Record<JobStatus, number>;
    },

    async list({ status, limit = 50 } = {}) {
      const jobs = await em().find(Job, status ? { status } : {}, {
        orderBy: { id: 'desc' },
        limit,
      });
      return jobs.map(jobInfo);
    },

    get,

    async retry(id) {
      const retried = await transition(id, 'failed', {
        status: 'waiting',
        attempts: 0,
        runAt: new Date(),
        finishedAt: null,
      });
      if (retried) {
        jobsAdded.emit('added');
        return 'retried';
      }
      return (await get(id)) ? 'not-failed' : 'not-found';
    },

    async cancel(id) {
      if (await transition(id, 'waiting', { status: 'cancelled', finishedAt: new Date() })) {
        return 'cancelled';
      }
      const job = await get(id);
      if (!job) return 'not-found';
      return job.status === 'active' ? 'running' : 'finished';
    },

    async close() {
      // The ORM belongs to whoever opened it.
    },
  };
}
