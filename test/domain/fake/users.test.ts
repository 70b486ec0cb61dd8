import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { User } from '../../../src/db/entities/index.ts';
import { freeUsernames } from '../../../src/domain/fake/users.ts';
import { currentDialect, openTestDatabase, type TestContext } from '../../helpers.ts';

describe(`fake users on ${currentDialect()}`, () => {
  let db: TestContext;
  before(async () => {
    db = await openTestDatabase();
  });
  after(() => db.close());

  test('generated names avoid taken usernames (ignoring case) and taken emails', async () => {
    const em = db.em();
    em.create(User, { username: 'Taken.Name1', email: 'someone@example.org' });
    em.create(User, { username: 'zed', email: 'mail.me2@example.com' });
    await em.flush();
    const spare = ['fresh4', 'fresh5'];
    const names = await freeUsernames(db.em(), ['taken.name1', 'mail.me2', 'free3'], () => {
      const next = spare.shift();
      assert.ok(next, 'asked for too many replacements');
      return next;
    });
    assert.deepEqual(names, ['fresh4', 'fresh5', 'free3']);
  });
});
