import assert from 'node:assert/strict';
import { request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import type { User } from '../../src/db/entities/index.ts';
import { currentDialect, openTestDatabase, type TestContext } from '../helpers.ts';
import { apiToken, basicAuth } from '../support/api.ts';
import { seedUser, startApp } from '../support/pages.ts';

type Json = Record<string, unknown>;
const json = (response: LightMyRequestResponse) => JSON.parse(response.body) as Json;

/**
 * What a microblog-api client sees, where we used to differ: avatars that load from another
 * origin with no setting, 405s, `about_me: null`, the refresh body, reason phrases, and no
 * 5xx for text that no database can take.
 */
describe(`API client compatibility on ${currentDialect()}`, () => {
  let db: TestContext;
  let app: FastifyInstance;
  let token: string;
  let mary: User;
  before(async () => {
    db = await openTestDatabase();
    mary = await seedUser(db, 'mary', 'cat');
    app = await startApp(db, { RATELIMIT_ENABLED: 'false' });
    token = await apiToken(app, 'mary', 'cat');
  });
  after(async () => {
    await app.close();
    await db.close();
  });

  const bearer = (value = token) => ({ authorization: `Bearer ${value}` });

  test('avatar_url is absolute without BASE_URL, from the origin the client used', async () => {
    const direct = json(await app.inject({ url: '/api/me', headers: bearer() }));
    assert.match(
      String(direct.avatar_url),
      /^http:\/\/localhost:80\/avatar\/[0-9a-f]{32}\?d=identicon$/,
    );
    const other = json(
      await app.inject({ url: '/api/me', headers: { ...bearer(), host: 'blog.example:8080' } }),
    );
    assert.match(String(other.avatar_url), /^http:\/\/blog\.example:8080\/avatar\//);
    // A proxy's X-Forwarded-* counts only with TRUST_PROXY.
    const forwarded = { 'x-forwarded-proto': 'https', 'x-forwarded-host': 'public.example' };
    const untrusted = json(
      await app.inject({ url: '/api/me', headers: { ...bearer(), ...forwarded } }),
    );
    assert.doesNotMatch(String(untrusted.avatar_url), /public\.example/);
    const proxied = await startApp(db, { RATELIMIT_ENABLED: 'false', TRUST_PROXY: 'true' });
    try {
      const trusted = json(
        await proxied.inject({ url: '/api/me', headers: { ...bearer(), ...forwarded } }),
      );
      assert.match(String(trusted.avatar_url), /^https:\/\/public\.example\/avatar\//);
    } finally {
      await proxied.close();
    }
  });

  test('a wrong method on a known path is a 405 with Allow and the JSON error', async () => {
    for (const [method, url, allowed] of [
      ['PATCH', '/api/me', ['GET', 'PUT']],
      ['DELETE', '/api/users', ['GET', 'POST']],
      ['POST', `/api/posts/${mary.id}`, ['DELETE', 'GET', 'PUT']],
    ] as const) {
      const response = await app.inject({ method, url, headers: bearer() });
      assert.equal(response.statusCode, 405, `${method} ${url}`);
      const allow = String(response.headers.allow).split(', ');
      for (const verb of allowed) assert.ok(allow.includes(verb), `${url} allows ${verb}`);
      assert.ok(!allow.includes(method));
      assert.deepEqual(Object.keys(json(response)).sort(), ['code', 'description', 'message']);
      assert.equal(json(response).message, 'Method Not Allowed');
    }
    const unknown = await app.inject({ method: 'PATCH', url: '/api/nothing', headers: bearer() });
    assert.equal(unknown.statusCode, 404);
  });

  test('about_me that was never set is null', async () => {
    const response = await app.inject({ url: `/api/users/${mary.id}`, headers: bearer() });
    assert.equal(response.statusCode, 200);
    assert.ok('about_me' in json(response));
    assert.equal(json(response).about_me, null);
  });

  test('PUT /api/tokens without the access token is a 400 on that field; a bad one is a 401', async () => {
    for (const payload of [{}, { refresh_token: 'x' }, undefined]) {
      const response = await app.inject({ method: 'PUT', url: '/api/tokens', payload });
      assert.equal(response.statusCode, 400, JSON.stringify(payload));
      assert.equal(json(response).message, 'Validation Error');
      assert.deepEqual((json(response).errors as Json).json, {
        access_token: ['Missing data for required field.'],
      });
    }
    const invalid = await app.inject({
      method: 'PUT',
      url: '/api/tokens',
      payload: { access_token: 'not.a.token', refresh_token: 'nope' },
    });
    assert.equal(invalid.statusCode, 401);
  });

  test('NUL bytes in a cursor or in Basic credentials are a 4xx, never a 5xx', async () => {
    const cursor = await app.inject({ url: '/api/users?after=%00', headers: bearer() });
    assert.equal(cursor.statusCode, 400, cursor.body);
    for (const [login, password] of [
      ['ma\u0000ry', 'cat'],
      ['\u0000', '\u0000'],
      ['mary', 'c\u0000at'],
    ]) {
      const response = await app.inject({
        method: 'POST',
        url: '/api/tokens',
        headers: { authorization: basicAuth(login, password) },
      });
      assert.equal(response.statusCode, 401, JSON.stringify(login));
    }
  });

  test('a body over BODY_LIMIT gets a readable 413 on every route, over a real connection', async () => {
    await app.listen({ host: '127.0.0.1', port: 0 });
    const { port } = app.server.address() as AddressInfo;
    const body = Buffer.alloc(10 * 1024 * 1024, 'a');
    for (const path of ['/api/users', '/api/posts', '/api/tokens/reset', '/auth/register']) {
      const answer = await new Promise<{ status: number; text: string }>((resolve, reject) => {
        const outgoing = request(
          {
            host: '127.0.0.1',
            port,
            path,
            method: 'POST',
            headers: {
              'content-type': 'application/json',
              'content-length': body.length,
              ...bearer(),
            },
          },
          (response) => {
            let text = '';
            response.on('data', (chunk) => {
              text += chunk;
            });
            response.on('end', () => resolve({ status: response.statusCode ?? 0, text }));
          },
        );
        outgoing.on('error', reject);
        outgoing.end(body);
      });
      assert.equal(answer.status, 413, `${path}: ${answer.text.slice(0, 200)}`);
      if (path.startsWith('/api')) assert.equal(JSON.parse(answer.text).code, 413);
    }
  });
});
