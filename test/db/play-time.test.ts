import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { inspect } from 'node:util';
import { Post, User } from '../../src/db/entities/index.ts';
import { currentDialect, openTestDatabase, type TestContext } from '../helpers.ts';

// The "Play Time" session of the database chapter, step by step, asserting what
// each step prints there.
let db: TestContext;
before(async () => {
  db = await openTestDatabase();
});
after(() => db.close());

const show = (value: unknown) => inspect(value);

test(`the chapter's Play Time on ${currentDialect()}`, async () => {
  const em = db.em();
  em.persist(em.create(User, { username: 'mary', email: 'mary@mail.com' }));
  await em.flush();
  em.persist(em.create(User, { username: 'lucy', email: 'lucy@mail.com' }));
  await em.flush();

  const users = await em.findAll(User, { orderBy: { id: 'asc' } });
  assert.equal(show(users), '[ <User mary>, <User lucy> ]');
  assert.deepEqual(
    users.map((u) => `${u.id} ${u.username}`),
    [`${users[0].id} mary`, `${users[0].id + 1} lucy`],
  );

  const maryId = users[0].id;
  assert.equal(show(await em.findOne(User, maryId)), '<User mary>');
  assert.equal(show(await em.findOne(User, maryId + 1)), '<User lucy>');

  const mary = await em.findOneOrFail(User, maryId);
  em.persist(em.create(Post, { body: 'This is my first post with Microblog!', author: mary }));
  await em.flush();

  const session = db.em();
  const u1 = await session.findOneOrFail(User, maryId);
  assert.equal(
    show(await u1.posts.loadItems()),
    '[ <Post This is my first post with Microblog!> ]',
  );
  const u2 = await session.findOneOrFail(User, maryId + 1);
  assert.equal(show(await u2.posts.loadItems()), '[]');

  const posts = await session.findAll(Post, { populate: ['author'] });
  assert.deepEqual(
    posts.map((p) => `${p.id} ${p.author.username} ${p.body}`),
    [`${posts[0].id} mary This is my first post with Microblog!`],
  );

  assert.equal(
    show(await session.findAll(User, { orderBy: { username: 'asc' } })),
    '[ <User lucy>, <User mary> ]',
  );

  for (const user of await session.findAll(User)) session.remove(user);
  for (const post of await session.findAll(Post)) session.remove(post);
  await session.flush();
  assert.equal(show(await db.em().findAll(User)), '[]');
  assert.equal(show(await db.em().findAll(Post)), '[]');
});
