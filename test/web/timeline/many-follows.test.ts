import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { currentDialect, type TestContext } from '../../helpers.ts';
import { postsOf } from '../../support/html.ts';
import {
  expectedIds,
  type PageTest,
  seedFollowing,
  seedPosts,
  seedUsers,
  setUpPageTest,
  signIn,
  userNamed,
} from '../../support/pages.ts';

// SQLite allows 500 terms in one compound SELECT; a reader following more authors than
// that gets the timeline merged in chunks, with the same result.
describe(`the timeline of a user following 600 authors on ${currentDialect()}`, () => {
  let page: PageTest;
  setUpPageTest({ POSTS_PER_PAGE: '10' }, (opened) => {
    page = opened;
  });

  async function seedAuthors(db: TestContext) {
    const authors = await seedUsers(db, ...Array.from({ length: 600 }, (_, i) => `author${i}`));
    const start = Date.UTC(2026, 0, 1);
    // Interleaved in time, so every chunk contributes to every page.
    await seedPosts(
      db,
      authors.flatMap((author, i) => [
        { author, body: `a${i}`, timestamp: new Date(start + i * 1000) },
        { author, body: `b${i}`, timestamp: new Date(start + (599 - i) * 1000 + 500) },
      ]),
    );
    return authors;
  }

  test('every page holds the right posts, in order, with no gaps', async () => {
    const authors = await seedAuthors(page.db);
    const reader = await signIn(page.app, 'reader');
    await seedFollowing(page.db, await userNamed(page.db, 'reader'), authors);
    const expected = await expectedIds(page.db, authors);
    for (const number of [1, 2, 7]) {
      const response = await reader.get(number === 1 ? '/index' : `/index?page=${number}`);
      assert.equal(response.statusCode, 200);
      assert.deepEqual(
        postsOf(response.body).map((post) => post.id),
        expected.slice((number - 1) * 10, number * 10),
        `page ${number}`,
      );
    }
  });
});
