import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, test } from 'node:test';
import { buildApp } from '../src/app.ts';
import { Post, User } from '../src/db/entities/index.ts';
import { currentDialect, openTestDatabase, type TestContext } from './helpers.ts';

describe(`web skeleton on ${currentDialect()}`, () => {
  let db: TestContext;
  let app: Awaited<ReturnType<typeof buildApp>>;
  const logs: Record<string, unknown>[] = [];

  // A new database and app for each test: explore starts empty, the log holds this test's lines.
  beforeEach(async () => {
    logs.length = 0;
    db = await openTestDatabase();
    const stream = { write: (line: string) => logs.push(JSON.parse(line)) };
    app = await buildApp(db.config, { logger: { level: 'info', stream } });
    // A route that writes, then fails: the 500 page must discard the write.
    app.get('/test/fail-after-write', async (request) => {
      request.em.create(User, { username: 'ghost', email: 'ghost@mail.com' });
      throw new Error('boom');
    });
    await app.ready();
  });
  afterEach(async () => {
    await app.close();
    await db.close();
  });

  test('explore is empty on a new database', async () => {
    const response = await app.inject('/explore');
    assert.equal(response.statusCode, 200);
    assert.match(response.headers['content-type'] as string, /^text\/html/);
    assert.match(response.body, /<p class="text-body-secondary empty">No posts yet\.<\/p>/);
    assert.match(response.body, /^<!doctype html>\n<html lang="en">/);
  });

  test('explore lists the latest posts with their authors, escaped', async () => {
    const em = db.em();
    const mary = em.create(User, { username: 'mary', email: 'mary@mail.com' });
    em.create(Post, { body: 'older', author: mary, timestamp: new Date(Date.UTC(2026, 0, 1)) });
    em.create(Post, { body: '<script>alert("x")</script>', author: mary });
    await em.flush();
    const response = await app.inject('/explore');
    assert.equal(response.statusCode, 200);
    const items = [...response.body.matchAll(/<article [^>]*>(.*?)<\/article>/g)].map(
      (match) => match[1],
    );
    assert.equal(items.length, 2);
    assert.match(
      items[0],
      /<a href="\/user\/mary" class="fw-semibold author user_popup">mary<\/a>/,
    );
    assert.match(items[0], /&lt;script>alert\(&quot;x&quot;\)&lt;\/script>/);
    assert.ok(!response.body.includes('<script>alert'), 'user content is escaped');
    assert.match(items[1], /<time datetime="2026-01-01T00:00:00.000Z".*older/);
  });

  test('/healthz answers while the process does; /readyz checks the database', async () => {
    const response = await app.inject('/healthz');
    assert.equal(response.statusCode, 200);
    assert.deepEqual(response.json(), { status: 'ok' });
    const ready = await app.inject('/readyz');
    assert.equal(ready.statusCode, 200);
    assert.deepEqual(ready.json(), { status: 'ok', database: 'ok' });
  });

  test('password-reset tokens never reach the log', async () => {
    logs.length = 0;
    await app.inject('/auth/reset_password/eyJzdWIiOjF9.live-token-value?x=1');
    const text = JSON.stringify(logs);
    assert.match(text, /\/auth\/reset_password\/\[redacted\]/, 'the request is still logged');
    assert.doesNotMatch(text, /live-token-value|eyJzdWIiOjF9/);
  });

  test('an unknown page is a 404 page', async () => {
    const response = await app.inject('/no/such/page');
    assert.equal(response.statusCode, 404);
    assert.match(response.body, /<h1>Not found<\/h1>/);
  });

  test('a 500 page rolls back the request and logs the error with its request id', async () => {
    logs.length = 0;
    const response = await app.inject('/test/fail-after-write');
    assert.equal(response.statusCode, 500);
    assert.match(response.body, /<h1>An unexpected error has occurred<\/h1>/);
    assert.ok(!response.body.includes('boom'), 'no error detail reaches the page');
    assert.ok(!response.body.includes('at '), 'no stack trace');
    assert.equal(await db.em().count(User, { username: 'ghost' }), 0);
    const entry = logs.find((line) => line.msg === 'request failed');
    assert.ok(entry, 'the failure is logged');
    assert.equal(typeof entry.reqId, 'string');
    assert.equal((entry.err as { message: string }).message, 'boom');
    // A later request's flush must not carry the failed request's changes.
    const em = db.em();
    em.create(User, { username: 'later', email: 'later@mail.com' });
    await em.flush();
    assert.equal(await db.em().count(User, { username: 'ghost' }), 0);
  });
});
