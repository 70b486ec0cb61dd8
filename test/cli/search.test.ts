import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, test } from 'node:test';
import { pageOfPosts } from '../../src/domain/posts/lists.ts';
import { searchWords } from '../../src/domain/posts/search.ts';
import { currentDialect, openTestDatabase, runCli, type TestContext } from '../helpers.ts';
import { seedPosts, seedUser } from '../support/pages.ts';

describe(`microblog search reindex on ${currentDialect()}`, () => {
  let db: TestContext;
  beforeEach(async () => {
    db = await openTestDatabase();
  });
  afterEach(() => db.close());

  const found = async (text: string) => {
    const scope = { kind: 'search', words: searchWords(text) } as const;
    return (await pageOfPosts(db.em(), scope, 1, 25)).items.map((post) => post.body).sort();
  };

  test('rebuilds the index from the posts and says how many it holds', async () => {
    const author = await seedUser(db, 'susan');
    const rows = ['an old walrus', 'a young walrus', 'no such animal', 'x y'];
    await seedPosts(
      db,
      rows.map((body, i) => ({ author, body, timestamp: new Date(Date.UTC(2026, 0, 1, i)) })),
    );
    if (currentDialect() === 'sqlite') {
      // Only SQLite's index is a table that can lose its rows; empty it to see them return.
      await db.em().execute("insert into post_fts (post_fts) values ('delete-all')");
      assert.deepEqual(await found('walrus'), []);
    }
    const run = await runCli(['search', 'reindex'], { DATABASE_URL: db.database.url });
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stdout, 'Reindexed 4 posts.\n');
    assert.equal(run.stderr, '', 'no progress bar off a terminal');
    assert.deepEqual(await found('walrus'), ['a young walrus', 'an old walrus']);
    assert.deepEqual(await found('x'), ['x y']);
  });

  test('an empty database reindexes nothing, without an error', async () => {
    const run = await runCli(['search', 'reindex'], { DATABASE_URL: db.database.url });
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stdout, 'Reindexed 0 posts.\n');
  });
});
