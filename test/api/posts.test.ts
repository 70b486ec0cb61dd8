import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { Post, type User } from '../../src/db/entities/index.ts';
import { currentDialect } from '../helpers.ts';
import { apiToken } from '../support/api.ts';
import {
  expectedIds,
  type PageTest,
  seedFollowing,
  seedPosts,
  seedUser,
  seedUsers,
  setUpPageTest,
} from '../support/pages.ts';

type Json = Record<string, unknown>;
interface PostJson {
  id: number;
  url: string;
  text: string;
  timestamp: string;
  author: { id: number; username: string; url: string; email: string };
}
interface ListJson {
  data: PostJson[];
  pagination: { offset: number; limit: number; count: number; total: number };
}

const PASSWORD = 'correct horse';
const ENV = { RATELIMIT_ENABLED: 'false' };
const ISO_Z = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;
const BAD_IDS = ['-1', 'abc', '1.5', '0x10', '2147483648', '9223372036854775808', '1'.repeat(30)];

const body = <T = Json>(response: LightMyRequestResponse) => JSON.parse(response.body) as T;
const tokenFor = (app: FastifyInstance, username: string) => apiToken(app, username, PASSWORD);

/** An API client with a bearer token. */
function client(app: FastifyInstance, token: string) {
  const headers = { authorization: `Bearer ${token}` };
  return {
    get: (url: string) => app.inject({ method: 'GET', url, headers }),
    delete: (url: string) => app.inject({ method: 'DELETE', url, headers }),
    post: (url: string, payload: unknown) =>
      app.inject({ method: 'POST', url, headers, payload: payload as string }),
    put: (url: string, payload: unknown) =>
      app.inject({ method: 'PUT', url, headers, payload: payload as string }),
    raw: (method: 'POST' | 'PUT', url: string, payload: string) =>
      app.inject({
        method,
        url,
        payload,
        headers: { ...headers, 'content-type': 'application/json' },
      }),
  };
}
type Client = ReturnType<typeof client>;

/** Walks a list to its end by offset and by `after`; both must cover `expected` once. */
async function walk(api: Client, url: string, expected: number[], limit = 7) {
  const join = url.includes('?') ? '&' : '?';
  const byOffset: number[] = [];
  const offsets: number[] = [];
  for (let offset = 0; ; offset += limit) {
    const response = await api.get(`${url}${join}limit=${limit}&offset=${offset}`);
    assert.equal(response.statusCode, 200, response.body);
    const page = body<ListJson>(response);
    assert.deepEqual(page.pagination, {
      offset,
      limit,
      count: page.data.length,
      total: expected.length,
    });
    offsets.push(offset);
    byOffset.push(...page.data.map((post) => post.id));
    if (offset + limit >= expected.length) break;
  }
  const byAfter: number[] = [];
  const afterOffsets: number[] = [];
  let cursor = '';
  for (;;) {
    const response = await api.get(
      `${url}${join}limit=${limit}${cursor ? `&after=${encodeURIComponent(cursor)}` : ''}`,
    );
    assert.equal(response.statusCode, 200, response.body);
    const page = body<ListJson>(response);
    assert.equal(page.pagination.total, expected.length);
    assert.equal(page.pagination.count, page.data.length);
    if (page.data.length === 0) break;
    afterOffsets.push(page.pagination.offset);
    byAfter.push(...page.data.map((post) => post.id));
    cursor = page.data[page.data.length - 1].timestamp;
  }
  assert.deepEqual(byOffset, expected, 'the offset walk covers the list once, in order');
  assert.deepEqual(byAfter, expected, 'the after walk agrees with the offset walk');
  assert.deepEqual(afterOffsets, offsets, 'an after page reports where it starts');
}

const BASE = Date.UTC(2024, 0, 1);
const at = (minutes: number) => new Date(BASE + minutes * 60_000);

