import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import { Token, User } from '../../src/db/entities/index.ts';
import { signJwt } from '../../src/security/jwt.ts';
import { currentDialect } from '../helpers.ts';
import { basicAuth } from '../support/api.ts';
import { type PageTest, seedUser, setUpPageTest } from '../support/pages.ts';

const json = (response: LightMyRequestResponse) =>
  JSON.parse(response.body) as Record<string, unknown>;

describe(`API tokens on ${currentDialect()}`, () => {
  let page: PageTest;
  setUpPageTest({}, async (opened) => {
    page = opened;
    await seedUser(opened.db, 'mary', 'correct horse');
  });

  const login = (authorization: string) =>
    page.app.inject({ method: 'POST', url: '/api/tokens', headers: { authorization } });
  const me = (token: string) =>
    page.app.inject({ url: '/api/me', headers: { authorization: `Bearer ${token}` } });

  test('a browser-like client: create, use, refresh through the cookie, revoke, rejected', async () => {
    const created = await login(basicAuth('mary', 'correct horse'));
    assert.equal(created.statusCode, 200);
    const { access_token: access, refresh_token: inBody } = json(created);
    assert.equal(typeof access, 'string');
    assert.equal(inBody, null, 'the refresh token stays in the cookie by default');
    const cookie = created.cookies.find((c) => c.name === 'refresh_token');
    assert.ok(cookie?.value);
    assert.equal(cookie.httpOnly, true);
    assert.equal(cookie.path, '/api/tokens');

    const profile = await me(String(access));
    assert.equal(profile.statusCode, 200);
    assert.equal(json(profile).username, 'mary');
    assert.ok(!('password_hash' in json(profile)) && !profile.body.includes('argon2'));

    const refreshed = await page.app.inject({
      method: 'PUT',
      url: '/api/tokens',
      payload: { access_token: access },
      headers: { cookie: `refresh_token=${cookie.value}` },
    });
    assert.equal(refreshed.statusCode, 200);
    const next = String(json(refreshed).access_token);
    assert.notEqual(next, access);
    assert.equal((await me(next)).statusCode, 200);

    const revoked = await page.app.inject({
      method: 'DELETE',
      url: '/api/tokens',
      headers: { authorization: `Bearer ${next}` },
    });
    assert.equal(revoked.statusCode, 204);
    assert.equal(revoked.body, '');
    const rejected = await me(next);
    assert.equal(rejected.statusCode, 401);
    assert.deepEqual(Object.keys(json(rejected)).sort(), ['code', 'description', 'message']);
  });

  test('the access token is an HS256 JWT; a forged or re-signed one is refused', async () => {
    const access = String(json(await login(basicAuth('mary', 'correct horse'))).access_token);
    const [header, payload, signature] = access.split('.');
    assert.equal(JSON.parse(Buffer.from(header, 'base64url').toString()).alg, 'HS256');
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
    assert.deepEqual(Object.keys(claims), ['token']);
    assert.equal((await me(access)).statusCode, 200);
    // The same random part under another signature, and a JWT signed with another key.
    const flipped = signature.startsWith('A') ? `B${signature.slice(1)}` : `A${signature.slice(1)}`;
    assert.equal((await me(`${header}.${payload}.${flipped}`)).statusCode, 401);
    assert.equal((await me(signJwt(claims, 'not the server key'))).statusCode, 401);
  });

  test('the database keeps only hashes of the tokens', async () => {
    const { access_token: access } = json(
      await login(basicAuth('mary@example.com', 'correct horse')),
    );
    const rows = await page.db.em().find(Token, {});
    assert.ok(rows.length > 0);
    for (const row of rows) {
      assert.match(row.accessTokenHash, /^[0-9a-f]{64}$/);
      assert.ok(!String(access).includes(row.accessTokenHash));
    }
  });

  test('bad credentials are a JSON 401 with a Form challenge, never saying which part was wrong', async () => {
    for (const authorization of [
      basicAuth('mary', 'wrong'),
      basicAuth('nobody', 'correct horse'),
      'Basic !!!',
      '',
    ]) {
      const response = await login(authorization);
      assert.equal(response.statusCode, 401, authorization);
      assert.equal(response.headers['www-authenticate'], 'Form');
      assert.equal(json(response).description, 'Invalid username or password.');
    }
  });

  test('reusing an expired refresh token revokes every token of the user', async () => {
    const first = await login(basicAuth('mary', 'correct horse'));
    const refresh = first.cookies.find((c) => c.name === 'refresh_token')?.value ?? '';
    const other = String(json(await login(basicAuth('mary', 'correct horse'))).access_token);
    // The first pair is rotated once, then presented again after its grace period.
    const rotate = () =>
      page.app.inject({
        method: 'PUT',
        url: '/api/tokens',
        payload: { access_token: json(first).access_token, refresh_token: refresh },
      });
    assert.equal((await rotate()).statusCode, 200);
    // Past every refresh expiry (the rotated pair's grace period included); access tokens
    // stay valid, so only reuse detection can sign `other` out.
    await page.db.em().nativeUpdate(Token, {}, { refreshExpiration: new Date(Date.now() - 1000) });
    const reused = await rotate();
    assert.equal(reused.statusCode, 401);
    assert.equal((await me(other)).statusCode, 401, 'the other session of the user is revoked too');
  });

  test('public endpoints ignore a bogus Bearer header; protected ones refuse it', async () => {
    const response = await me('null');
    assert.equal(response.statusCode, 401);
    assert.equal(json(response).message, 'Unauthorized');
    assert.equal(response.headers['www-authenticate'], 'Bearer realm="Authentication Required"');
  });

  test('a bad token is a 401 before the body is looked at, so clients know to refresh', async () => {
    const response = await page.app.inject({
      method: 'POST',
      url: '/api/posts',
      payload: { text: '' },
      headers: { authorization: 'Bearer expired' },
    });
    assert.equal(response.statusCode, 401, response.body);
  });

  test('using a token records when the user was last seen, at most once a minute', async () => {
    const access = String(json(await login(basicAuth('mary', 'correct horse'))).access_token);
    const longAgo = new Date('2025-01-01T00:00:00Z');
    await page.db.em().nativeUpdate(User, { username: 'mary' }, { lastSeen: longAgo });
    const started = Date.now();
    const seen = String(json(await me(access)).last_seen);
    assert.ok(Date.parse(seen) >= started - 1000, `last_seen ${seen}`);
    const stored = await page.db.em().findOneOrFail(User, { username: 'mary' });
    assert.equal(stored.lastSeen?.toISOString(), seen);
    assert.equal(String(json(await me(access)).last_seen), seen, 'not again within the minute');
  });
});
