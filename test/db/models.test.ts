import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { inspect } from 'node:util';
import { defineEntity, MikroORM, p } from '@mikro-orm/core';
import { Post, User } from '../../src/db/entities/index.ts';
import { MicroblogNamingStrategy } from '../../src/db/naming.ts';
import { MicroblogSqliteDriver } from '../../src/db/sqlite-driver.ts';
import { currentDialect, openTestDatabase, type TestContext } from '../helpers.ts';

describe(`models on ${currentDialect()}`, () => {
  let db: TestContext;
  before(async () => {
    db = await openTestDatabase();
  });
  after(() => db.close());

  test('tables are named user and post, and columns are snake_case', () => {
    const metadata = db.orm.getMetadata();
    assert.equal(metadata.get(User).tableName, 'user');
    assert.equal(metadata.get(Post).tableName, 'post');
    assert.deepEqual(metadata.get(Post).properties.author.fieldNames, ['user_id']);
    assert.deepEqual(metadata.get(User).properties.passwordHash.fieldNames, ['password_hash']);
  });

  test('users and posts print as in the chapter', () => {
    const em = db.em();
    const mary = em.create(User, { username: 'mary', email: 'mary@mail.com' });
    const post = em.create(Post, { body: 'This is my first post with Microblog!', author: mary });
    assert.equal(inspect(mary), '<User mary>');
    assert.equal(inspect([mary]), '[ <User mary> ]');
    assert.equal(String(post), '<Post This is my first post with Microblog!>');
    em.clear();
  });

  test('user.posts filters, orders, counts and loads; post.author goes back', async () => {
    const em = db.em();
    const author = em.create(User, { username: 'writer', email: 'writer@mail.com' });
    const other = em.create(User, { username: 'other', email: 'other@mail.com' });
    const base = Date.UTC(2026, 0, 1, 12, 0, 0, 123);
    for (const [i, body] of ['first', 'second', 'third'].entries()) {
      em.create(Post, { body, author, timestamp: new Date(base + i * 1000) });
    }
    em.create(Post, { body: 'not mine', author: other });
    await em.flush();

    const fresh = db.em();
    const user = await fresh.findOneOrFail(User, { username: 'writer' });
    assert.equal(user.posts.isInitialized(), false, 'posts load lazily');
    assert.equal(await user.posts.loadCount(), 3);
    const newestFirst = await user.posts.matching({ orderBy: { timestamp: 'desc' } });
    assert.deepEqual(
      newestFirst.map((post) => post.body),
      ['third', 'second', 'first'],
    );
    const filtered = await user.posts.matching({ where: { body: { $like: 's%' } } });
    assert.deepEqual(
      filtered.map((post) => post.body),
      ['second'],
    );
    const all = await user.posts.loadItems();
    assert.equal(all.length, 3);
    assert.ok(all.every((post) => post.author === user));
    assert.equal(all[0].timestamp.getUTCMilliseconds(), 123, 'milliseconds survive the round trip');
  });

  test('a post gets the current UTC time with milliseconds by default', async () => {
    const em = db.em();
    const author = em.create(User, { username: 'clock', email: 'clock@mail.com' });
    const before = Date.now();
    const post = em.create(Post, { body: 'now', author });
    await em.flush();
    const stored = await db.em().findOneOrFail(Post, post.id);
    assert.ok(stored.timestamp.getTime() >= before - 1 && stored.timestamp.getTime() <= Date.now());
    assert.equal(stored.timestamp.getTime(), post.timestamp.getTime());
  });

  test('passwords are hashed with argon2id and never stored in plain text', async () => {
    const em = db.em();
    const user = em.create(User, { username: 'susan', email: 'susan@mail.com' });
    await user.setPassword('cat');
    await em.flush();
    const stored = await db.em().findOneOrFail(User, user.id);
    assert.match(stored.passwordHash ?? '', /^\$argon2id\$/);
    assert.ok(!stored.passwordHash?.includes('cat'));
    assert.equal(await stored.checkPassword('cat'), true);
    assert.equal(await stored.checkPassword('dog'), false);
    assert.equal(await em.create(User, { username: 'x', email: 'x@x' }).checkPassword(''), false);
    em.clear();
  });
});

describe('table naming', { skip: currentDialect() !== 'sqlite' && 'dialect-independent' }, () => {
  test('tables are snake_case by default and a model can override its name', async () => {
    const AddressAndPhone = defineEntity({
      name: 'AddressAndPhone',
      properties: { id: p.integer().primary() },
    });
    const Renamed = defineEntity({
      name: 'Renamed',
      tableName: 'contacts',
      properties: { id: p.integer().primary() },
    });
    const orm = await MikroORM.init({
      driver: MicroblogSqliteDriver,
      dbName: ':memory:',
      entities: [AddressAndPhone, Renamed],
      namingStrategy: MicroblogNamingStrategy,
    });
    assert.equal(orm.getMetadata().get(AddressAndPhone).tableName, 'address_and_phone');
    assert.equal(orm.getMetadata().get(Renamed).tableName, 'contacts');
    await orm.close();
  });
});
