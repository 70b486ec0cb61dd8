import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { EntityData } from '@mikro-orm/core';
import type { SqlEntityManager } from '@mikro-orm/sql';
import { Job } from '../db/entities/index.ts';
import { rowLock } from '../db/transaction.ts';
import { jobsAdded } from './database-queue.ts';
import {
  DEFAULT_TIMINGS,
  type JobHandlers,
  KEEP_FINISHED_MS,
  type Worker,
  type WorkerOptions,
  type WorkerSetup,
} from './queue.ts';
import { errorMessage, FinalFailure, runJob } from './run-job.ts';

interface Running {
  job: Job;
  controller: AbortController;
  done: Promise<void>;
}

const PRUNE_EVERY_MS = 60 * 60 * 1000;

/**
 * A worker over the `job` table. It claims the oldest due waiting job, or an active one
 * whose lock ran out (its worker died), in a transaction: `for update skip locked` on
 * PostgreSQL and MariaDB, so racing workers each take a different row, and SQLite's
 * `begin immediate`, which lets one writer in at a time. While a job runs its lock is renewed
 * (a heartbeat), and only the worker still holding it may record how it ended.
 */
export function startDatabaseWorker(
  { config, orm, mailer, events, log }: WorkerSetup,
  handlers: JobHandlers,
  options: WorkerOptions = {},
): Worker {
  const { concurrency, lockMs, backoffMs, pollMs, graceMs } = { ...DEFAULT_TIMINGS, ...options };
  const workerId = `${hostname().slice(0, 40)}:${process.pid}:${randomBytes(3).toString('hex')}`;
  const em = () => orm.em.fork() as SqlEntityManager;
  const lockMode = rowLock(em(), { skipLocked: true });
  const services = () => ({ em: em(), mailer, events, config });
  const running = new Map<number, Running>();
  let stopping = false;
  let lastPrune = 0;

  let wake = () => {};
  const rest = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(() => wake(), ms);
      wake = () => {
        clearTimeout(timer);
        wake = () => {};
        resolve();
      };
    });
  const onAdded = () => wake();
  jobsAdded.on('added', onAdded);

  const claim = () =>
    em().transactional(async (tx) => {
      const now = new Date();
      const job =
        (await tx.findOne(
          Job,
          { status: 'active', lockedUntil: { $lt: now } },
          { orderBy: { id: 'asc' }, lockMode },
        )) ??
        (await tx.findOne(
          Job,
          { status: 'waiting', runAt: { $lte: now } },
          { orderBy: { runAt: 'asc', id: 'asc' }, lockMode },
        ));
      if (!job) return null;
      if (job.status === 'active') {
        log.warn({ job: job.id, name: job.name }, 'job taken over: its worker stopped');
      }
      job.status = 'active';
      job.attempts += 1;
      job.lockedBy = workerId;
      job.lockedUntil = new Date(now.getTime() + lockMs);
      return job;
    });

  /** Records how the job ended, if this worker still holds it; false if it lost it. */
  const finish = async (job: Job, change: EntityData<Job>) =>
    (await em().nativeUpdate(
      Job,
      { id: job.id, status: 'active', lockedBy: workerId },
      { ...change, lockedBy: null, lockedUntil: null },
    )) > 0;

  async function run(job: Job, signal: AbortSignal) {
    const at = { job: job.id, name: job.name, attempt: job.attempts };
    log.info(at, 'job started');
    try {
      const payload = JSON.parse(job.payload) as unknown;
      const identity = { id: String(job.id), name: job.name, maxAttempts: job.maxAttempts };
      await runJob(
        handlers,
        services,
        { ...identity, attempt: job.attempts, signal, payload },
        log,
      );
      if (await finish(job, { status: 'completed', finishedAt: new Date() })) {
        log.info(at, 'job completed');
      } else log.warn(at, 'job finished after its lock was lost; its result is not recorded');
    } catch (error) {
      if (signal.aborted) return log.warn(at, 'job stopped: this worker no longer holds it');
      const lastError = errorMessage(error);
      if (error instanceof FinalFailure || job.attempts >= job.maxAttempts) {
        await finish(job, { status: 'failed', finishedAt: new Date(), lastError });
        return log.error({ ...at, err: error }, 'job failed for good');
      }
      const delay = backoffMs * 2 ** (job.attempts - 1);
      await finish(job, { status: 'waiting', runAt: new Date(Date.now() + delay), lastError });
      log.warn({ ...at, err: error, retryInMs: delay }, 'job failed; it will be retried');
    }
  }

  const heartbeat = setInterval(async () => {
    for (const { job, controller } of running.values()) {
      if (controller.signal.aborted) continue;
      const renewed = await em()
        .nativeUpdate(
          Job,
          { id: job.id, status: 'active', lockedBy: workerId },
          { lockedUntil: new Date(Date.now() + lockMs) },
        )
        .catch(() => -1);
      // A failed renewal may be the database's hiccup; only a missing row means it is lost.
      if (renewed === 0) controller.abort(new Error('the job was taken over or cancelled'));
    }
  }, lockMs / 3);

  async function prune() {
    lastPrune = Date.now();
    const before = new Date(lastPrune - KEEP_FINISHED_MS);
    await em().nativeDelete(Job, {
      status: { $in: ['completed', 'cancelled'] },
      finishedAt: { $lt: before },
    });
  }

  async function loop() {
    while (!stopping) {
      if (running.size >= concurrency) {
        await rest(pollMs);
        continue;
      }
      let job: Job | null;
      try {
        if (Date.now() - lastPrune > PRUNE_EVERY_MS) await prune();
        job = await claim();
      } catch (error) {
        log.error({ err: error }, 'could not claim a job; trying again shortly');
        await rest(pollMs * 10);
        continue;
      }
      if (!job) {
        await rest(pollMs);
        continue;
      }
      const claimed = job;
      const controller = new AbortController();
      const done = run(claimed, controller.signal)
        .catch((error) => log.error({ err: error, job: claimed.id }, 'could not record a job'))
        .finally(() => {
          running.delete(claimed.id);
          wake();
        });
      running.set(claimed.id, { job: claimed, controller, done });
    }
  }

  const looping = loop();
  return {
    async close() {
      stopping = true;
      jobsAdded.off('added', onAdded);
      wake();
      await looping;
      const finished = Promise.allSettled([...running.values()].map((entry) => entry.done));
      let timer: NodeJS.Timeout | undefined;
      const grace = new Promise((resolve) => {
        timer = setTimeout(resolve, graceMs);
      });
      await Promise.race([finished, grace]);
      clearTimeout(timer);
      clearInterval(heartbeat);
      // Still running: hand them back, their attempt not counted, for a worker to start anew.
      for (const { job, controller } of running.values()) {
        const attempts = job.attempts - 1;
        await finish(job, { status: 'waiting', attempts, runAt: new Date() }).catch(() => {});
        controller.abort(new Error('the worker is shutting down'));
        log.warn({ job: job.id, name: job.name }, 'job handed back to the queue: shutting down');
      }
    },
  };
}
