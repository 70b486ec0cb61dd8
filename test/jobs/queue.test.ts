import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Config } from '../../src/config/load.ts';
import { memoryBus } from '../../src/events/bus.ts';
import {
  type JobQueue,
  openJobQueue,
  startWorker,
  type WorkerOptions,
} from '../../src/jobs/index.ts';
import { createMailer } from '../../src/mail/mailer.ts';
import { currentDialect, openTestDatabase, type TestContext, testConfig } from '../helpers.ts';
import { testHandlers, traceOf } from '../support/job-handlers.ts';
import {
  jobBackends,
  redisSettings,
  silentLog,
  startChildWorker,
  waitUntil,
} from '../support/jobs.ts';
import { openPageTest } from '../support/pages.ts';

for (const backend of jobBackends()) {
  describe(`the job queue on ${backend.name}, on ${currentDialect()}`, {
    skip: backend.skip,
  }, () => {
    let db: TestContext;
    let config: Config;
    let env: Record<string, string>;
    let queue: JobQueue;
    let dir: string;
    const redis = backend.redis ? redisSettings() : undefined;
    before(async () => {
      db = await openTestDatabase();
      env = { DATABASE_URL: db.database.url, ...redis?.env };
      config = testConfig(db.database.url, redis?.env);
      queue = openJobQueue(config, db.orm, silentLog);
      dir = mkdtempSync(join(tmpdir(), 'microblog-jobs-'));
    });
    after(async () => {
      await queue.close();
      await redis?.cleanUp();
      await db.close();
      rmSync(dir, { recursive: true, force: true });
    });

    const traceFile = (name: string) => join(dir, `${name}.trace`);
    const say = (file: string, key: string, word: string) =>
      appendFileSync(file, `${key} ${word} test 0\n`);
    const lines = (file: string, what: string) => traceOf(file).filter((line) => line[1] === what);
    const statusOf = async (id: string) => (await queue.get(id))?.status;
    const worker = (options: WorkerOptions) =>
      startWorker(
        {
          config,
          orm: db.orm,
          mailer: createMailer(config.mail, silentLog),
          events: memoryBus(),
          log: silentLog,
        },
        testHandlers,
        options,
      );

    test('two workers racing for the same jobs run each exactly once', async () => {
      const file = traceFile('race');
      const options = { concurrency: 3, pollMs: 20, lockMs: 5000 };
      const workers = await Promise.all([
        startChildWorker(env, options),
        startChildWorker(env, options),
      ]);
      try {
        const ids = await Promise.all(
          Array.from({ length: 60 }, (_, i) =>
            queue.enqueue('record', { file, key: `job${i}`, ms: 20 }),
          ),
        );
        await waitUntil(async () => {
          const statuses = await Promise.all(ids.map(statusOf));
          return statuses.every((status) => status === 'completed');
        }, 30_000);
        const done = lines(file, 'done');
        assert.equal(done.length, 60);
        assert.equal(new Set(done.map(([key]) => key)).size, 60, 'no job ran twice');
        assert.equal(lines(file, 'started-1').length, 60, 'none started twice');
        const pids = new Set(done.map((line) => line[2]));
        assert.deepEqual(
          pids,
          new Set(workers.map((child) => String(child.pid))),
          'both took some',
        );
      } finally {
        await Promise.all(workers.map((child) => child.stop('SIGTERM')));
      }
    });

    test('a job whose worker is killed is taken over by another once its lock runs out', async () => {
      const file = traceFile('killed');
      const child = await startChildWorker(env, { lockMs: 1000, pollMs: 50 });
      const id = await queue.enqueue('hang', { file, key: 'long' });
      await waitUntil(
        () => lines(file, 'started-1').length === 1,
        15_000,
        'for the child to start',
      );
      assert.equal(await statusOf(id), 'active');
      assert.equal(await child.stop('SIGKILL'), null);
      say(file, 'long', 'release');
      const rescuer = worker({ lockMs: 1000, pollMs: 100 });
      try {
        await waitUntil(async () => (await statusOf(id)) === 'completed', 15_000);
      } finally {
        await rescuer.close();
      }
      const trace = traceOf(file);
      const [first, second] = [lines(file, 'started-1')[0], lines(file, 'started-2')[0]];
      assert.equal(first[2], String(child.pid));
      assert.equal(second[2], String(process.pid));
      assert.deepEqual(
        lines(file, 'done').map((line) => line[2]),
        [String(process.pid)],
      );
      assert.equal(trace.length, 4, 'started, release, started again, done: nothing else');
      assert.equal((await queue.get(id))?.attempts, 2);
    });

    test('a failing job is retried with back-off, then failed with its error kept', async () => {
      const file = traceFile('failing');
      const running = worker({ backoffMs: 200, pollMs: 20 });
      try {
        const id = await queue.enqueue('fail', { file, key: 'bad' }, { maxAttempts: 3 });
        await waitUntil(async () => (await statusOf(id)) === 'failed', 15_000);
        const job = await queue.get(id);
        assert.equal(job?.attempts, 3);
        assert.equal(job?.maxAttempts, 3);
        assert.equal(job?.lastError, 'boom on attempt 3');
        assert.ok(job?.finishedAt instanceof Date);
        const times = ['started-1', 'started-2', 'started-3'].map((what) =>
          Number(lines(file, what)[0][3]),
        );
        assert.ok(times[1] - times[0] >= 200, `first retry after ${times[1] - times[0]} ms`);
        assert.ok(times[2] - times[1] >= 400, `second retry after ${times[2] - times[1]} ms`);
        assert.deepEqual(
          traceOf(file)
            .filter((line) => line[1].startsWith('gave-up'))
            .map((line) => line[1]),
          ['gave-up:boom_on_attempt_3'],
          'the handler is told once',
        );

        // Mended, and retried by hand: it runs afresh.
        say(file, 'bad', 'fixed');
        assert.equal(await queue.retry(id), 'retried');
        await waitUntil(async () => (await statusOf(id)) === 'completed', 15_000);
        assert.equal((await queue.get(id))?.attempts, 1);
        assert.equal(await queue.retry(id), 'not-failed');
        assert.equal(await queue.retry('424242'), 'not-found');
      } finally {
        await running.close();
      }
    });

    test('a waiting job can be cancelled, a running one cannot', async () => {
      const file = traceFile('cancel');
      const id = await queue.enqueue('record', { file, key: 'never', ms: 0 });
      assert.equal(await queue.cancel(id), 'cancelled');
      // BullMQ has no cancelled state: the job is removed.
      const after = await queue.get(id);
      if (backend.redis) assert.equal(after, null);
      else assert.equal(after?.status, 'cancelled');
      assert.equal(await queue.cancel(id), backend.redis ? 'not-found' : 'finished');
      assert.equal(await queue.cancel('424242'), 'not-found');

      const running = worker({ pollMs: 20 });
      try {
        const other = await queue.enqueue('hang', { file, key: 'busy' });
        await waitUntil(() => lines(file, 'started-1').length === 1);
        assert.equal(await queue.cancel(other), 'running');
        say(file, 'busy', 'release');
        await waitUntil(async () => (await statusOf(other)) === 'completed');
        assert.equal(await queue.cancel(other), 'finished');
      } finally {
        await running.close();
      }
      assert.deepEqual(
        traceOf(file).map((line) => line[0]),
        ['busy', 'busy', 'busy'],
        'the cancelled job never ran',
      );
    });

    test('SIGTERM hands a running job back to the queue, and a new job wakes an idle worker', async () => {
      const file = traceFile('sigterm');
      const child = await startChildWorker(env, { graceMs: 300, pollMs: 50 });
      const id = await queue.enqueue('hang', { file, key: 'long' });
      await waitUntil(() => lines(file, 'started-1').length === 1, 15_000);
      const stopping = Date.now();
      assert.equal(await child.stop('SIGTERM'), 0);
      assert.ok(Date.now() - stopping < 5000, 'the worker did not wait for the job');
      assert.equal(await statusOf(id), 'waiting');

      say(file, 'long', 'release');
      const idle = worker({ pollMs: 60_000 });
      try {
        await waitUntil(async () => (await statusOf(id)) === 'completed', 5000);
        const quick = await queue.enqueue('record', { file, key: 'quick', ms: 0 });
        await waitUntil(async () => (await statusOf(quick)) === 'completed', 5000);
      } finally {
        await idle.close();
      }
      const counts = await queue.counts();
      assert.ok(counts.completed >= 2);
      const listed = await queue.list({ status: 'completed', limit: 500 });
      assert.ok(listed.some((job) => job.id === id && job.name === 'hang'));
      const newest = await queue.list({ limit: 1 });
      assert.equal(newest[0].payload && (newest[0].payload as { key: string }).key, 'quick');
    });
  });
}

describe('the BullMQ job queue while Redis is away', {
  skip: currentDialect() !== 'sqlite' && 'runs on the SQLite pass',
}, () => {
  // Nothing listens on port 1: the connection keeps retrying.
  const away = { REDIS_URL: 'redis://127.0.0.1:1', REDIS_PREFIX: '{mbtest-away}' };

  test('fails within two seconds, and a password-reset request still answers', async () => {
    const { app, close } = await openPageTest(away);
    try {
      const started = Date.now();
      await assert.rejects(app.jobs.enqueue('record', {}), /Redis is unreachable/);
      assert.ok(Date.now() - started < 3000);
      const answer = await app.inject({
        method: 'POST',
        url: '/api/tokens/reset',
        payload: { email: 'someone@example.com' },
      });
      assert.equal(answer.statusCode, 204);
    } finally {
      await close();
    }
  });
});
