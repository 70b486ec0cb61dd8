import type { MikroORM } from '@mikro-orm/core';
import type { SqlEntityManager } from '@mikro-orm/sql';
import type { Config } from '../config/load.ts';
import type { EventBus } from '../events/bus.ts';
import type { Mailer } from '../mail/mailer.ts';
import type { RedisLog } from '../redis/connection.ts';

/**
 * Background jobs: one API over two backends, BullMQ on Redis with REDIS_URL and the
 * application's own `job` table without it (src/jobs/index.ts picks one).
 * docs/decisions/0018-background-jobs.md
 */

/** `waiting` includes jobs waiting out a retry's back-off. */
export const JOB_STATUSES = ['waiting', 'active', 'completed', 'failed', 'cancelled'] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];

export interface JobInfo {
  id: string;
  name: string;
  status: JobStatus;
  payload: unknown;
  /** How many times a worker has started it. */
  attempts: number;
  maxAttempts: number;
  createdAt: Date;
  finishedAt: Date | null;
  /** The last failure's message, kept once the job has failed for good. */
  lastError: string | null;
}

export interface JobQueue {
  /** Adds a job; a worker runs it as soon as one is free. Returns its id. */
  enqueue(name: string, payload: object, options?: { maxAttempts?: number }): Promise<string>;
  counts(): Promise<Record<JobStatus, number>>;
  /** The newest jobs first, of one status or all. */
  list(options?: { status?: JobStatus; limit?: number }): Promise<JobInfo[]>;
  get(id: string): Promise<JobInfo | null>;
  /** Runs a failed job again, its attempts counted afresh. */
  retry(id: string): Promise<'retried' | 'not-found' | 'not-failed'>;
  /** Cancels a job no worker has started yet. */
  cancel(id: string): Promise<'cancelled' | 'not-found' | 'running' | 'finished'>;
  close(): Promise<void>;
}

export const DEFAULT_MAX_ATTEMPTS = 3;

/** The run of a job a handler is given. */
export interface JobRun {
  id: string;
  name: string;
  /** 1 on the first run; counts runs whose worker died too. */
  attempt: number;
  maxAttempts: number;
  /** Aborted when the worker lost the job (its lock ran out) or shuts down: stop soon. */
  signal: AbortSignal;
}

/** What a handler works with: its own unit of work, and the process's mailer and event bus. */
export interface JobServices {
  em: SqlEntityManager;
  mailer: Mailer;
  events: EventBus;
  config: Config;
}

/**
 * How to run one kind of job. `failed` is told once the job has failed for good (its last
 * attempt threw, or its worker died once too often), so a task it reports on can end.
 */
export interface JobDefinition<Payload = never> {
  run(services: JobServices, payload: Payload, job: JobRun): Promise<void>;
  failed?(services: JobServices, payload: Payload, error: string): Promise<void>;
}

// biome-ignore lint/suspicious/noExplicitAny: each definition checks its own payload type.
export type JobHandlers = Record<string, JobDefinition<any>>;

/** What the log of a worker needs. */
export interface JobLog {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

/** What a worker runs on: the process's database, mailer, event bus and log. */
export interface WorkerSetup {
  config: Config;
  orm: MikroORM;
  mailer: Mailer;
  events: EventBus;
  log: JobLog & RedisLog;
}

/** Timings are settable so tests of a dead worker take seconds, not minutes. */
export interface WorkerOptions {
  /** Jobs run at once by this worker (default 1). */
  concurrency?: number;
  /** How long a job stays claimed without a heartbeat; a dead worker's job waits this long. */
  lockMs?: number;
  /** The first retry's delay; each next one doubles it. */
  backoffMs?: number;
  /** How often an idle worker looks for due jobs, and for jobs whose worker died. */
  pollMs?: number;
  /** How long `close()` lets running jobs finish before handing them back to the queue. */
  graceMs?: number;
}

export const DEFAULT_TIMINGS = {
  concurrency: 1,
  lockMs: 30_000,
  backoffMs: 5_000,
  pollMs: 500,
  graceMs: 8_000,
} satisfies Required<WorkerOptions>;

export interface Worker {
  /** Stops taking jobs, lets running ones finish (or hands them back), and resolves. */
  close(): Promise<void>;
}

/** Completed and cancelled jobs are deleted after a week; failed ones stay for `jobs retry`. */
export const KEEP_FINISHED_MS = 7 * 24 * 60 * 60 * 1000;
