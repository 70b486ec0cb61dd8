import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { Post, type User } from '../../../src/db/entities/index.ts';
import { currentDialect, type TestContext } from '../../helpers.ts';
import { errorTitle, pagerOf, postsOf, type RenderedPost } from '../../support/html.ts';
import {
  expectedIds,
  postCount,
  seedFollowing,
  seedPosts,
  seedUsers,
  setUpPageTest,
  signIn,
  userNamed,
} from '../../support/pages.ts';
import { WebClient } from '../../support/web-client.ts';

describe(`timeline pagination and explore on ${currentDialect()}`, () => {
  let db: TestContext;
  let app: FastifyInstance;
  setUpPageTest({ POSTS_PER_PAGE: '3' }, (opened) => {
    ({ db, app } = opened);
  });

  /** Follows "Older posts" from `start` to the end; returns every page's posts. */
  async function walk(client: WebClient, start: string): Promise<RenderedPost[][]> {
    const pages: RenderedPost[][] = [];
    let url: string | null = start;
    let previous: string | null = null;
    while (url) {
      const response = await client.get(url);
      assert.equal(response.statusCode, 200, url);
      const pager = pagerOf(response.body) ?? { newer: null, older: null };
      assert.equal(pager.newer, previous, `the Newer link of ${url}`);
      pages.push(postsOf(response.body));
      previous = url;
      url = pager.older;
      assert.ok(pages.length < 200, 'the Older links end');
    }
    return pages;
  }

  test('home paginates: 3 per page, Older/Newer links, an empty page past the end', async () => {
    const pat = await signIn(app, 'pat');
    const me = await userNamed(db, 'pat');
    const minute = (n: number) => new Date(Date.UTC(2025, 1, 1, 0, n));
    await seedPosts(
      db,
      [1, 2, 3, 4, 5, 6, 7].map((n) => ({ author: me, body: `pat ${n}`, timestamp: minute(n) })),
    );
    const bodies = async (url: string) => {
      const response = await pat.get(url);
      assert.equal(response.statusCode, 200, url);
      return {
        posts: postsOf(response.body).map((post) => post.body),
        pager: pagerOf(response.body),
        html: response.body,
      };
    };
    const first = await bodies('/index');
    assert.deepEqual(first.posts, ['pat 7', 'pat 6', 'pat 5']);
    assert.deepEqual(first.pager, { newer: null, older: '/index?page=2' });
    const second = await bodies('/index?page=2');
    assert.deepEqual(second.posts, ['pat 4', 'pat 3', 'pat 2']);
    assert.deepEqual(second.pager, { newer: '/index', older: '/index?page=3' });
    const last = await bodies('/index?page=3');
    assert.deepEqual(last.posts, ['pat 1']);
    assert.deepEqual(last.pager, { newer: '/index?page=2', older: null });
    const beyond = await bodies('/index?page=4');
    assert.deepEqual(beyond.posts, []);
    assert.match(
      beyond.html,
      /<p class="text-body-secondary empty">No posts yet: follow someone, or say something!<\/p>/,
    );
    assert.deepEqual(beyond.pager, { newer: '/index?page=3', older: null });
    assert.equal(await postCount(db, 'pat'), 7);
  });

  test('a bad page number is a 400 page on every timeline, never a 500', async () => {
    const val = await signIn(app, 'val');
    const before = await db.em().count(Post);
    const pages = ['0', '-1', 'abc', '1.5', '99999999999', '', '1e2', '2&page=3', '%00'];
    for (const base of [
      '/index',
      '/explore',
      '/user/val',
      '/user/val/followers',
      '/user/val/following',
    ]) {
      for (const page of pages) {
        const url = `${base}?page=${page}`;
        const response = await val.get(url);
        assert.equal(response.statusCode, 400, url);
        assert.equal(errorTitle(response.body), 'Bad request', url);
        assert.match(
          response.body,
          /<p class="error-detail">The page number must be a whole number from 1\.<\/p>/,
        );
        assert.match(response.body, /<nav class="navbar[^"]*" aria-label="Main">/, 'in the layout');
        assert.deepEqual(postsOf(response.body), [], url);
      }
    }
    assert.equal(await db.em().count(Post), before);
  });

  test('the timeline of 5 followed authors walks every page in order, without gaps or duplicates', async () => {
    const reader = await signIn(app, 'reader');
    const me = await userNamed(db, 'reader');
    const authors = await seedUsers(db, 'alpha', 'bravo', 'charlie', 'delta', 'echo');
    const [stranger] = await seedUsers(db, 'stranger');
    await seedFollowing(db, me, authors);
    const base = Date.UTC(2025, 2, 1);
    const rows: { author: User; body: string; timestamp: Date }[] = [];
    for (let round = 0; round < 20; round++) {
      authors.forEach((author, k) => {
        // Interleaved in time; every two posts share a timestamp, so ties need the id order.
        const tick = Math.floor((round * 5 + k) / 2);
        rows.push({
          author,
          body: `${author.username} ${round}`,
          timestamp: new Date(base + tick * 1000),
        });
      });
      if (round % 4 === 0) {
        rows.push({
          author: me,
          body: `reader ${round}`,
          timestamp: new Date(base + round * 2500 + 1),
        });
        rows.push({
          author: stranger,
          body: `stranger ${round}`,
          timestamp: new Date(base + round * 2500),
        });
      }
    }
    await seedPosts(db, rows);
    const expected = await expectedIds(db, [me, ...authors]);
    assert.equal(expected.length, 105);

    const pages = await walk(reader, '/index');
    assert.equal(pages.length, 35);
    for (const page of pages) assert.equal(page.length, 3);
    const seen = pages.flat().map((post) => post.id);
    assert.equal(new Set(seen).size, seen.length, 'no duplicates');
    assert.deepEqual(seen, expected);
    assert.ok(!pages.flat().some((post) => post.author === 'stranger'));
    const beyond = await reader.get('/index?page=36');
    assert.deepEqual(postsOf(beyond.body), []);
  });

  test("a profile pages through only that user's posts", async () => {
    const [writer, other] = await seedUsers(db, 'writer', 'other');
    const day = (n: number, hour = 0) => new Date(Date.UTC(2025, 5, n, hour));
    await seedPosts(
      db,
      [1, 2, 3, 4].flatMap((n) => [
        { author: writer, body: `writer ${n}`, timestamp: day(n) },
        { author: other, body: `other ${n}`, timestamp: day(n, 1) },
      ]),
    );
    const visitor = new WebClient(app);
    const pages = await walk(visitor, '/user/writer');
    assert.deepEqual(
      pages.map((page) => page.map((post) => post.body)),
      [['writer 4', 'writer 3', 'writer 2'], ['writer 1']],
    );
    assert.deepEqual(
      pages.flat().map((post) => post.id),
      await expectedIds(db, [writer]),
    );
    const beyond = await visitor.get('/user/writer?page=3');
    assert.deepEqual(postsOf(beyond.body), []);
    assert.match(
      beyond.body,
      /<p class="text-body-secondary empty">writer has not posted yet\.<\/p>/,
    );
  });

  test('explore shows every post newest first to a visitor, paginated the same way', async () => {
    // 110 posts by three authors, out of id order; every two share a timestamp, so ties
    // need the id order. (Posts that other tests of this file add are listed as well.)
    const explorers = await seedUsers(db, 'explorer1', 'explorer2', 'explorer3');
    const base = Date.UTC(2025, 8, 1);
    await seedPosts(
      db,
      Array.from({ length: 110 }, (_, i) => ({
        author: explorers[i % 3],
        body: `explored ${i}`,
        timestamp: new Date(base + ((i * 37) % 55) * 1000),
      })),
    );
    const visitor = new WebClient(app);
    const expected = await expectedIds(db, null);
    assert.ok(expected.length > 100, 'more than 100 posts to page through');
    const first = await visitor.get('/explore');
    assert.equal(first.statusCode, 200);
    assert.match(first.body, /<title>Explore - Microblog<\/title>/);
    assert.ok(!first.body.includes('action="/index"'), 'no post form for a visitor');
    assert.deepEqual(pagerOf(first.body), { newer: null, older: '/explore?page=2' });

    const pages = await walk(visitor, '/explore');
    assert.equal(pages.length, Math.ceil(expected.length / 3));
    for (const page of pages.slice(0, -1)) assert.equal(page.length, 3);
    const seen = pages.flat();
    assert.deepEqual(
      seen.map((post) => post.id),
      expected,
    );
    const authors = await db
      .em()
      .find(Post, {}, { populate: ['author'], orderBy: { timestamp: 'desc', id: 'desc' } });
    assert.deepEqual(
      seen.map((post) => `${post.author}: ${post.body}`),
      authors.map((post) => `${post.author.username}: ${post.body}`),
    );
    const beyond = await visitor.get(`/explore?page=${pages.length + 1}`);
    assert.equal(beyond.statusCode, 200);
    assert.match(beyond.body, /<p class="text-body-secondary empty">No posts yet\.<\/p>/);
    assert.deepEqual(pagerOf(beyond.body), { newer: `/explore?page=${pages.length}`, older: null });
  });
});
