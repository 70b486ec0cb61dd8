import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import { currentDialect } from '../helpers.ts';
import { apiToken } from '../support/api.ts';
import { type PageTest, seedPosts, seedUser, setUpPageTest } from '../support/pages.ts';

interface ListJson {
  data: { id: number; text: string }[];
  pagination: { offset: number; limit: number; count: number; total: number };
}

const PASSWORD = 'correct horse';
const at = (minutes: number) => new Date(Date.UTC(2026, 0, 1) + minutes * 60_000);

describe(`API search, GET /api/posts?q=, on ${currentDialect()}`, () => {
  let page: PageTest;
  let get: (url: string) => Promise<LightMyRequestResponse>;

  setUpPageTest({}, async (opened) => {
    page = opened;
    const mary = await seedUser(opened.db, 'mary', PASSWORD);
    const rows = [
      'Nothing much',
      'Sunny day',
      'Reading',
      'Off to work',
      'Lunch',
      'plum, plum, plum jam',
      ...Array.from({ length: 11 }, (_, i) => `one plum, number ${i}`),
    ];
    await seedPosts(
      opened.db,
      rows.map((body, i) => ({ author: mary, body, timestamp: at(i) })),
    );
    const token = await apiToken(opened.app, 'mary', PASSWORD);
    get = (url) => opened.app.inject({ url, headers: { authorization: `Bearer ${token}` } });
  });

  const list = async (url: string) => {
    const response = await get(url);
    assert.equal(response.statusCode, 200, response.body);
    return JSON.parse(response.body) as ListJson;
  };

  test('ranked, paged by offset, with the usual pagination and total', async () => {
    const first = await list('/api/posts?q=PLUM&limit=5');
    assert.equal(first.data[0].text, 'plum, plum, plum jam', 'the best match first');
    assert.deepEqual(first.pagination, { offset: 0, limit: 5, count: 5, total: 12 });
    const seen = new Set<number>();
    for (let offset = 0; offset < 12; offset += 5) {
      const part = await list(`/api/posts?q=plum&limit=5&offset=${offset}`);
      assert.equal(part.pagination.offset, offset);
      for (const post of part.data) seen.add(post.id);
    }
    assert.equal(seen.size, 12, 'the pages cover every match once');
    const both = await list(`/api/posts?q=${encodeURIComponent('number 7 + plum!')}`);
    assert.deepEqual(
      both.data.map((post) => post.text),
      ['one plum, number 7'],
    );
  });

  test('punctuation never fails; a blank q lists every post; q with after is a 400', async () => {
    const odd = await list(`/api/posts?q=${encodeURIComponent('"(*:-+~@<>\')')}`);
    assert.deepEqual(odd.pagination.total, 0);
    const all = await list('/api/posts?q=%20');
    assert.equal(all.pagination.total, 17);
    const response = await get('/api/posts?q=plum&after=2026-01-01T00:00:00Z');
    assert.equal(response.statusCode, 400);
    assert.match(response.body, /Cannot be used together with q\./);
    const past = await get('/api/posts?q=plum&offset=12');
    assert.equal(past.statusCode, 400, 'an offset past the matches, as for every list');
  });

  test('the OpenAPI document lists q', async () => {
    const response = await page.app.inject({ url: '/api/docs/json' });
    const document = JSON.parse(response.body);
    const parameters = document.paths['/api/posts'].get.parameters as { name: string }[];
    assert.ok(parameters.some((parameter) => parameter.name === 'q'));
  });
});
