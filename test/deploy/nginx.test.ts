import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, beforeEach, describe, test } from 'node:test';
import { Redis } from 'ioredis';
import pg from 'pg';
import { projectRoot } from '../../src/config/load.ts';
import { chromiumProblem, launchChromium } from '../e2e/support.ts';
import { currentDialect, TEST_SECRET_KEY } from '../helpers.ts';
import { createTestDatabase, type TestDatabase } from '../support/databases.ts';
import { openHttpEventStream } from '../support/event-stream.ts';
import { HttpClient } from '../support/http-client.ts';
import { redisSettings, redisSkip, waitUntil } from '../support/jobs.ts';
import { nginxSkip, type RunningNginx, startNginx } from '../support/nginx.ts';
import { type RunningServer, startServer } from '../support/server.ts';

const skip =
  currentDialect() !== 'postgresql' ? 'runs on the PostgreSQL pass' : nginxSkip() || redisSkip();

/**
 * The deployment of deploy/: three `microblog run` processes on one PostgreSQL database and
 * one Redis, behind deploy/nginx/microblog.conf.
 */
describe('three processes behind nginx', { skip }, () => {
  let database: TestDatabase;
  const redis = redisSettings();
  const outbox = mkdtempSync(join(tmpdir(), 'microblog-outbox-'));
  let servers: RunningServer[] = [];
  let nginx: RunningNginx;
  before(async () => {
    database = await createTestDatabase();
    const env = {
      DATABASE_URL: database.url,
      SECRET_KEY: TEST_SECRET_KEY,
      TRUST_PROXY: '1',
      RATELIMIT_LOGIN: '3/minute',
      MAIL_OUTBOX_DIR: outbox,
      ...redis.env,
    };
    // The first migrates the new database; then two more, one of which runs no jobs.
    servers = [await startServer(env, ['--no-worker'])];
    servers.push(...(await Promise.all([startServer(env), startServer(env)])));
    nginx = await startNginx(servers.map((server) => server.url));
  });
  // Every test's clients come from 127.0.0.1: each starts with the login limit's counts clear.
  beforeEach(async () => {
    const client = new Redis(redis.env.REDIS_URL);
    const keys = await client.keys(`${redis.env.REDIS_PREFIX}:ratelimit:*`);
    if (keys.length > 0) await client.del(...keys);
    client.disconnect();
  });
  after(async () => {
    await nginx?.stop();
    for (const server of servers) await server.stop('SIGKILL');
    await database.drop();
    await redis.cleanUp();
    rmSync(outbox, { recursive: true, force: true });
  });

  const withDatabase = async <T>(work: (client: pg.Client) => Promise<T>) => {
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    try {
      return await work(client);
    } finally {
      await client.end();
    }
  };
  /** How many requests each process logged, by the path given. */
  const served = (path: string) =>
    servers.map((server) => server.output().split(`"url":"${path}"`).length - 1);

  test('static files come from disk, avatars from the cache, both with long cache headers', async () => {
    const css = await fetch(`${nginx.url}/static/microblog.css?v=1`);
    assert.equal(css.status, 200);
    assert.equal(
      await css.text(),
      readFileSync(join(projectRoot, 'public/css/microblog.css'), 'utf8'),
    );
    assert.match(css.headers.get('cache-control') ?? '', /max-age=31536000/);
    assert.match(css.headers.get('cache-control') ?? '', /immutable/);
    const bootstrap = await fetch(`${nginx.url}/static/bootstrap.min.css?v=1`);
    assert.equal(bootstrap.status, 200);
    assert.equal(
      served('/static/microblog.css?v=1').reduce((a, b) => a + b),
      0,
      'no process served it',
    );
    const avatar = `${nginx.url}/avatar/${'a'.repeat(32)}?s=40`;
    assert.equal((await fetch(avatar)).headers.get('x-cache-status'), 'MISS');
    const again = await fetch(avatar);
    assert.equal(again.headers.get('x-cache-status'), 'HIT');
    assert.match(again.headers.get('cache-control') ?? '', /max-age=31536000/);
    assert.equal((await fetch(`${nginx.url}/static/nothing.css`)).status, 404);
  });

  test('bodies over 1 MiB are refused by nginx', async () => {
    const response = await fetch(`${nginx.url}/auth/login`, {
      method: 'POST',
      body: 'x'.repeat(2 * 1024 * 1024),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    assert.equal(response.status, 413);
  });

  test('a login limit holds across processes: the 4th attempt anywhere is a 429', async () => {
    const guess = () =>
      new HttpClient(nginx.url).submit('/auth/login', { username: 'nobody', password: 'x' });
    const before = served('/auth/login');
    for (let i = 0; i < 3; i++) assert.equal((await guess()).status, 401);
    // Three processes each counting alone would have let 3 each through.
    assert.equal((await guess()).status, 429);
    const spread = served('/auth/login').map((count, i) => count - before[i]);
    assert.ok(spread.filter((count) => count > 0).length >= 2, `spread: ${spread}`);
    // A forged X-Forwarded-For is no new address: nginx appends the one it saw.
    const forged = await new HttpClient(nginx.url).submit(
      '/auth/login',
      { username: 'nobody', password: 'x' },
      { 'x-forwarded-for': '198.51.100.7' },
    );
    assert.equal(forged.status, 429);
  });

  test('a notification raised on any process reaches a stream held through nginx within a second', async () => {
    const bob = new HttpClient(nginx.url);
    await bob.signUp('bob');
    const stream = await openHttpEventStream(
      `${nginx.url}/notifications/stream`,
      bob.cookieHeader(),
    );
    assert.equal(stream.status, 200);
    const cat = new HttpClient(nginx.url);
    await cat.signUp('cat');
    for (const [i, server] of servers.entries()) {
      cat.base = server.url;
      const sent = await cat.submit('/send_message/bob', { message: `hello ${i}` });
      assert.equal(sent.status, 302);
      const event = await stream.next(1000);
      assert.equal((event.data as { data: number }).data, i + 1, `from process ${i}`);
    }
    stream.close();
  });

  test('a browser streaming through nginx sees a message sent on any process within a second', {
    skip: chromiumProblem() ?? false,
  }, async () => {
    const gus = new HttpClient(nginx.url);
    await gus.signUp('gus');
    const browser = await launchChromium();
    try {
      const context = await browser.newContext();
      await context.addCookies(
        [...gus.cookies].map(([name, value]) => ({ name, value, url: nginx.url })),
      );
      const page = await context.newPage();
      await page.goto(`${nginx.url}/explore`);
      await page.locator('html[data-notifications="stream"]').waitFor({ state: 'attached' });
      const badge = page.locator('#message_count');
      const hal = new HttpClient(nginx.url);
      await hal.signUp('hal');
      // Whichever process nginx gave the page's stream to, two of the three are others.
      for (const [i, server] of servers.entries()) {
        hal.base = server.url;
        const sent = await hal.submit('/send_message/gus', { message: `hi ${i}` });
        assert.equal(sent.status, 302);
        await page
          .locator('#message_count', { hasText: new RegExp(`^${i + 1}$`) })
          .waitFor({ timeout: 1000 });
      }
      assert.equal(await badge.textContent(), '3');
    } finally {
      await browser.close();
    }
  });

  test('a job enqueued on a process that runs none runs on another', async () => {
    const dan = new HttpClient(servers[0].url);
    await dan.signUp('dan');
    await dan.get('/user/dan');
    assert.equal((await dan.post('/export_posts', {})).status, 302);
    // The mailer may have created the file and not written it yet: wait for its contents.
    const mails = () => readdirSync(outbox).map((name) => readFileSync(join(outbox, name), 'utf8'));
    await waitUntil(
      () => mails().some((mail) => /To: dan@example\.com/i.test(mail)),
      30_000,
      'for the export email to dan',
    );
  });

  test('killing a process mid-load loses no acknowledged request, and nginx routes around it', async () => {
    const eve = new HttpClient(nginx.url);
    await eve.signUp('eve');
    await eve.get('/index');
    const acknowledged: string[] = [];
    const failed: number[] = [];
    const post = async (i: number) => {
      const body = `load ${i}`;
      const response = await eve.post('/index', { post: body });
      if (response.status === 302) acknowledged.push(body);
      else failed.push(response.status);
    };
    const pages: number[] = [];
    const load = async (from: number, to: number) => {
      for (let i = from; i < to; i++) {
        const [, page] = await Promise.all([post(i), fetch(`${nginx.url}/explore`)]);
        pages.push(page.status);
      }
    };
    const running = load(0, 40);
    await waitUntil(() => acknowledged.length >= 10, 30_000, 'for some load');
    await servers[2].stop('SIGKILL');
    await running;
    await load(40, 50);
    const stored = await withDatabase(async (client) =>
      (
        await client.query<{ body: string }>("select body from post where body like 'load %'")
      ).rows.map((row) => row.body),
    );
    for (const body of acknowledged) assert.ok(stored.includes(body), `${body} was acknowledged`);
    assert.ok(acknowledged.length >= 48, `acknowledged ${acknowledged.length}, failed ${failed}`);
    assert.deepEqual(
      pages.filter((status) => status !== 200),
      [],
      'every page was served',
    );
  });
});
