import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import Fastify, { type FastifyInstance } from 'fastify';
import { apiCommon } from '../../src/api/plugin.ts';
import { i18nPlugin } from '../../src/plugins/i18n.ts';
import { currentDialect, testConfig } from '../helpers.ts';
import { openPageTest, type PageTest } from '../support/pages.ts';

const json = (body: string) => JSON.parse(body) as Record<string, unknown>;

describe(`the JSON API's common behaviour on ${currentDialect()}`, () => {
  let page: PageTest;
  before(async () => {
    page = await openPageTest();
  });
  after(() => page.close());

  test('an unknown /api path is a JSON 404, for any method, never an HTML page', async () => {
    for (const method of ['GET', 'POST', 'PUT', 'DELETE'] as const) {
      const response = await page.app.inject({
        method,
        url: '/api/nothing/here?x=1',
        payload: method === 'GET' ? undefined : {},
      });
      assert.equal(response.statusCode, 404, method);
      assert.match(String(response.headers['content-type']), /^application\/json/);
      assert.deepEqual(json(response.body), {
        code: 404,
        message: 'Not Found',
        description: `There is no ${method} /api/nothing/here in the API.`,
      });
    }
  });

  test('malformed JSON and an oversized body are JSON 400 and 413', async () => {
    const post = (payload: string, type: string) =>
      page.app.inject({
        method: 'POST',
        url: '/api/nothing',
        payload,
        headers: { 'content-type': type },
      });
    const malformed = await post('{"a":', 'application/json');
    assert.equal(malformed.statusCode, 400);
    assert.equal(json(malformed.body).message, 'Bad Request');
    const huge = await post(JSON.stringify({ text: 'x'.repeat(1024 * 1024) }), 'application/json');
    assert.equal(huge.statusCode, 413);
    assert.equal(json(huge.body).message, 'Payload Too Large');
  });

  test('CORS: a preflight passes without auth and echoes the origin with credentials', async () => {
    const response = await page.app.inject({
      method: 'OPTIONS',
      url: '/api/users',
      headers: {
        origin: 'https://client.example',
        'access-control-request-method': 'PUT',
        'access-control-request-headers': 'Authorization, Content-Type',
      },
    });
    assert.equal(response.statusCode, 204);
    assert.equal(response.headers['access-control-allow-origin'], 'https://client.example');
    assert.equal(response.headers['access-control-allow-credentials'], 'true');
    assert.match(String(response.headers['access-control-allow-methods']), /PUT/);
    assert.match(String(response.headers['access-control-allow-methods']), /DELETE/);
    assert.match(String(response.headers['access-control-allow-headers']), /Authorization/);
    assert.match(String(response.headers['access-control-allow-headers']), /Content-Type/);
  });
});

describe('API validation errors and CORS_ORIGINS', {
  skip: currentDialect() !== 'sqlite' && 'dialect-independent',
}, () => {
  /** The API's handlers around one route with a schema, without a database. */
  async function apiWith(env: Record<string, string> = {}): Promise<FastifyInstance> {
    const app = Fastify();
    app.decorate('config', testConfig('sqlite://', env));
    await app.register(i18nPlugin);
    await app.register(
      async (api) => {
        await apiCommon(api);
        api.post(
          '/check',
          {
            schema: {
              body: {
                type: 'object',
                required: ['username', 'email'],
                properties: {
                  username: { type: 'string', minLength: 3 },
                  email: { type: 'string' },
                },
              },
              querystring: {
                type: 'object',
                properties: { limit: { type: 'integer', minimum: 1 } },
              },
            },
          },
          async () => ({ ok: true }),
        );
      },
      { prefix: '/api' },
    );
    return app;
  }

  test('failures are 400 "Validation Error" with messages by location and field', async () => {
    const app = await apiWith();
    const body = await app.inject({
      method: 'POST',
      url: '/api/check',
      payload: { username: 'ab' },
    });
    assert.equal(body.statusCode, 400);
    const error = json(body.body);
    assert.equal(error.message, 'Validation Error');
    assert.equal(error.code, 400);
    const fields = (error.errors as Record<string, Record<string, string[]>>).json;
    assert.ok(fields.email?.[0] || fields.username?.[0], JSON.stringify(error));
    const query = await app.inject({
      method: 'POST',
      url: '/api/check?limit=0',
      payload: { username: 'abc', email: 'a@b' },
    });
    assert.equal(query.statusCode, 400);
    assert.ok(
      (json(query.body).errors as Record<string, Record<string, string[]>>).query.limit.length > 0,
    );
    await app.close();
  });

  test('a body that is not JSON is a JSON 400, whatever its content type', async () => {
    const app = await apiWith();
    for (const type of ['text/csv', 'application/x-www-form-urlencoded', 'text/plain', undefined]) {
      const response = await app.inject({
        method: 'POST',
        url: '/api/check',
        payload: 'username=mary&email=mary@example.com',
        headers: type ? { 'content-type': type } : {},
      });
      assert.equal(response.statusCode, 400, String(type));
      assert.equal(json(response.body).message, 'Bad Request');
      assert.match(String(json(response.body).description), /must be JSON/);
    }
    const empty = await app.inject({
      method: 'POST',
      url: '/api/check',
      headers: { 'content-type': 'text/plain' },
    });
    assert.equal(empty.statusCode, 400, 'an empty body is no body: the schema then refuses it');
    assert.equal(json(empty.body).message, 'Validation Error');
    await app.close();
  });

  test('CORS_ORIGINS restricts which origins are echoed', async () => {
    const app = await apiWith({ CORS_ORIGINS: 'https://allowed.example' });
    const preflight = (origin: string) =>
      app.inject({
        method: 'OPTIONS',
        url: '/api/check',
        headers: { origin, 'access-control-request-method': 'POST' },
      });
    assert.equal(
      (await preflight('https://allowed.example')).headers['access-control-allow-origin'],
      'https://allowed.example',
    );
    assert.equal(
      (await preflight('https://other.example')).headers['access-control-allow-origin'],
      undefined,
    );
    await app.close();
  });
});
