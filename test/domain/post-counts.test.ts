import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Post, User } from '../../src/db/entities/index.ts';
import { downgrade, upgrade } from '../../src/db/migrations/runner.ts';
import { createPost, deletePost } from '../../src/domain/posts/posts.ts';
import { currentDialect, openTestDatabase, type TestContext } from '../helpers.ts';

describe(`post counts on ${currentDialect()}`, () => {
  let db: TestContext;
  before(async () => {
    db = await openTestDatabase();
  });
  after(() => db.close());

  const countOf = async (id: number) => (await db.em().findOneOrFail(User, id)).postCount;

  test('writing and deleting posts keeps the count, concurrent writes included', async () => {
    const em = db.em();
    const author = em.create(User, { username: 'counter', email: 'counter@example.com' });
    await em.flush();
    await Promise.all(
      Array.from({ length: 8 }, async (_, n) => {
        const fork = db.em();
        await createPost(fork, await fork.findOneOrFail(User, author.id), `post ${n}`);
      }),
    );
    assert.equal(await countOf(author.id), 8);
    const [first] = await db.em().find(Post, { author: author.id });
    const fork = db.em();
    assert.equal(
      await deletePost(fork, await fork.findOneOrFail(User, author.id), first.id),
      'deleted',
    );
    assert.equal(await countOf(author.id), 7);
    assert.equal(await db.em().count(Post, { author: author.id }), 7);
  });

  test('the revision that adds the count fills it for existing posts', async () => {
    const { history } = db.migrations;
    const adding = history.findIndex(
      (r) => r.message === 'post language, user locale and post counts',
    );
    assert.ok(adding > 0);
    await downgrade(db.migrations, history[adding - 1].rev);
    const em = db.em();
    const q = (name: string) => em.getPlatform().quoteIdentifier(name);
    await em.execute(
      `insert into ${q('user')} (username, email) values ('veteran', 'v@example.com')`,
    );
    const [{ id }] = await em.execute(`select id from ${q('user')} where username = 'veteran'`);
    const at = db.database.dialect === 'sqlite' ? Date.now() : new Date();
    for (let n = 0; n < 3; n++)
      await em.execute(`insert into ${q('post')} (body, timestamp, user_id) values (?, ?, ?)`, [
        `old ${n}`,
        at,
        id,
      ]);
    await upgrade(db.migrations);
    assert.equal(await countOf(Number(id)), 3);
  });
});
