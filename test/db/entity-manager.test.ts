import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { Post, User } from '../../src/db/entities/index.ts';
import { DomainError } from '../../src/errors.ts';
import { currentDialect, openTestDatabase, type TestContext } from '../helpers.ts';

describe(`unit of work on ${currentDialect()}`, () => {
  let db: TestContext;
  before(async () => {
    db = await openTestDatabase();
  });
  after(() => db.close());
  beforeEach(async () => {
    const em = db.em();
    await em.nativeDelete(Post, {});
    await em.nativeDelete(User, {});
  });

  const count = () => db.em().count(User);

  test('several changes commit together', async () => {
    const em = db.em();
    const ann = em.create(User, { username: 'ann', email: 'ann@mail.com' });
    em.create(User, { username: 'bob', email: 'bob@mail.com' });
    em.create(Post, { body: 'hello', author: ann });
    await em.flush();
    assert.equal(await count(), 2);
    assert.equal(await db.em().count(Post), 1);
  });

  test('a failing change leaves nothing half-written', async () => {
    const em = db.em();
    em.create(User, { username: 'ann', email: 'ann@mail.com' });
    await em.flush();
    const second = db.em();
    const cat = second.create(User, { username: 'cat', email: 'cat@mail.com' });
    second.create(Post, { body: 'lost', author: cat });
    second.create(User, { username: 'ann', email: 'other@mail.com' });
    await assert.rejects(second.flush(), DomainError);
    assert.equal(await count(), 1, 'neither cat nor the second ann was written');
    assert.equal(await db.em().count(Post), 0);
  });

  test('clear() rolls back pending changes', async () => {
    const em = db.em();
    em.create(User, { username: 'dan', email: 'dan@mail.com' });
    em.clear();
    await em.flush();
    assert.equal(await count(), 0);
  });

  test('a duplicate username is a clear domain error', async () => {
    const em = db.em();
    em.create(User, { username: 'eve', email: 'eve@mail.com' });
    await em.flush();
    const again = db.em();
    again.create(User, { username: 'eve', email: 'eve2@mail.com' });
    await assert.rejects(again.flush(), (error: unknown) => {
      assert.ok(error instanceof DomainError);
      assert.equal(error.message, 'username already taken');
      assert.equal(error.field, 'username');
      return true;
    });
  });

  test('a duplicate email is a clear domain error', async () => {
    const em = db.em();
    em.create(User, { username: 'fay', email: 'fay@mail.com' });
    await em.flush();
    const again = db.em();
    again.create(User, { username: 'fay2', email: 'fay@mail.com' });
    await assert.rejects(again.flush(), {
      name: 'DomainError',
      message: 'email already registered',
    });
  });
});
