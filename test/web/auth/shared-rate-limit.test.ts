import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { currentDialect, openTestDatabase, type TestContext } from '../../helpers.ts';
import { redisSettings, redisSkip } from '../../support/jobs.ts';
import { seedUser, startApp } from '../../support/pages.ts';
import { WebClient } from '../../support/web-client.ts';

const PASSWORD = 'correct horse battery';

describe(`rate limits across processes on ${currentDialect()}`, { skip: redisSkip() }, () => {
  let db: TestContext;
  const settings = redisSettings();
  const apps: FastifyInstance[] = [];
  before(async () => {
    db = await openTestDatabase();
    await seedUser(db, 'mary', PASSWORD);
  });
  after(async () => {
    for (const app of apps) await app.close();
    await db.close();
    await settings.cleanUp();
  });
  const start = async (env: Record<string, string>) => {
    const app = await startApp(db, env);
    apps.push(app);
    return app;
  };
  const login = (app: FastifyInstance, ip: string, password = 'wrong password') =>
    new WebClient(app, { ip }).login('mary', password);

  test('two apps on one Redis: the 4th login attempt on either is a 429', async () => {
    const env = { ...settings.env, RATELIMIT_LOGIN: '3/minute' };
    const [a, b] = [await start(env), await start(env)];
    assert.equal((await login(a, '10.8.0.1')).statusCode, 401);
    assert.equal((await login(b, '10.8.0.1')).statusCode, 401);
    assert.equal((await login(a, '10.8.0.1')).statusCode, 401);
    const refused = await login(b, '10.8.0.1', PASSWORD);
    assert.equal(refused.statusCode, 429);
    assert.ok(Number(refused.headers['retry-after']) >= 1);
    assert.equal((await login(a, '10.8.0.1', PASSWORD)).statusCode, 429);
    // The account's failures are shared too: from another IP, mary is refused on either.
    assert.equal((await login(b, '10.8.0.2', PASSWORD)).statusCode, 429);
  });

  test('with Redis unreachable, logins keep working, unlimited', async () => {
    const app = await start({ REDIS_URL: 'redis://127.0.0.1:1/0', RATELIMIT_LOGIN: '1/minute' });
    for (let i = 0; i < 3; i++) assert.equal((await login(app, '10.8.1.1')).statusCode, 401);
    assert.equal((await login(app, '10.8.1.1', PASSWORD)).statusCode, 302);
  });
});
