import assert from 'node:assert/strict';
import { after, afterEach, before, describe, test } from 'node:test';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { Token, User } from '../../src/db/entities/index.ts';
import { currentDialect, openTestDatabase, type TestContext } from '../helpers.ts';
import { basicAuth } from '../support/api.ts';
import { seedUser, startApp } from '../support/pages.ts';

const PASSWORD = 'correct horse battery';
const json = (response: LightMyRequestResponse) =>
  JSON.parse(response.body) as Record<string, unknown>;

/** Asserts a response is the API's JSON 429 with a sensible Retry-After. */
function assertTooMany(response: LightMyRequestResponse, windowSeconds: number) {
  assert.equal(response.statusCode, 429, response.body);
  const retryAfter = Number(response.headers['retry-after']);
  assert.ok(retryAfter >= 1 && retryAfter <= windowSeconds, `Retry-After: ${retryAfter}`);
  assert.match(String(response.headers['content-type']), /^application\/json/);
  assert.equal(json(response).code, 429);
  assert.equal(json(response).message, 'Too Many Requests');
  assert.match(String(json(response).description), /^Too many attempts\./);
  // Clients read errors.json from any failed form; the message rides along there too.
  assert.deepEqual(json(response).errors, { json: { _schema: [json(response).description] } });
}

describe(`API rate limits on ${currentDialect()}`, () => {
  let db: TestContext;
  let app: FastifyInstance;
  before(async () => {
    db = await openTestDatabase();
    await seedUser(db, 'mary', PASSWORD);
  });
  afterEach(() => app?.close());
  after(() => db.close());

  const login = (ip: string, authorization: string) =>
    app.inject({
      method: 'POST',
      url: '/api/tokens',
      remoteAddress: ip,
      headers: { authorization },
    });

  test('POST /api/tokens: the 4th login from one IP is a 429, even with the right password', async () => {
    app = await startApp(db, { RATELIMIT_LOGIN: '3/minute' });
    for (const name of ['nobody1', 'nobody2', 'nobody3']) {
      assert.equal((await login('10.1.0.1', basicAuth(name, 'x'))).statusCode, 401);
    }
    assertTooMany(await login('10.1.0.1', basicAuth('mary', PASSWORD)), 60);
    assert.equal((await login('10.1.0.2', basicAuth('mary', PASSWORD))).statusCode, 200);
  });

  test('POST /api/tokens: one account is limited across IPs, by username in any case or email', async () => {
    app = await startApp(db, { RATELIMIT_LOGIN: '3/minute' });
    const tokensBefore = await db.em().count(Token, {});
    const guesses = ['mary', 'MARY', 'mary@example.com'];
    for (const [i, name] of guesses.entries()) {
      const response = await login(`10.2.0.${i + 1}`, basicAuth(name, 'wrong'));
      assert.equal(response.statusCode, 401);
    }
    assertTooMany(await login('10.2.0.9', basicAuth('Mary', PASSWORD)), 60);
    assert.equal(await db.em().count(Token, {}), tokensBefore, 'no token was issued');
  });

  test('POST /api/users: the 4th registration from one IP is a 429 and writes nothing', async () => {
    app = await startApp(db, { RATELIMIT_REGISTER: '3/hour' });
    const register = (username: string) =>
      app.inject({
        method: 'POST',
        url: '/api/users',
        remoteAddress: '10.3.0.1',
        payload: { username, email: `${username}@example.com`, password: PASSWORD },
      });
    for (const name of ['ann', 'ben', 'cid']) assert.equal((await register(name)).statusCode, 201);
    assertTooMany(await register('dot'), 3600);
    assert.equal(await db.em().count(User, { username: 'dot' }), 0);
  });

  test('PUT /api/me: the 4th password change of one account is a 429; other edits are not counted', async () => {
    app = await startApp(db, { RATELIMIT_PASSWORD: '3/minute', RATELIMIT_LOGIN: '100/minute' });
    const token = String(json(await login('10.4.0.1', basicAuth('mary', PASSWORD))).access_token);
    const putMe = (ip: string, payload: Record<string, string>) =>
      app.inject({
        method: 'PUT',
        url: '/api/me',
        remoteAddress: ip,
        payload,
        headers: { authorization: `Bearer ${token}` },
      });
    for (let i = 0; i < 5; i++) {
      assert.equal((await putMe('10.4.0.1', { about_me: `edit ${i}` })).statusCode, 200);
    }
    for (const ip of ['10.4.0.2', '10.4.0.3', '10.4.0.4']) {
      const response = await putMe(ip, { password: 'new one', old_password: 'guess' });
      assert.equal(response.statusCode, 400);
    }
    assertTooMany(await putMe('10.4.0.5', { password: 'new one', old_password: PASSWORD }), 60);
    const mary = await db.em().findOneOrFail(User, { username: 'mary' });
    assert.ok(await mary.checkPassword(PASSWORD), 'the password is unchanged');
  });

  test('RATELIMIT_ENABLED=false lifts every API limit', async () => {
    app = await startApp(db, { RATELIMIT_ENABLED: 'false', RATELIMIT_LOGIN: '1/minute' });
    for (let i = 0; i < 4; i++) {
      assert.equal((await login('10.5.0.1', basicAuth('mary', 'wrong'))).statusCode, 401);
    }
    assert.equal((await login('10.5.0.1', basicAuth('mary', PASSWORD))).statusCode, 200);
  });
});
