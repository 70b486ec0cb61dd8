import assert from 'node:assert/strict';
import { after, afterEach, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { currentDialect, openTestDatabase, type TestContext } from '../helpers.ts';
import { openEventStream } from '../support/event-stream.ts';
import { redisSettings } from '../support/jobs.ts';
import { signIn, startApp } from '../support/pages.ts';

const TOKEN = 'metrics-token-for-the-tests';

describe(`health, readiness and metrics on ${currentDialect()}`, () => {
  let db: TestContext;
  let app: FastifyInstance | undefined;
  before(async () => {
    db = await openTestDatabase();
  });
  afterEach(async () => {
    await app?.close();
    app = undefined;
  });
  after(() => db.close());
  const start = async (env: Record<string, string> = {}) => {
    app = await startApp(db, { RATELIMIT_ENABLED: 'false', ...env });
    return app;
  };

  test('/readyz names Redis when REDIS_URL is set and it answers', async () => {
    const redis = redisSettings();
    const ready = await (await start(redis.env)).inject('/readyz');
    assert.equal(ready.statusCode, 200);
    assert.deepEqual(ready.json(), { status: 'ok', database: 'ok', redis: 'ok' });
  });

  test('/readyz is a 503 when Redis is unreachable; /healthz stays 200', async () => {
    const started = await start({ REDIS_URL: 'redis://127.0.0.1:1/0' });
    const ready = await started.inject('/readyz');
    assert.equal(ready.statusCode, 503);
    assert.deepEqual(ready.json(), { status: 'error', database: 'ok', redis: 'unreachable' });
    assert.equal((await started.inject('/healthz')).statusCode, 200);
  });

  test('/metrics is off without METRICS_TOKEN', async () => {
    assert.equal((await (await start()).inject('/metrics')).statusCode, 404);
  });

  test('/metrics wants the bearer token', async () => {
    const started = await start({ METRICS_TOKEN: TOKEN });
    assert.equal((await started.inject('/metrics')).statusCode, 401);
    const wrong = await started.inject({
      url: '/metrics',
      headers: { authorization: `Bearer ${TOKEN}x` },
    });
    assert.equal(wrong.statusCode, 401);
    assert.match(wrong.headers['www-authenticate'] as string, /^Bearer/);
  });

  test('/metrics counts requests per route, open streams, jobs and pooled connections', async () => {
    const started = await start({ METRICS_TOKEN: TOKEN });
    const ann = await signIn(started, 'ann');
    await ann.get('/explore');
    await ann.get('/user/ann');
    await openEventStream(started, ann, '/notifications/stream');
    const response = await started.inject({
      url: '/metrics',
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    assert.equal(response.statusCode, 200);
    assert.match(response.headers['content-type'] as string, /^text\/plain/);
    const text = response.body;
    assert.match(text, /http_requests_total\{method="GET",route="\/explore",status="200"\} 1/);
    // The route's pattern, not the user's URL.
    assert.match(
      text,
      /http_requests_total\{method="GET",route="\/user\/:username",status="200"\} 1/,
    );
    assert.match(text, /http_request_duration_seconds_count\{method="GET",route="\/explore"\} 1/);
    assert.match(text, /microblog_event_streams_open 1/);
    assert.match(text, /microblog_jobs\{status="waiting"\} \d+/);
    assert.match(text, /microblog_jobs\{status="failed"\} 0/);
    assert.match(text, /process_resident_memory_bytes \d+/);
    if (currentDialect() === 'sqlite') {
      assert.doesNotMatch(text, /microblog_database_connections\{/, 'SQLite has no pool');
    } else {
      // The requests above held a connection each: the pool has opened at least one.
      const total = Number(/microblog_database_connections\{state="total"\} (\d+)/.exec(text)?.[1]);
      assert.ok(total >= 1, `pool connections: ${total}`);
      assert.match(text, /microblog_database_connections\{state="idle"\} \d+/);
      assert.match(text, /microblog_database_connections\{state="waiting"\} 0/);
    }
  });
});
