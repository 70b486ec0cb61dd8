import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Post, User } from '../../src/db/entities/index.ts';
import { currentRevision, downgrade, upgrade } from '../../src/db/migrations/runner.ts';
import { MigrationError } from '../../src/errors.ts';
import { currentDialect, openTestDatabase, type TestContext } from '../helpers.ts';

let db: TestContext;
before(async () => {
  db = await openTestDatabase();
});
after(() => db.close());

test(`narrowing post.body back to 140 refuses while longer posts exist, on ${currentDialect()}`, async () => {
  const widening = db.migrations.history.findIndex((r) => r.message === 'post body 280');
  assert.ok(widening > 0);
  const em = db.em();
  const author = em.create(User, { username: 'longwinded', email: 'long@example.com' });
  const long = em.create(Post, { body: 'é'.repeat(200), author });
  await em.flush();
  // Down to just after the widening, then one step more.
  await downgrade(db.migrations, db.migrations.history[widening].rev);
  await assert.rejects(downgrade(db.migrations), (error: unknown) => {
    assert.ok(error instanceof MigrationError);
    assert.match(error.message, /1 post\(s\) are longer than 140 characters/);
    return true;
  });
  assert.equal((await currentRevision(db.migrations))?.rev, db.migrations.history[widening].rev);
  assert.equal(
    (await db.em().findOneOrFail(Post, long.id)).body,
    'é'.repeat(200),
    'the post is intact',
  );
  // Once it fits, the downgrade goes through, and the upgrade comes back.
  await db.em().nativeUpdate(Post, { id: long.id }, { body: 'é'.repeat(140) });
  await downgrade(db.migrations);
  assert.equal(
    (await currentRevision(db.migrations))?.rev,
    db.migrations.history[widening - 1].rev,
  );
  await upgrade(db.migrations);
  assert.equal((await db.em().findOneOrFail(Post, long.id)).body, 'é'.repeat(140));
});

test(`a refused downgrade to base changes nothing on any revision, on ${currentDialect()}`, async () => {
  const fresh = await openTestDatabase();
  try {
    const em = fresh.em();
    const author = em.create(User, { username: 'verbose', email: 'verbose@example.com' });
    em.create(Post, { body: 'x'.repeat(200), author });
    await em.flush();
    const head = (await currentRevision(fresh.migrations))?.rev;
    fresh.migrations.lines.length = 0;
    await assert.rejects(downgrade(fresh.migrations, 'base'), MigrationError);
    // Not one step ran: every revision is still applied and every table is there.
    assert.deepEqual(fresh.migrations.lines, []);
    assert.equal((await currentRevision(fresh.migrations))?.rev, head);
    assert.equal(await fresh.em().count(Post, {}), 1);
    assert.equal(await fresh.em().count(User, {}), 1);
  } finally {
    await fresh.close();
  }
});
