import type { MikroORM } from '@mikro-orm/core';
import type { Config } from '../config/load.ts';
import { connectRedis, type RedisLog } from '../redis/connection.ts';
import { bullmqQueue } from './bullmq-queue.ts';
import { startBullmqWorker } from './bullmq-worker.ts';
import { databaseQueue } from './database-queue.ts';
import { startDatabaseWorker } from './database-worker.ts';
import type { JobHandlers, JobQueue, Worker, WorkerOptions, WorkerSetup } from './queue.ts';

export type * from './queue.ts';

/** The job queue: BullMQ on Redis with REDIS_URL, the database's `job` table without it. */
export function openJobQueue(config: Config, orm: MikroORM, log: RedisLog): JobQueue {
  const { url, prefix } = config.redis;
  return url ? bullmqQueue(connectRedis(url, log), prefix) : databaseQueue(orm);
}

/** A worker running `handlers` on the same backend as `openJobQueue`. */
export function startWorker(
  setup: WorkerSetup,
  handlers: JobHandlers,
  options: WorkerOptions = {},
): Worker {
  const { url } = setup.config.redis;
  if (!url) return startDatabaseWorker(setup, handlers, options);
  const connection = connectRedis(url, setup.log, { blocking: true });
  return startBullmqWorker(setup, handlers, connection, options);
}
