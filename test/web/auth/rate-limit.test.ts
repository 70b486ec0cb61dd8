import assert from 'node:assert/strict';
import { after, afterEach, before, describe, test } from 'node:test';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { Session, User } from '../../../src/db/entities/index.ts';
import { currentDialect, openTestDatabase, type TestContext } from '../../helpers.ts';
import { heading } from '../../support/html.ts';
import { seedUser, startApp } from '../../support/pages.ts';
import { WebClient } from '../../support/web-client.ts';

const PASSWORD = 'correct horse battery';

/** Asserts a response is the 429 page with a sensible Retry-After. */
function assertTooMany(response: LightMyRequestResponse, windowSeconds: number) {
  assert.equal(response.statusCode, 429);
  const retryAfter = Number(response.headers['retry-after']);
  assert.ok(retryAfter >= 1 && retryAfter <= windowSeconds, `Retry-After: ${retryAfter}`);
  assert.match(response.headers['content-type'] as string, /^text\/html/);
  assert.equal(heading(response.body), 'Too many requests');
  assert.match(response.body, /<title>Too many requests - Microblog<\/title>/);
  assert.match(
    response.body,
    /<p class="error-detail">Too many attempts\. Please try again in \d+ seconds\.<\/p>/,
  );
}

describe(`rate limits on ${currentDialect()}`, () => {
  let db: TestContext;
  let app: FastifyInstance;
  let mary: User;
  before(async () => {
    db = await openTestDatabase();
    mary = await seedUser(db, 'mary', PASSWORD);
    await seedUser(db, 'susan', PASSWORD);
  });
  afterEach(() => app?.close());
  after(() => db.close());

  /** A fresh app (fresh counters) with these limits. */
  const start = async (env: Record<string, string>) => {
    app = await startApp(db, env);
  };

  /**
   * Posts a form as `client` (its cookies and CSRF token) from the socket address `ip`:
   * the limiter keys on request.ip, which comes from the socket, not from headers.
   */
  const postFrom = async (
    client: WebClient,
    ip: string,
    url: string,
    form: Record<string, string>,
    headers: Record<string, string> = {},
  ) => {
    if (!client.csrfToken) await client.get(url);
    return app.inject({
      method: 'POST',
      url,
      remoteAddress: ip,
      payload: new URLSearchParams({ _csrf: client.csrfToken, ...form }).toString(),
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        cookie: [...client.cookies].map(([name, value]) => `${name}=${value}`).join('; '),
        ...headers,
      },
    });
  };
  const login = (ip: string, username: string, password: string, headers = {}) =>
    postFrom(new WebClient(app), ip, '/auth/login', { username, password }, headers);
  const register = (ip: string, username: string, password2 = PASSWORD) =>
    postFrom(new WebClient(app), ip, '/auth/register', {
      username,
      email: `${username}@example.com`,
      password: PASSWORD,
      password2,
    });
  const sessionsOf = (user: User) => db.em().count(Session, { user: user.id });
  const users = (username: string) => db.em().count(User, { username });

  test('login: the 4th attempt from one IP is a 429, even with the right password', async () => {
    await start({ RATELIMIT_LOGIN: '3/minute' });
    const sessions = await sessionsOf(mary);
    for (const username of ['nobody1', 'nobody2', 'nobody3']) {
      const response = await login('10.1.0.1', username, PASSWORD);
      assert.equal(response.statusCode, 401, username);
      assert.match(response.body, /Invalid username or password/);
    }
    assertTooMany(await login('10.1.0.1', 'mary', PASSWORD), 60);
    assert.equal(await sessionsOf(mary), sessions, 'no session was created');
    // Another address is not affected.
    const elsewhere = await login('10.1.0.2', 'mary', PASSWORD);
    assert.equal(elsewhere.statusCode, 302);
    assert.equal(await sessionsOf(mary), sessions + 1);
  });

  test('login: X-Forwarded-For does not dodge the IP limit without TRUST_PROXY', async () => {
    await start({ RATELIMIT_LOGIN: '3/minute' });
    const sessions = await sessionsOf(mary);
    for (const [i, username] of ['nobody1', 'nobody2', 'nobody3'].entries()) {
      const response = await login('10.2.0.1', username, PASSWORD, {
        'x-forwarded-for': `192.0.2.${i}`,
      });
      assert.equal(response.statusCode, 401);
    }
    const response = await login('10.2.0.1', 'mary', PASSWORD, { 'x-forwarded-for': '192.0.2.9' });
    assertTooMany(response, 60);
    assert.equal(await sessionsOf(mary), sessions);
  });

  test('login: attempts against one account from many IPs are limited too', async () => {
    await start({ RATELIMIT_LOGIN: '3/minute' });
    const sessions = await sessionsOf(mary);
    for (const [ip, username] of [
      ['10.3.0.1', 'mary'],
      ['10.3.0.2', 'MARY'],
      ['10.3.0.3', ' mary '],
    ]) {
      const response = await login(ip, username, 'wrong password');
      assert.equal(response.statusCode, 401, `${ip} ${username}`);
    }
    assertTooMany(await login('10.3.0.4', 'mary', PASSWORD), 60);
    assert.equal(await sessionsOf(mary), sessions, 'the right password is refused too');
    // Other accounts, from the same new address, are not affected.
    const susan = await login('10.3.0.4', 'susan', PASSWORD);
    assert.equal(susan.statusCode, 302);
    assert.equal(susan.headers.location, '/index');
  });

  test('login: attempts by username and by email count against the same account', async () => {
    await start({ RATELIMIT_LOGIN: '3/minute' });
    const sessions = await sessionsOf(mary);
    for (const ip of ['10.4.0.1', '10.4.0.2', '10.4.0.3']) {
      assert.equal((await login(ip, 'mary', 'wrong password')).statusCode, 401);
    }
    assertTooMany(await login('10.4.0.4', 'mary@example.com', PASSWORD), 60);
    assert.equal(await sessionsOf(mary), sessions);
  });

  test('login: an overlong or control-character login is not an account and is never looked up', async () => {
    await start({ RATELIMIT_LOGIN: '3/minute' });
    // Each from its own IP: only a per-account counter could refuse them, and none exists.
    const logins = ['x'.repeat(100_000), 'a\u0000b', 'b\u0000c', 'y'.repeat(200)];
    for (const [i, name] of logins.entries()) {
      const response = await login(`10.9.0.${i + 1}`, name, 'whatever');
      assert.ok([400, 401].includes(response.statusCode), `${response.statusCode} for login ${i}`);
    }
  });

  test('login: RATELIMIT_ENABLED=false allows many attempts', async () => {
    await start({ RATELIMIT_LOGIN: '1/hour', RATELIMIT_ENABLED: 'false' });
    const sessions = await sessionsOf(mary);
    for (let attempt = 0; attempt < 8; attempt += 1) {
      const response = await login('10.5.0.1', 'mary', 'wrong password');
      assert.equal(response.statusCode, 401, `attempt ${attempt + 1}`);
      assert.match(response.body, /Invalid username or password/);
    }
    const response = await login('10.5.0.1', 'mary', PASSWORD);
    assert.equal(response.statusCode, 302);
    assert.equal(await sessionsOf(mary), sessions + 1);
  });

  test('register: the 4th registration from one IP is a 429 and writes nothing', async () => {
    await start({ RATELIMIT_REGISTER: '3/minute' });
    for (const username of ['ann', 'bob', 'cat']) {
      const response = await register('10.6.0.1', username);
      assert.equal(response.statusCode, 302, username);
      assert.equal(response.headers.location, '/auth/login');
      assert.equal(await users(username), 1);
    }
    assertTooMany(await register('10.6.0.1', 'dan'), 60);
    assert.equal(await users('dan'), 0);
    assert.equal((await register('10.6.0.2', 'dan')).statusCode, 302);
    assert.equal(await users('dan'), 1);
  });

  test('register: attempts at one username from many IPs are limited', async () => {
    await start({ RATELIMIT_REGISTER: '3/minute' });
    for (const ip of ['10.7.0.1', '10.7.0.2', '10.7.0.3']) {
      const response = await register(ip, 'eve', 'not the same');
      assert.equal(response.statusCode, 400, ip);
      assert.match(response.body, /Passwords must match\./);
    }
    assertTooMany(await register('10.7.0.4', 'Eve'), 60);
    assert.equal(await users('Eve'), 0);
    assert.equal(await users('eve'), 0);
    assert.equal((await register('10.7.0.4', 'fay')).statusCode, 302);
    assert.equal(await users('fay'), 1);
  });

  test('register: RATELIMIT_ENABLED=false allows many registrations from one IP', async () => {
    await start({ RATELIMIT_REGISTER: '1/hour', RATELIMIT_ENABLED: 'false' });
    const names = ['gus', 'hal', 'ian', 'jo', 'kim', 'lee'].map((name) => `${name}x`);
    for (const username of names) {
      const response = await register('10.8.0.1', username);
      assert.equal(response.statusCode, 302, username);
    }
    assert.equal(await db.em().count(User, { username: { $in: names } }), names.length);
  });

  test('change password: the 4th attempt of one account is a 429 and changes nothing', async () => {
    await start({ RATELIMIT_PASSWORD: '3/minute' });
    const client = new WebClient(app);
    assert.equal((await client.login('mary', PASSWORD)).statusCode, 302);
    await client.get('/auth/change_password');
    const change = (ip: string, current: string) =>
      postFrom(client, ip, '/auth/change_password', {
        current_password: current,
        password: 'a brand new password',
        password2: 'a brand new password',
      });
    for (const ip of ['10.9.0.1', '10.9.0.2', '10.9.0.3']) {
      const response = await change(ip, 'wrong password');
      assert.equal(response.statusCode, 400);
      assert.match(response.body, /Your current password is not correct\./);
    }
    assertTooMany(await change('10.9.0.4', PASSWORD), 60);
    const user = await db.em().findOneOrFail(User, { username: 'mary' });
    assert.ok(await user.checkPassword(PASSWORD), 'the password is unchanged');
  });
});
