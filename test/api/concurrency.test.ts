import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Follow, User } from '../../src/db/entities/index.ts';
import { currentDialect, openTestDatabase, TEST_SECRET_KEY, type TestContext } from '../helpers.ts';
import { basicAuth } from '../support/api.ts';
import { type RunningServer, startServer } from '../support/server.ts';

// Two server processes on one database, as behind a load balancer.
describe(`concurrent API writes across two server processes on ${currentDialect()}`, () => {
  let db: TestContext;
  let servers: RunningServer[];
  before(async () => {
    db = await openTestDatabase();
    const env = {
      DATABASE_URL: db.database.url,
      SECRET_KEY: TEST_SECRET_KEY,
      RATELIMIT_ENABLED: 'false',
    };
    servers = await Promise.all([startServer(env), startServer(env)]);
  });
  after(async () => {
    await Promise.all(servers.map((server) => server.stop()));
    await db.close();
  });

  const call = (i: number, method: string, path: string, body?: unknown, token?: string) =>
    fetch(`${servers[i % 2].url}${path}`, {
      method,
      headers: {
        ...(body ? { 'content-type': 'application/json' } : {}),
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      body: body ? JSON.stringify(body) : undefined,
    });

  test('identical registrations: exactly one succeeds, the rest are 400', async () => {
    const user = { username: 'twin', email: 'twin@example.com', password: 'secret' };
    const responses = await Promise.all(
      Array.from({ length: 6 }, (_, i) => call(i, 'POST', '/api/users', user)),
    );
    const statuses = responses.map((response) => response.status).sort();
    assert.deepEqual(statuses, [201, 400, 400, 400, 400, 400]);
    assert.equal(await db.em().count(User, { username: 'twin' }), 1);
  });

  test('identical follows and unfollows: exactly one 204 each, the rest 409', async () => {
    for (const username of ['fan', 'leader']) {
      const registered = await call(0, 'POST', '/api/users', {
        username,
        email: `${username}@example.com`,
        password: 'secret',
      });
      assert.equal(registered.status, 201, username);
    }
    const login = await fetch(`${servers[0].url}/api/tokens`, {
      method: 'POST',
      headers: { authorization: basicAuth('fan', 'secret') },
    });
    const { access_token: token } = (await login.json()) as { access_token: string };
    const leader = await db.em().findOneOrFail(User, { username: 'leader' });
    const path = `/api/me/following/${leader.id}`;
    const follows = await Promise.all(
      Array.from({ length: 6 }, (_, i) => call(i, 'POST', path, undefined, token)),
    );
    assert.deepEqual(
      follows.map((response) => response.status).sort(),
      [204, 409, 409, 409, 409, 409],
    );
    assert.equal(await db.em().count(Follow, { followed: leader.id }), 1);
    const unfollows = await Promise.all(
      Array.from({ length: 6 }, (_, i) => call(i, 'DELETE', path, undefined, token)),
    );
    assert.deepEqual(
      unfollows.map((response) => response.status).sort(),
      [204, 409, 409, 409, 409, 409],
    );
    assert.equal(await db.em().count(Follow, { followed: leader.id }), 0);
  });
});
