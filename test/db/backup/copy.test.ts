import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { copyDatabase } from '../../../src/db/backup/copy.ts';
import { Post, User } from '../../../src/db/entities/index.ts';
import { currentDialect, openTestDatabase, type TestContext } from '../../helpers.ts';
import { addAwkwardRows, databaseContent } from '../../support/content.ts';
import type { TestDialect } from '../../support/databases.ts';

const KINDS: TestDialect[] = ['sqlite', 'postgresql', 'mariadb'];

/** Every kind once, starting with the one under test. */
function fromCurrent(): TestDialect[] {
  const start = KINDS.indexOf(currentDialect());
  return [...KINDS.slice(start), ...KINDS.slice(0, start)];
}

describe(`copying a database from ${currentDialect()}`, () => {
  const opened: TestContext[] = [];
  const open = async (options: Parameters<typeof openTestDatabase>[0]) => {
    const db = await openTestDatabase(options);
    opened.push(db);
    return db;
  };
  after(async () => {
    for (const db of opened) await db.close();
  });

  test('round trip through every kind and back keeps every value, id and sequence', async () => {
    const [first, ...others] = fromCurrent();
    const start = await open({ dialect: first });
    await addAwkwardRows(start.em());
    const expected = await databaseContent(start.em());
    let source = start;
    for (const dialect of [...others, first]) {
      const target = await open({ dialect, migrate: false });
      const result = await copyDatabase(source.migrations, target.migrations);
      assert.equal(result.tables.post.rows, 2);
      assert.equal(result.revision, target.migrations.history.at(-1)?.rev);
      assert.deepEqual(await databaseContent(target.em()), expected, `${first} to ${dialect}`);
      // The sequences moved past the copied ids: the next post is not a duplicate.
      const em = target.em();
      const post = em.create(Post, { body: 'after the copy', author: em.getReference(User, 7) });
      await em.flush();
      assert.equal(post.id, 1001, `next id on ${dialect}`);
      await em.nativeDelete(Post, { id: post.id });
      source = target;
    }
  });

  test('a target with rows is refused, and replaced with force', async () => {
    const source = await open({});
    await addAwkwardRows(source.em());
    const target = await open({});
    const em = target.em();
    em.create(User, { username: 'squatter', email: 'squatter@example.com' });
    await em.flush();
    await assert.rejects(copyDatabase(source.migrations, target.migrations), {
      message: /is not empty \(1 rows\): add --force to replace its content$/,
    });
    assert.deepEqual(
      (await target.em().find(User, {})).map((user) => user.username),
      ['squatter'],
      'left as it was',
    );
    await copyDatabase(source.migrations, target.migrations, { force: true });
    assert.deepEqual(await databaseContent(target.em()), await databaseContent(source.em()));
  });
});
