import cluster, { type Worker } from 'node:cluster';
import { loadConfig } from './config/load.ts';
import { connectOrFail } from './db/connect.ts';
import { loadHistory } from './db/migrations/history.ts';
import { upgrade } from './db/migrations/runner.ts';
import { migrationsDir, openOrm } from './db/orm.ts';
import { createLogger } from './logging.ts';
import { runServer, type ServerOptions } from './server.ts';

/** A worker that dies sooner than this after starting is restarted after a pause, not at once. */
const STEADY_MS = 5_000;
const RESTART_PAUSE_MS = 1_000;

/**
 * `microblog run --workers N`: N server processes (node:cluster) sharing one port. The
 * primary applies pending migrations once, then forks the workers, which serve and run jobs
 * as `microblog run` does; it replaces a worker that dies. SIGTERM or SIGINT closes every
 * worker gracefully (each stops taking connections, finishes its requests, ends its event
 * streams) and exits once they have; SIGHUP replaces them one at a time, each new worker
 * listening before the old one closes, so the port is never without a server.
 * docs/decisions/0032-cluster.md
 */
export async function runCluster(workers: number, options: ServerOptions = {}) {
  if (cluster.isWorker) {
    await runServer({ ...options, migrate: false });
    return;
  }
  const config = loadConfig(process.env);
  const log = createLogger(config);
  if (workers > 1 && !config.redis.url) {
    // Each process would count rate limits alone and keep live events to itself.
    log.warn(
      'Several workers without REDIS_URL: rate limits count per process and live updates reach only the pages streaming from the process that raised them',
    );
  }
  await migrateOnce(config, log);
  const started = new Map<Worker, number>();
  const retiring = new Set<Worker>();
  let closing = false;

  const fork = () => {
    const worker = cluster.fork();
    started.set(worker, Date.now());
    return worker;
  };
  cluster.on('exit', (worker, code, signal) => {
    const age = Date.now() - (started.get(worker) ?? 0);
    started.delete(worker);
    if (closing || retiring.delete(worker)) return;
    log.warn({ pid: worker.process.pid, code, signal }, 'a worker died: starting another');
    setTimeout(fork, age < STEADY_MS ? RESTART_PAUSE_MS : 0);
  });

  const stop = (worker: Worker) =>
    new Promise<void>((resolve) => {
      if (worker.isDead()) return resolve();
      worker.once('exit', () => resolve());
      worker.process.kill('SIGTERM');
    });
  const listening = (worker: Worker) =>
    new Promise<void>((resolve, reject) => {
      worker.once('listening', () => resolve());
      worker.once('exit', () => reject(new Error('the new worker exited before listening')));
    });

  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    log.info(`${signal} received: closing ${started.size} workers`);
    await Promise.all([...started.keys()].map(stop));
    log.info('every worker has closed');
    process.exit(0);
  };
  let rolling = false;
  const rollingRestart = async () => {
    if (rolling || closing) return;
    rolling = true;
    log.info('SIGHUP received: replacing the workers one at a time');
    try {
      for (const old of [...started.keys()]) {
        if (closing) break;
        await listening(fork());
        retiring.add(old);
        await stop(old);
      }
      log.info('every worker has been replaced');
    } catch (error) {
      log.error({ err: error }, 'rolling restart stopped');
    } finally {
      rolling = false;
    }
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGHUP', () => void rollingRestart());
  log.info(`primary ${process.pid}: starting ${workers} workers`);
  for (let i = 0; i < workers; i++) fork();
}

/** Applies pending migrations before any worker starts, so no two workers race to. */
async function migrateOnce(
  config: ReturnType<typeof loadConfig>,
  log: { info(line: string): void },
) {
  const orm = await openOrm(config);
  try {
    await connectOrFail(orm, config.database);
    const history = await loadHistory(migrationsDir);
    await upgrade({ orm, database: config.database, history, log: (line) => log.info(line) });
  } finally {
    await orm.close();
  }
}
