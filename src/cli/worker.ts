import { jobHandlers } from '../domain/jobs.ts';
import { openEventBus } from '../events/open.ts';
import { startWorker } from '../jobs/index.ts';
import { createLogger } from '../logging.ts';
import { createMailer } from '../mail/mailer.ts';
import { openDatabase } from './database.ts';

/**
 * `microblog worker`: runs background jobs until SIGTERM or SIGINT, then stops taking new
 * ones, lets those it runs finish (or hands them back to the queue), and exits.
 */
export async function runWorker({ concurrency }: { concurrency: number }): Promise<void> {
  const { config, orm } = await openDatabase();
  const log = createLogger(config);
  const mailer = createMailer(config.mail, log);
  const events = openEventBus(config.redis, log);
  const worker = startWorker({ config, orm, mailer, events, log }, jobHandlers, { concurrency });
  const queue = config.redis.url ? 'Redis (BullMQ)' : 'the database';
  log.info({ concurrency }, `worker started: taking jobs from ${queue}`);
  const signal = await new Promise<string>((resolve) => {
    process.once('SIGTERM', () => resolve('SIGTERM'));
    process.once('SIGINT', () => resolve('SIGINT'));
  });
  log.info(`${signal} received: closing`);
  await worker.close();
  await events.close();
  mailer.close();
  await orm.close();
  process.exit(0);
}
