/**
 * A worker in a process of its own, for the queue tests to race or kill: it runs the test
 * jobs of test/support/job-handlers.ts with the WORKER_OPTIONS (JSON) given, prints `ready`,
 * and on SIGTERM closes as `microblog worker` does. Settings come from the environment.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../src/config/load.ts';
import { connectOrFail } from '../../src/db/connect.ts';
import { openOrm } from '../../src/db/orm.ts';
import { memoryBus } from '../../src/events/bus.ts';
import { startWorker } from '../../src/jobs/index.ts';
import { createMailer } from '../../src/mail/mailer.ts';
import { testHandlers } from './job-handlers.ts';

const config = loadConfig(process.env, mkdtempSync(join(tmpdir(), 'microblog-worker-')));
const orm = await openOrm(config);
await connectOrFail(orm, config.database);
const write = (level: string) => (obj: object | string, msg?: string) =>
  process.stderr.write(
    `${JSON.stringify({ level, ...(typeof obj === 'string' ? { msg: obj } : { msg, ...obj }) })}\n`,
  );
const log = { info: write('info'), warn: write('warn'), error: write('error') };
const worker = startWorker(
  { config, orm, mailer: createMailer(config.mail, log), events: memoryBus(), log },
  testHandlers,
  JSON.parse(process.env.WORKER_OPTIONS ?? '{}'),
);
process.once('SIGTERM', async () => {
  await worker.close();
  await orm.close();
  process.exit(0);
});
process.stdout.write('ready\n');
