import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, test } from 'node:test';
import { User } from '../../src/db/entities/index.ts';
import {
  currentRevision,
  downgrade,
  liveSchemaDrift,
  upgrade,
} from '../../src/db/migrations/runner.ts';
import { currentDialect, openTestDatabase, type TestContext } from '../helpers.ts';

const MESSAGE = 'user admin role and disabled time';

describe(`the "${MESSAGE}" revision on ${currentDialect()}`, () => {
  let db: TestContext;
  beforeEach(async () => {
    db = await openTestDatabase();
  });
  afterEach(() => db.close());

  /** The columns of `user`, as the database reports them on a row. */
  async function userColumns(): Promise<string[]> {
    const user = db.em().getPlatform().quoteIdentifier('user');
    // Not selectRows: its prepared statements are for queries whose columns never change
    // under them, and this one's change on purpose.
    const [row] = await db.em().execute<Record<string, unknown>[]>(`select * from ${user}`);
    return Object.keys(row).sort();
  }

  test('downgrade drops both columns and keeps the users; upgrade adds them with defaults', async () => {
    const { history } = db.migrations;
    const index = history.findIndex((revision) => revision.message === MESSAGE);
    assert.ok(index > 0, 'the revision exists');
    const em = db.em();
    em.create(User, { username: 'boss', email: 'boss@example.com', isAdmin: true });
    em.create(User, { username: 'gone', email: 'gone@example.com', disabledAt: new Date() });
    await em.flush();
    assert.ok((await userColumns()).includes('is_admin'));

    await downgrade(db.migrations, history[index - 1].rev);
    assert.equal((await currentRevision(db.migrations))?.rev, history[index - 1].rev);
    const before = await userColumns();
    assert.ok(!before.includes('is_admin') && !before.includes('disabled_at'), `${before}`);

    await upgrade(db.migrations, history[index].rev);
    const users = await db.em().find(User, {}, { orderBy: { username: 'asc' } });
    assert.deepEqual(
      users.map((user) => [user.username, user.isAdmin, user.disabledAt]),
      [
        ['boss', false, null],
        ['gone', false, null],
      ],
      'existing accounts come back active and not admins',
    );
    await upgrade(db.migrations);
    assert.deepEqual(await liveSchemaDrift(db.migrations), []);
  });
});
