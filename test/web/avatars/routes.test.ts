import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import Fastify, { type FastifyInstance } from 'fastify';
import { identiconSvg } from '../../../src/web/avatars/identicon.ts';
import { avatarRoutes } from '../../../src/web/avatars/routes.ts';
import { currentDialect } from '../../helpers.ts';

const md5 = (text: string) => createHash('md5').update(text).digest('hex');
const MARY = md5('mary@mail.com');
const SUSAN = md5('susan@mail.com');

// No database is involved, so one pass of the per-dialect suite is enough.
describe('the avatar route', {
  skip: currentDialect() !== 'sqlite' && 'dialect-independent',
}, () => {
  let app: FastifyInstance;

  before(async () => {
    // Only the avatar routes: the app's error pages need the views plugin and a database.
    app = Fastify({ logger: false });
    await app.register(avatarRoutes);
    await app.ready();
  });
  after(() => app.close());

  const get = (url: string, headers: Record<string, string> = {}) =>
    app.inject({ method: 'GET', url, headers });

  test('GET /avatar/<hash> serves the SVG with long cache headers', async () => {
    const response = await get(`/avatar/${MARY}?d=identicon&s=40`);
    assert.equal(response.statusCode, 200);
    assert.equal(response.headers['content-type'], 'image/svg+xml; charset=utf-8');
    assert.equal(response.headers['cache-control'], 'public, max-age=31536000, immutable');
    assert.equal(response.headers.etag, `"${MARY}-40"`);
    assert.equal(response.body, identiconSvg(MARY, 40));
    assert.match(response.body, /width="40" height="40"/);
    const other = await get(`/avatar/${SUSAN}?s=40`);
    assert.notEqual(other.body, response.body);
  });

  test('the size defaults to 80 and is clamped to 1..512', async () => {
    const sizes = {
      '': 80,
      '?s=0': 1,
      '?s=512': 512,
      '?s=513': 512,
      [`?s=${'9'.repeat(40)}`]: 512,
    };
    for (const [query, size] of Object.entries(sizes)) {
      const response = await get(`/avatar/${MARY}${query}`);
      assert.equal(response.statusCode, 200, query);
      assert.match(response.body, new RegExp(`width="${size}" height="${size}"`), query);
    }
  });

  test('a size that is not a whole number is a 400', async () => {
    for (const query of ['s=abc', 's=-5', 's=1.5', 's=', 's=1e3', 's=10&s=20']) {
      const response = await get(`/avatar/${MARY}?${query}`);
      assert.equal(response.statusCode, 400, query);
      assert.match(response.json().message, /querystring\/s/, query);
      assert.ok(!response.body.includes('<svg'), query);
    }
  });

  test('a malformed hash is a 404, whatever the size', async () => {
    const hashes = [MARY.toUpperCase(), MARY.slice(1), `${MARY}0`, 'g'.repeat(32), '%3Csvg%3E'];
    for (const hash of hashes) {
      const response = await get(`/avatar/${hash}?s=abc`);
      assert.equal(response.statusCode, 404, hash);
      assert.ok(!response.body.includes('<svg'), hash);
    }
  });

  test('If-None-Match with the current ETag gets a 304 without a body', async () => {
    const first = await get(`/avatar/${MARY}?s=50`);
    const etag = first.headers.etag as string;
    for (const ifNoneMatch of [etag, `W/${etag}`, `"other", ${etag}`, '*']) {
      const response = await get(`/avatar/${MARY}?s=50`, { 'if-none-match': ifNoneMatch });
      assert.equal(response.statusCode, 304, ifNoneMatch);
      assert.equal(response.body, '');
      assert.equal(response.headers.etag, etag);
      assert.equal(response.headers['cache-control'], 'public, max-age=31536000, immutable');
    }
    const resized = await get(`/avatar/${MARY}?s=51`, { 'if-none-match': etag });
    assert.equal(resized.statusCode, 200, 'another size is another entity');
    assert.match(resized.body, /width="51"/);
  });
});
