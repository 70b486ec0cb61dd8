import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { currentDialect } from '../helpers.ts';
import { openPageTest, type PageTest } from '../support/pages.ts';

interface Operation {
  summary?: string;
  parameters?: { in: string; name: string }[];
  tags?: string[];
  security?: Record<string, string[]>[];
  responses?: Record<string, { content?: Record<string, { schema?: unknown }> }>;
}

interface Document {
  openapi: string;
  paths: Record<string, Record<string, Operation>>;
  components?: { securitySchemes?: Record<string, { type: string; scheme: string }> };
}

const BEARER = [{ token: [] }];

/** Every API route: method, path, tag and security. */
const ROUTES: [string, string, string, Record<string, string[]>[]][] = [
  ['post', '/api/tokens', 'tokens', [{ basic: [] }]],
  ['put', '/api/tokens', 'tokens', []],
  ['delete', '/api/tokens', 'tokens', BEARER],
  ['post', '/api/tokens/reset', 'tokens', []],
  ['put', '/api/tokens/reset', 'tokens', []],
  ['post', '/api/users', 'users', []],
  ['get', '/api/users', 'users', BEARER],
  ['get', '/api/users/{id}', 'users', BEARER],
  ['get', '/api/me', 'users', BEARER],
  ['put', '/api/me', 'users', BEARER],
  ['get', '/api/me/following/{id}', 'follows', BEARER],
  ['post', '/api/me/following/{id}', 'follows', BEARER],
  ['delete', '/api/me/following/{id}', 'follows', BEARER],
  ['get', '/api/me/following', 'follows', BEARER],
  ['get', '/api/me/followers', 'follows', BEARER],
  ['get', '/api/users/{id}/following', 'follows', BEARER],
  ['get', '/api/users/{id}/followers', 'follows', BEARER],
  ['post', '/api/posts', 'posts', BEARER],
  ['get', '/api/posts', 'posts', BEARER],
  ['get', '/api/posts/{id}', 'posts', BEARER],
  ['put', '/api/posts/{id}', 'posts', BEARER],
  ['delete', '/api/posts/{id}', 'posts', BEARER],
  ['get', '/api/users/{id}/posts', 'posts', BEARER],
  ['get', '/api/feed', 'posts', BEARER],
  ['get', '/api/messages', 'messages', BEARER],
  ['post', '/api/messages', 'messages', BEARER],
  ['get', '/api/messages/sent', 'messages', BEARER],
  ['get', '/api/messages/unread', 'messages', BEARER],
  ['post', '/api/messages/read', 'messages', BEARER],
  ['get', '/api/messages/{id}', 'messages', BEARER],
];

describe('the OpenAPI documentation', {
  skip: currentDialect() !== 'sqlite' && 'dialect-independent',
}, () => {
  let page: PageTest;
  let doc: Document;
  before(async () => {
    page = await openPageTest();
    const response = await page.app.inject({ url: '/api/docs/json' });
    assert.equal(response.statusCode, 200);
    assert.match(String(response.headers['content-type']), /^application\/json/);
    doc = JSON.parse(response.body) as Document;
  });
  after(() => page.close());

  test('GET /api/docs is an HTML page', async () => {
    const response = await page.app.inject({ url: '/api/docs' });
    assert.equal(response.statusCode, 200);
    assert.match(String(response.headers['content-type']), /^text\/html/);
    assert.match(response.body, /<html/i);
  });

  test('the document is OpenAPI 3 with the bearer and basic security schemes', () => {
    assert.match(doc.openapi, /^3\./);
    assert.deepEqual(doc.components?.securitySchemes, {
      token: { type: 'http', scheme: 'bearer' },
      basic: { type: 'http', scheme: 'basic' },
    });
  });

  test('every API route is listed, and nothing else', () => {
    const listed = Object.entries(doc.paths).flatMap(([path, operations]) =>
      Object.keys(operations).map((method) => `${method.toUpperCase()} ${path}`),
    );
    const expected = ROUTES.map(([method, path]) => `${method.toUpperCase()} ${path}`);
    assert.deepEqual(listed.toSorted(), expected.toSorted());
  });

  test('each route has a summary, its tag, its security and at least one error response', () => {
    for (const [method, path, tag, security] of ROUTES) {
      const name = `${method.toUpperCase()} ${path}`;
      const operation = doc.paths[path]?.[method];
      assert.ok(operation, name);
      assert.ok(operation.summary && operation.summary.length > 0, `${name}: summary`);
      assert.deepEqual(operation.tags, [tag], `${name}: tags`);
      assert.deepEqual(operation.security, security, `${name}: security`);
      const codes = Object.keys(operation.responses ?? {});
      assert.ok(
        codes.some((code) => /^2\d\d$/.test(code)),
        `${name}: a success response`,
      );
      const errors = codes.filter((code) => /^4\d\d$/.test(code));
      assert.ok(errors.length > 0, `${name}: an error response`);
      for (const code of errors) {
        const schema = operation.responses?.[code]?.content?.['application/json']?.schema as
          | { properties?: Record<string, unknown> }
          | undefined;
        assert.deepEqual(
          Object.keys(schema?.properties ?? {}).slice(0, 3),
          ['code', 'message', 'description'],
          `${name} ${code}: the error shape`,
        );
      }
      if (security.length > 0) assert.ok(codes.includes('401'), `${name}: 401`);
    }
  });

  test('every list documents its limit, offset and after query parameters (and q to search posts)', () => {
    const lists = ROUTES.filter(
      ([method, path]) => method === 'get' && /(users|following|followers|posts|feed)$/.test(path),
    );
    assert.equal(lists.length, 8);
    for (const [method, path] of lists) {
      const query = (doc.paths[path]?.[method]?.parameters ?? [])
        .filter((parameter) => parameter.in === 'query')
        .map((parameter) => parameter.name);
      const expected =
        path === '/api/posts' ? ['limit', 'offset', 'after', 'q'] : ['limit', 'offset', 'after'];
      assert.deepEqual(query, expected, `${method} ${path}`);
    }
  });

  test('the success bodies describe users, posts, pages and tokens', () => {
    const schemaOf = (path: string, method: string, code: string) =>
      doc.paths[path]?.[method]?.responses?.[code]?.content?.['application/json']?.schema as {
        properties: Record<string, { properties?: Record<string, unknown> }>;
      };
    assert.deepEqual(Object.keys(schemaOf('/api/me', 'get', '200').properties), [
      'id',
      'url',
      'username',
      'email',
      'has_password',
      'avatar_url',
      'about_me',
      'first_seen',
      'last_seen',
      'posts_url',
    ]);
    assert.deepEqual(Object.keys(schemaOf('/api/posts/{id}', 'get', '200').properties), [
      'id',
      'url',
      'text',
      'timestamp',
      'author',
    ]);
    const list = schemaOf('/api/feed', 'get', '200');
    assert.deepEqual(Object.keys(list.properties), ['data', 'pagination']);
    assert.deepEqual(Object.keys(list.properties.pagination.properties ?? {}), [
      'offset',
      'limit',
      'count',
      'total',
    ]);
    assert.deepEqual(Object.keys(schemaOf('/api/tokens', 'post', '200').properties), [
      'access_token',
      'refresh_token',
    ]);
    const validation = schemaOf('/api/users', 'post', '400');
    assert.ok('errors' in validation.properties, 'the 400 has the field errors');
    const deleted = doc.paths['/api/posts/{id}']?.delete?.responses?.['204'];
    assert.ok(deleted && !deleted.content, 'a 204 has no body');
  });
});
