import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { Session, User } from '../../src/db/entities/index.ts';
import { inTransaction } from '../../src/db/transaction.ts';
import { currentDialect, openTestDatabase, type TestContext } from '../helpers.ts';

describe(`inTransaction on ${currentDialect()}`, () => {
  let db: TestContext;
  let userId: number;
  let users = 0;
  before(async () => {
    db = await openTestDatabase();
  });
  after(() => db.close());
  // A user of its own for each test, with no about me and no sessions yet.
  beforeEach(async () => {
    users += 1;
    const em = db.em();
    const user = em.create(User, { username: `tess${users}`, email: `tess${users}@example.com` });
    await em.flush();
    userId = user.id;
  });

  const addSession = async (id: string) => {
    const em = db.em();
    em.create(Session, {
      id: id.repeat(64),
      user: em.getReference(User, userId),
      data: '{}',
      expiresAt: new Date(Date.now() + 60_000),
    });
    await em.flush();
  };
  const stored = async () => ({
    aboutMe: (await db.em().findOneOrFail(User, userId)).aboutMe,
    sessions: await db.em().count(Session, { user: userId }),
  });

  test('an error rolls back both the flushed entity and the native delete', async () => {
    await addSession('a');
    const em = db.em();
    const user = await em.findOneOrFail(User, userId);
    await assert.rejects(
      inTransaction(em, async () => {
        user.aboutMe = 'half written?';
        await em.flush();
        await em.nativeDelete(Session, { user: userId });
        throw new Error('the second step failed');
      }),
      /the second step failed/,
    );
    assert.deepEqual(await stored(), { aboutMe: null, sessions: 1 });
  });

  test('success commits the entities the manager already held, and the native writes', async () => {
    await addSession('b');
    const em = db.em();
    const user = await em.findOneOrFail(User, userId);
    await inTransaction(em, async () => {
      user.aboutMe = 'written';
      await em.nativeDelete(Session, { user: userId });
    });
    assert.deepEqual(await stored(), { aboutMe: 'written', sessions: 0 });
  });
});
