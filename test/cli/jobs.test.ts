import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { projectRoot } from '../../src/config/load.ts';
import { memoryBus } from '../../src/events/bus.ts';
import { type JobQueue, openJobQueue, startWorker } from '../../src/jobs/index.ts';
import { createMailer } from '../../src/mail/mailer.ts';
import {
  currentDialect,
  openTestDatabase,
  runCli,
  TEST_SECRET_KEY,
  type TestContext,
  testConfig,
} from '../helpers.ts';
import { testHandlers } from '../support/job-handlers.ts';
import { jobBackends, redisSettings, silentLog, waitUntil } from '../support/jobs.ts';
import { seedUser } from '../support/pages.ts';
import { startServer } from '../support/server.ts';
import { mimePart, startSmtpServer, waitForMail } from '../support/smtp.ts';

for (const backend of jobBackends()) {
  describe(`microblog jobs, on ${backend.name}, on ${currentDialect()}`, {
    skip: backend.skip,
  }, () => {
    let db: TestContext;
    let env: Record<string, string>;
    let queue: JobQueue;
    let dir: string;
    const redis = backend.redis ? redisSettings() : undefined;
    before(async () => {
      db = await openTestDatabase();
      env = { DATABASE_URL: db.database.url, ...redis?.env };
      queue = openJobQueue(testConfig(db.database.url, redis?.env), db.orm, silentLog);
      dir = mkdtempSync(join(tmpdir(), 'microblog-cli-jobs-'));
    });
    after(async () => {
      await queue.close();
      await redis?.cleanUp();
      await db.close();
      rmSync(dir, { recursive: true, force: true });
    });

    /** A job that has failed for good, by a worker in this process. */
    async function failedJob(): Promise<string> {
      const config = testConfig(db.database.url, redis?.env);
      const mailer = createMailer(config.mail, silentLog);
      const setup = { config, orm: db.orm, mailer, events: memoryBus(), log: silentLog };
      const worker = startWorker(setup, testHandlers, { pollMs: 20 });
      try {
        const payload = { file: join(dir, 'trace'), key: 'broken' };
        const id = await queue.enqueue('fail', payload, { maxAttempts: 1 });
        await waitUntil(async () => (await queue.get(id))?.status === 'failed');
        return id;
      } finally {
        await worker.close();
      }
    }

    test('list shows the newest jobs and the counts; --json prints them as JSON', async () => {
      const empty = await runCli(['jobs', 'list'], env);
      assert.equal(empty.code, 0, empty.stderr);
      assert.match(
        empty.stdout,
        /^No jobs\.\n\nwaiting 0, active 0, completed 0, failed 0, cancelled 0\n$/,
      );
      const failed = await failedJob();
      const waiting = await queue.enqueue('password-reset', { email: 'x@example.com' });
      const listed = await runCli(['jobs', 'list'], env);
      const lines = listed.stdout.split('\n');
      assert.match(
        lines[0],
        /^ID +NAME +STATUS +ATTEMPTS +CREATED \(UTC\) +FINISHED \(UTC\) +LAST ERROR$/,
      );
      assert.match(
        lines[1],
        new RegExp(
          `^${waiting} +password-reset +waiting +0/3 +\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d$`,
        ),
      );
      assert.match(
        lines[2],
        new RegExp(`^${failed} +fail +failed +1/1 +[\\d :-]{19} +[\\d :-]{19} +boom on attempt 1$`),
      );
      assert.match(listed.stdout, /\nwaiting 1, active 0, completed 0, failed 1, cancelled 0\n$/);

      const json = await runCli(['jobs', 'list', '--status', 'failed', '--json'], env);
      const [job] = JSON.parse(json.stdout);
      assert.equal(job.id, failed);
      assert.equal(job.lastError, 'boom on attempt 1');
      assert.deepEqual(job.payload, { file: join(dir, 'trace'), key: 'broken' });
    });

    test('retry runs a failed job again; cancel stops a waiting one; mistakes are one line', async () => {
      const failed = await failedJob();
      const retried = await runCli(['jobs', 'retry', failed], env);
      assert.equal(retried.stdout, `Job ${failed} will run again.\n`);
      assert.equal((await queue.get(failed))?.status, 'waiting');
      const again = await runCli(['jobs', 'retry', failed], env);
      assert.equal(again.code, 1);
      assert.equal(
        again.stderr,
        `microblog: Job ${failed} has not failed: only a failed job can be retried\n`,
      );

      const cancelled = await runCli(['jobs', 'cancel', failed], env);
      assert.equal(cancelled.stdout, `Job ${failed} is cancelled.\n`);
      const twice = await runCli(['jobs', 'cancel', failed], env);
      assert.equal(twice.code, 1);
      assert.equal(
        twice.stderr,
        backend.redis
          ? `microblog: There is no job ${failed}\n`
          : `microblog: Job ${failed} has already finished\n`,
      );
      const unknown = await runCli(['jobs', 'retry', '987654'], env);
      assert.deepEqual([unknown.code, unknown.stderr], [1, 'microblog: There is no job 987654\n']);
      const status = await runCli(['jobs', 'list', '--status', 'stuck'], env);
      assert.equal(status.code, 1);
      assert.match(
        status.stderr,
        /^microblog: --status must be one of waiting, active, completed, failed, cancelled, not "stuck"\n$/,
      );
    });

    test('`microblog worker` runs the jobs, and closes on SIGTERM', async () => {
      const smtp = await startSmtpServer();
      await seedUser(db, 'wanda');
      const child = spawn(
        process.execPath,
        [join(projectRoot, 'bin', 'microblog.js'), 'worker', '--concurrency', '2'],
        {
          env: {
            ...process.env,
            ...env,
            SECRET_KEY: TEST_SECRET_KEY,
            MAIL_SERVER: '127.0.0.1',
            MAIL_PORT: String(smtp.port),
          },
        },
      );
      let output = '';
      child.stdout.on('data', (chunk) => {
        output += chunk;
      });
      child.stderr.on('data', (chunk) => {
        output += chunk;
      });
      const exited = new Promise((resolve) => child.on('close', resolve));
      try {
        const link = { url: 'https://client.example/reset', tokenIn: 'query' };
        await queue.enqueue('password-reset', { email: 'wanda@example.com', link });
        const mail = await waitForMail(smtp, 'wanda@example.com');
        assert.match(
          mimePart(mail.raw, 'text/plain') ?? '',
          /https:\/\/client\.example\/reset\?token=/,
        );
        assert.match(output, /worker started: taking jobs from (the database|Redis \(BullMQ\))/);
      } finally {
        child.kill('SIGTERM');
        assert.equal(await exited, 0, output);
        await smtp.close();
      }
      assert.match(output, /SIGTERM received: closing/);
    });
  });
}