describe(`API posts on ${currentDialect()}`, () => {
  let page: PageTest;
  let mary: User;
  let john: User;
  let susan: User;
  let david: User;
  let asMary: Client;
  let asJohn: Client;

  setUpPageTest(ENV, async (opened) => {
    page = opened;
    mary = await seedUser(opened.db, 'mary', PASSWORD);
    john = await seedUser(opened.db, 'john', PASSWORD);
    [susan, david] = await seedUsers(opened.db, 'susan', 'david');
    const authors = [mary, john, susan, david];
    // 40 posts, distinct timestamps, authors interleaved out of id order.
    await seedPosts(
      opened.db,
      Array.from({ length: 40 }, (_, i) => ({
        author: authors[(i * 7) % 4],
        body: `post ${i}`,
        timestamp: at((i * 17) % 40),
      })),
    );
    await seedFollowing(opened.db, mary, [john, susan]);
    asMary = client(opened.app, await tokenFor(opened.app, 'mary'));
    asJohn = client(opened.app, await tokenFor(opened.app, 'john'));
  });

  const postCount = () => page.db.em().count(Post, {});

  test('every endpoint needs a bearer token', async () => {
    for (const [method, url] of [
      ['POST', '/api/posts'],
      ['GET', '/api/posts'],
      ['GET', '/api/posts/1'],
      ['PUT', '/api/posts/1'],
      ['DELETE', '/api/posts/1'],
      ['GET', `/api/users/1/posts`],
      ['GET', '/api/feed'],
    ] as const) {
      const response = await page.app.inject({
        method,
        url,
        headers: { authorization: 'Bearer null' },
        payload: method === 'POST' || method === 'PUT' ? { text: 'x' } : undefined,
      });
      assert.equal(response.statusCode, 401, `${method} ${url}`);
      assert.equal(body(response).message, 'Unauthorized');
    }
  });

  test('POST /api/posts creates a post: 201, the post, and its row', async () => {
    const before = Date.now();
    const response = await asMary.post('/api/posts', { text: 'Hello, API!' });
    assert.equal(response.statusCode, 201, response.body);
    const post = body<PostJson>(response);
    assert.equal(post.url, `/api/posts/${post.id}`);
    assert.equal(post.text, 'Hello, API!');
    assert.match(post.timestamp, ISO_Z);
    assert.ok(Date.parse(post.timestamp) >= before - 1000);
    assert.equal(post.author.id, mary.id);
    assert.equal(post.author.username, 'mary');
    assert.equal(post.author.url, `/api/users/${mary.id}`);
    assert.ok(!response.body.includes('argon2'), 'no password hash');

    const row = await page.db.em().findOneOrFail(Post, post.id, { populate: ['author'] });
    assert.equal(row.body, 'Hello, API!');
    assert.equal(row.author.username, 'mary');
    assert.equal(row.timestamp.toISOString(), post.timestamp);
  });

  test('POST /api/posts validates text: 1-280 code points, no control characters', async () => {
    const count = await postCount();
    const fieldError = async (response: LightMyRequestResponse, field = 'text') => {
      assert.equal(response.statusCode, 400, response.body);
      const error = body<{ message: string; errors: { json: Record<string, string[]> } }>(response);
      assert.equal(error.message, 'Validation Error');
      assert.ok(error.errors.json[field]?.[0], response.body);
      return error.errors.json[field][0];
    };
    await fieldError(await asMary.post('/api/posts', { text: '' }));
    await fieldError(await asMary.post('/api/posts', { text: 'a'.repeat(281) }));
    await fieldError(await asMary.post('/api/posts', { text: `${'😀'.repeat(280)}a` }));
    await fieldError(await asMary.post('/api/posts', { text: 'nul \u0000 inside' }));
    await fieldError(await asMary.post('/api/posts', { text: 'bell \u0007' }));
    await fieldError(await asMary.raw('POST', '/api/posts', '{"text": "lone \\ud800 half"}'));
    await fieldError(await asMary.raw('POST', '/api/posts', '{"text": "lone \\udc00"}'));
    assert.equal(
      await fieldError(await asMary.post('/api/posts', { text: 123 })),
      'Not a valid string.',
    );
    await fieldError(await asMary.post('/api/posts', { text: ['x'] }));
    await fieldError(await asMary.post('/api/posts', { text: null }));
    assert.equal(
      await fieldError(await asMary.post('/api/posts', { other: 'x' })),
      'Missing data for required field.',
    );
    assert.equal(
      await fieldError(await asMary.post('/api/posts', { text: 'fine', mood: 'happy' }), 'mood'),
      'Unknown field.',
    );
    await fieldError(await asMary.raw('POST', '/api/posts', '"just text"'), '_schema');
    const malformed = await asMary.raw('POST', '/api/posts', '{"text":');
    assert.equal(malformed.statusCode, 400);
    assert.equal(body(malformed).code, 400);
    assert.equal(await postCount(), count, 'no invalid post was stored');

    const emoji = '😀'.repeat(280);
    const accepted = await asMary.post('/api/posts', { text: emoji });
    assert.equal(accepted.statusCode, 201, accepted.body);
    assert.equal(body<PostJson>(accepted).text, emoji);
    const row = await page.db.em().findOneOrFail(Post, body<PostJson>(accepted).id);
    assert.equal(row.body, emoji, 'the column holds 280 four-byte characters');
    const lines = await asMary.post('/api/posts', { text: 'two\nlines\tand a tab' });
    assert.equal(lines.statusCode, 201);
    assert.equal(await postCount(), count + 2);
  });

  test('GET /api/posts/:id: the post; 404 for a missing or bad id', async () => {
    const [id] = await expectedIds(page.db, [john]);
    const response = await asMary.get(`/api/posts/${id}`);
    assert.equal(response.statusCode, 200);
    const post = body<PostJson>(response);
    const row = await page.db.em().findOneOrFail(Post, id);
    assert.deepEqual(
      { id: post.id, text: post.text, timestamp: post.timestamp, author: post.author.username },
      { id, text: row.body, timestamp: row.timestamp.toISOString(), author: 'john' },
    );
    assert.equal(post.author.email, 'john@example.com');

    for (const bad of ['999999', ...BAD_IDS]) {
      const missing = await asMary.get(`/api/posts/${bad}`);
      assert.equal(missing.statusCode, 404, bad);
      assert.deepEqual(Object.keys(body(missing)).sort(), ['code', 'description', 'message']);
      assert.equal(body(missing).code, 404);
    }
  });

  test('PUT /api/posts/:id: the author edits; others get 403, a missing post 404', async () => {
    const created = body<PostJson>(await asMary.post('/api/posts', { text: 'first draft' }));
    const url = `/api/posts/${created.id}`;
    const stored = async () => (await page.db.em().findOneOrFail(Post, created.id)).body;

    const forbidden = await asJohn.put(url, { text: 'hijacked' });
    assert.equal(forbidden.statusCode, 403);
    assert.equal(body(forbidden).message, 'Forbidden');
    assert.equal(await stored(), 'first draft');

    const invalid = await asMary.put(url, { text: 'x'.repeat(281) });
    assert.equal(invalid.statusCode, 400);
    assert.ok(body<{ errors: { json: { text: string[] } } }>(invalid).errors.json.text[0]);
    assert.equal(await stored(), 'first draft');

    const edited = await asMary.put(url, { text: 'final text' });
    assert.equal(edited.statusCode, 200, edited.body);
    assert.equal(body<PostJson>(edited).text, 'final text');
    assert.equal(body<PostJson>(edited).id, created.id);
    assert.equal(body<PostJson>(edited).timestamp, created.timestamp);
    assert.equal(body<PostJson>(edited).author.username, 'mary');
    assert.equal(await stored(), 'final text');

    const unchanged = await asMary.put(url, {});
    assert.equal(unchanged.statusCode, 200, 'a partial update without text changes nothing');
    assert.equal(await stored(), 'final text');

    for (const bad of ['999999', ...BAD_IDS]) {
      const missing = await asMary.put(`/api/posts/${bad}`, { text: 'x' });
      assert.equal(missing.statusCode, 404, bad);
      assert.equal(body(missing).message, 'Not Found');
    }
  });

  test('DELETE /api/posts/:id: the author deletes (204, empty); others 403; then 404', async () => {
    const created = body<PostJson>(await asMary.post('/api/posts', { text: 'short-lived' }));
    const url = `/api/posts/${created.id}`;
    const row = () => page.db.em().findOne(Post, created.id);

    const forbidden = await asJohn.delete(url);
    assert.equal(forbidden.statusCode, 403);
    assert.equal(body(forbidden).code, 403);
    assert.ok(await row(), 'still there');

    const deleted = await asMary.delete(url);
    assert.equal(deleted.statusCode, 204);
    assert.equal(deleted.body, '');
    assert.equal(await row(), null);

    assert.equal((await asMary.delete(url)).statusCode, 404);
    assert.equal((await asMary.get(url)).statusCode, 404);
    for (const bad of BAD_IDS)
      assert.equal((await asMary.delete(`/api/posts/${bad}`)).statusCode, 404);
  });

  test('GET /api/posts: every post, newest first', async () => {
    const response = await asMary.get('/api/posts');
    assert.equal(response.statusCode, 200);
    const list = body<ListJson>(response);
    const expected = await expectedIds(page.db, null);
    assert.deepEqual(
      list.data.map((post) => post.id),
      expected.slice(0, 25),
    );
    assert.deepEqual(list.pagination, { offset: 0, limit: 25, count: 25, total: expected.length });
    const times = list.data.map((post) => Date.parse(post.timestamp));
    assert.deepEqual(
      times,
      [...times].sort((a, b) => b - a),
    );
    for (const post of list.data) {
      assert.match(post.timestamp, ISO_Z);
      assert.equal(post.url, `/api/posts/${post.id}`);
      assert.ok(post.author.username);
    }
  });

  test('GET /api/users/:id/posts: that user only, newest first; 404 for unknown users', async () => {
    const response = await asMary.get(`/api/users/${john.id}/posts?limit=50`);
    assert.equal(response.statusCode, 200);
    const list = body<ListJson>(response);
    const expected = await expectedIds(page.db, [john]);
    assert.deepEqual(
      list.data.map((post) => post.id),
      expected,
    );
    assert.equal(list.pagination.total, expected.length);
    assert.ok(list.data.every((post) => post.author.id === john.id));

    const empty = await asMary.get(`/api/users/${mary.id + 1000}/posts`);
    assert.equal(empty.statusCode, 404);
    assert.equal(body(empty).message, 'Not Found');
    for (const bad of BAD_IDS)
      assert.equal((await asMary.get(`/api/users/${bad}/posts`)).statusCode, 404, bad);
  });

  test('GET /api/feed: own and followed posts only, newest first', async () => {
    const expected = await expectedIds(page.db, [mary, john, susan]);
    const response = await asMary.get('/api/feed?limit=25');
    assert.equal(response.statusCode, 200);
    const list = body<ListJson>(response);
    assert.deepEqual(
      list.data.map((post) => post.id),
      expected.slice(0, 25),
    );
    assert.equal(list.pagination.total, expected.length);
    const davids = new Set(await expectedIds(page.db, [david]));
    assert.ok(davids.size > 0);
    assert.ok(list.data.every((post) => !davids.has(post.id)));
    assert.ok(
      list.data.some((post) => post.author.id === mary.id),
      'own posts are in',
    );

    // John follows nobody: his feed is his own posts.
    const johns = body<ListJson>(await asJohn.get('/api/feed?limit=25'));
    assert.deepEqual(
      johns.data.map((post) => post.id),
      await expectedIds(page.db, [john]),
    );
  });

  test('walking every list by offset and by after agrees and covers it once', async () => {
    await walk(asMary, '/api/posts', await expectedIds(page.db, null));
    await walk(asMary, `/api/users/${susan.id}/posts`, await expectedIds(page.db, [susan]), 3);
    await walk(asMary, '/api/feed', await expectedIds(page.db, [mary, john, susan]));
    await walk(asMary, '/api/feed', await expectedIds(page.db, [mary, john, susan]), 25);
  });

  test('an empty list is a valid page', async () => {
    const [nobody] = await seedUsers(page.db, 'nobody');
    const response = await asMary.get(`/api/users/${nobody.id}/posts?offset=0`);
    assert.equal(response.statusCode, 200);
    assert.deepEqual(body(response), {
      data: [],
      pagination: { offset: 0, limit: 25, count: 0, total: 0 },
    });
  });

  test('pagination errors are 400 with the query field; limit is capped at 25', async () => {
    const total = (await expectedIds(page.db, null)).length;
    // Out of range is microblog-api's bare 400, "Bad Request"; the rest do not validate.
    const plain = 'Bad Request';
    const invalid = 'Validation Error';
    for (const [query, field, message] of [
      ['offset=-1', 'offset', plain],
      ['limit=0', 'limit', plain],
      ['limit=-5', 'limit', plain],
      ['limit=abc', 'limit', invalid],
      ['offset=1e3', 'offset', invalid],
      ['offset=99999999999999999999', 'offset', invalid],
      [`offset=${total}`, 'offset', plain],
      ['offset=5&after=2024-01-01T00:00:00Z', 'after', invalid],
      ['after=yesterday', 'after', invalid],
      ['after=Nov%205%202021', 'after', invalid],
      ['after=%00', 'after', invalid],
    ]) {
      for (const url of ['/api/posts', '/api/feed', `/api/users/${mary.id}/posts`]) {
        if (query.startsWith('offset=') && /^offset=\d+$/.test(query) && url !== '/api/posts')
          continue; // the past-the-end offset is sized for /api/posts
        const response = await asMary.get(`${url}?${query}`);
        assert.equal(response.statusCode, 400, `${url}?${query}: ${response.body}`);
        const error = body<{ message: string; errors: { query: Record<string, string[]> } }>(
          response,
        );
        assert.equal(error.message, message, `${url}?${query}`);
        assert.ok(error.errors.query[field]?.[0], `${url}?${query}: ${response.body}`);
      }
    }
    const capped = body<ListJson>(await asMary.get('/api/posts?limit=100'));
    assert.equal(capped.pagination.limit, 25);
    assert.equal(capped.data.length, 25);
    const last = body<ListJson>(await asMary.get(`/api/posts?offset=${total - 1}`));
    assert.equal(last.data.length, 1);
    const old = body<ListJson>(await asMary.get(`/api/feed?after=${at(0).toISOString()}`));
    assert.deepEqual(old.data, [], 'nothing is older than the oldest post');
    assert.equal(old.pagination.offset, old.pagination.total);
    // A time without a zone is UTC, whatever the server's zone (Node applies TZ at once).
    const cursor = at(5).toISOString();
    const zoned = body<ListJson>(await asMary.get(`/api/posts?after=${cursor}`));
    const zone = process.env.TZ;
    process.env.TZ = 'America/New_York';
    try {
      const zoneless = await asMary.get(`/api/posts?after=${cursor.slice(0, -1)}`);
      assert.ok(zoned.data.length > 0);
      assert.deepEqual(body<ListJson>(zoneless), zoned);
    } finally {
      if (zone === undefined) delete process.env.TZ;
      else process.env.TZ = zone;
    }
  });
});

