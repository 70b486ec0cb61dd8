import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { Redis } from 'ioredis';
import { currentDialect, openTestDatabase, type TestContext } from '../helpers.ts';
import { openEventStream } from '../support/event-stream.ts';
import { setUpPageTest, signIn, startApp } from '../support/pages.ts';
import { WebClient } from '../support/web-client.ts';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379/0';

async function send(from: WebClient, to: string, message: string) {
  await from.get(`/send_message/${to}`);
  const response = await from.post(`/send_message/${to}`, { message });
  assert.equal(response.statusCode, 302, response.body);
}

describe(`notifications on ${currentDialect()}`, () => {
  let app: FastifyInstance;
  setUpPageTest({}, (opened) => {
    app = opened.app;
  });

  test('GET /notifications?since= lists what changed after since, as the Flask Microblog', async () => {
    const amy = await signIn(app, 'amy');
    const bob = await signIn(app, 'bob');
    assert.deepEqual(JSON.parse((await bob.get('/notifications')).body), []);
    await send(amy, 'bob', 'one');
    await send(amy, 'bob', 'two');
    const first = JSON.parse((await bob.get('/notifications?since=0')).body);
    assert.equal(first.length, 1, 'one notification per name: the latest');
    assert.deepEqual(Object.keys(first[0]).sort(), ['data', 'name', 'timestamp']);
    assert.equal(first[0].name, 'unread_message_count');
    assert.equal(first[0].data, 2);
    assert.ok(first[0].timestamp > 1_700_000_000 && first[0].timestamp < 4_000_000_000);
    const since = first[0].timestamp;
    assert.deepEqual(JSON.parse((await bob.get(`/notifications?since=${since}`)).body), []);
    await bob.get('/messages');
    const read = JSON.parse((await bob.get(`/notifications?since=${since}`)).body);
    assert.equal(read.length, 1);
    assert.equal(read[0].data, 0);
    assert.ok(read[0].timestamp > since);
    assert.equal((await new WebClient(app).get('/notifications')).statusCode, 302);
  });

  test('the stream pushes news to every open page of the user, and resumes after a reconnection', async () => {
    const cat = await signIn(app, 'cat');
    const dan = await signIn(app, 'dan');
    const tab1 = await openEventStream(app, dan, '/notifications/stream');
    const tab2 = await openEventStream(app, dan, '/notifications/stream');
    assert.equal(tab1.status, 200);
    assert.match(String(tab1.headers['content-type']), /^text\/event-stream/);
    await send(cat, 'dan', 'hello');
    for (const tab of [tab1, tab2]) {
      const event = await tab.next(1000);
      assert.equal(event.event, 'notification');
      assert.deepEqual((event.data as { name: string; data: unknown }).data, 1);
      assert.equal(event.id, String((event.data as { timestamp: number }).timestamp));
    }
    // Back after a drop: only what happened since the last event seen.
    const seen = (await openEventStream(app, dan, '/notifications/stream')).next();
    const lastId = (await seen).id ?? '';
    const resumed = await openEventStream(app, dan, '/notifications/stream', {
      'last-event-id': lastId,
    });
    assert.deepEqual(await resumed.drain(200), [], 'nothing new yet');
    await send(cat, 'dan', 'again');
    assert.equal(((await resumed.next()).data as { data: number }).data, 2);
    // Others' news never reaches this user's stream.
    await send(dan, 'cat', 'back to you');
    assert.deepEqual(await resumed.drain(200), []);
  });
});

describe(`notifications across processes through Redis, on ${currentDialect()}`, () => {
  let db: TestContext;
  let apps: FastifyInstance[] = [];
  const prefix = `{mbtest-${process.pid}-${randomBytes(3).toString('hex')}}`;
  before(async () => {
    db = await openTestDatabase();
  });
  after(async () => {
    for (const app of apps) await app.close();
    await db.close();
  });

  test('news raised in one process reaches a page streaming from another', async () => {
    const env = { REDIS_URL, REDIS_PREFIX: prefix, RATELIMIT_ENABLED: 'false' };
    apps = [await startApp(db, env), await startApp(db, env)];
    const [a, b] = apps;
    const eve = await signIn(a, 'eve');
    await signIn(a, 'fox');
    // fox's session works on either process: it is in the shared database.
    const fox = new WebClient(b);
    const login = await fox.login('fox');
    assert.equal(login.statusCode, 302);
    const stream = await openEventStream(b, fox, '/notifications/stream');
    await send(eve, 'fox', 'across');
    const event = await stream.next(1000);
    assert.equal((event.data as { data: number }).data, 1);
  });

  test('with Redis gone, messages still send and the same process still streams', async () => {
    const env = { REDIS_URL: 'redis://127.0.0.1:1/0', RATELIMIT_ENABLED: 'false' };
    const app = await startApp(db, env);
    apps.push(app);
    const gil = await signIn(app, 'gil');
    const hal = await signIn(app, 'hal');
    const stream = await openEventStream(app, hal, '/notifications/stream');
    await send(gil, 'hal', 'no redis');
    assert.equal(((await stream.next(2000)).data as { data: number }).data, 1);
  });

  after(async () => {
    const redis = new Redis(REDIS_URL);
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length > 0) await redis.del(...keys);
    redis.disconnect();
  });
});