describe(`microblog run and its worker on ${currentDialect()}`, () => {
  test('run works jobs off in its own process unless told not to', async () => {
    const smtp = await startSmtpServer();
    const db = await openTestDatabase();
    await seedUser(db, 'rhea');
    const env = {
      DATABASE_URL: db.database.url,
      SECRET_KEY: TEST_SECRET_KEY,
      MAIL_SERVER: '127.0.0.1',
      MAIL_PORT: String(smtp.port),
    };
    const ask = (url: string) =>
      fetch(`${url}/api/tokens/reset`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: 'rhea@example.com' }),
      });
    const queue = openJobQueue(testConfig(db.database.url), db.orm, silentLog);
    try {
      for (const off of [['--no-worker'], []]) {
        const extra: Record<string, string> = off.length > 0 ? {} : { IN_PROCESS_WORKER: 'false' };
        const server = await startServer({ ...env, ...extra }, off);
        assert.equal((await ask(server.url)).status, 204);
        await new Promise((resolve) => setTimeout(resolve, 1000));
        assert.equal(
          smtp.messages.length,
          0,
          `nothing is sent with ${off[0] ?? 'IN_PROCESS_WORKER=false'}`,
        );
        assert.equal(await server.stop('SIGTERM'), 0);
      }
      assert.equal((await queue.counts()).waiting, 2);
      const server = await startServer(env);
      await waitUntil(() => smtp.messages.length === 2, 10_000, 'for the queued emails');
      assert.equal(await server.stop('SIGTERM'), 0);
    } finally {
      await queue.close();
      await db.close();
      await smtp.close();
    }
  });
});