describe(`API feed over many followed authors on ${currentDialect()}`, () => {
  let page: PageTest;
  let fan: User;
  let authors: User[];
  let asFan: Client;

  setUpPageTest(ENV, async (opened) => {
    page = opened;
    fan = await seedUser(opened.db, 'fan', PASSWORD);
    // More authors than one merge query takes, so the feed merges in chunks.
    authors = await seedUsers(opened.db, ...Array.from({ length: 430 }, (_, i) => `author${i}`));
    const [stranger] = await seedUsers(opened.db, 'stranger');
    await seedPosts(opened.db, [
      ...authors.map((author, i) => ({
        author,
        body: `by ${author.username}`,
        timestamp: at((i * 37) % 430),
      })),
      ...authors.slice(0, 20).map((author, i) => ({
        author,
        body: `again by ${author.username}`,
        timestamp: at(1000 + i),
      })),
      { author: fan, body: 'mine', timestamp: at(500) },
      { author: stranger, body: 'not followed', timestamp: at(2000) },
    ]);
    await seedFollowing(opened.db, fan, authors);
    asFan = client(opened.app, await tokenFor(opened.app, 'fan'));
  });

  test('the feed merges every followed author once, newest first, by offset and after', async () => {
    const expected = await expectedIds(page.db, [fan, ...authors]);
    assert.equal(expected.length, 451);
    await walk(asFan, '/api/feed', expected, 25);
    const deep = body<ListJson>(await asFan.get('/api/feed?offset=440&limit=25'));
    assert.deepEqual(
      deep.data.map((post) => post.id),
      expected.slice(440),
    );
  });
});
