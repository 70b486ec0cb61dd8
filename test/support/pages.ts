/**
 * Setup for the page tests: the app on a fresh database, browsers signed in through the
 * real forms, and rows seeded straight into the database.
 */
import assert from 'node:assert/strict';
import { after, before } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { buildApp, startInProcessWorker } from '../../src/app.ts';
import { Follow, Post, User } from '../../src/db/entities/index.ts';
import { recountPosts } from '../../src/domain/posts/posts.ts';
import { openTestDatabase, type TestContext, testConfig } from '../helpers.ts';
import { startSmtpServer, type TestSmtpServer } from './smtp.ts';
import { WebClient } from './web-client.ts';

export interface PageTest {
  db: TestContext;
  app: FastifyInstance;
  /** Closes the app, then drops the database. */
  close(): Promise<void>;
}

/** The app, ready, on `db` with these settings (and nothing else: rate limits stay on). */
export async function startApp(
  db: TestContext,
  env: Record<string, string> = {},
): Promise<FastifyInstance> {
  const app = await buildApp(testConfig(db.database.url, env));
  await app.ready();
  return app;
}

/**
 * A fresh database upgraded to head and the app on it. Rate limits are off unless `env`
 * turns them on; `env` adds or overrides settings (e.g. `POSTS_PER_PAGE`).
 */
export async function openPageTest(env: Record<string, string> = {}): Promise<PageTest> {
  const db = await openTestDatabase();
  const app = await startApp(db, { RATELIMIT_ENABLED: 'false', ...env });
  return {
    db,
    app,
    close: async () => {
      await app.close();
      await db.close();
    },
  };
}

/**
 * A page test whose mail goes to a real local SMTP server, sent by background jobs that a
 * worker in the test's process runs, as `microblog run` does; `close` stops all three.
 */
export interface MailTest extends PageTest {
  smtp: TestSmtpServer;
}

export async function openMailTest(env: Record<string, string> = {}): Promise<MailTest> {
  const smtp = await startSmtpServer();
  const opened = await openPageTest({
    MAIL_SERVER: '127.0.0.1',
    MAIL_PORT: `${smtp.port}`,
    ...env,
  });
  const worker = startInProcessWorker(opened.app);
  return {
    ...opened,
    smtp,
    close: async () => {
      await worker.close();
      await opened.close();
      await smtp.close();
    },
  };
}

/**
 * Hooks for the current suite (or file): before its first test, opens a page test with
 * `env` and hands it to `use` (which may seed it); after its last, closes it.
 */
export function setUpPageTest(
  env: Record<string, string>,
  use: (test: PageTest) => void | Promise<void>,
): void {
  let opened: PageTest | undefined;
  before(async () => {
    opened = await openPageTest(env);
    await use(opened);
  });
  after(() => opened?.close());
}

// --- browsers ---

/** A new browser that registers `username` (WebClient's default password) and logs in. */
export async function signIn(app: FastifyInstance, username: string): Promise<WebClient> {
  const client = new WebClient(app);
  assert.equal((await client.register(username)).headers.location, '/auth/login');
  const login = await client.login(username);
  assert.equal(login.headers.location, '/index', `${username} is signed in`);
  return client;
}

/** A new browser signed in as an existing user: the login redirects home. */
export async function logIn(
  app: FastifyInstance,
  username: string,
  password?: string,
): Promise<WebClient> {
  const client = new WebClient(app);
  const login = await client.login(username, password);
  assert.equal(login.statusCode, 302, `${username} is signed in`);
  assert.equal(login.headers.location, '/index');
  return client;
}

// --- rows made straight in the database ---

async function createUsers(db: TestContext, names: string[], password?: string) {
  const em = db.em();
  const users = names.map((username) =>
    em.create(User, { username, email: `${username}@example.com` }),
  );
  if (password) for (const user of users) await user.setPassword(password);
  await em.flush();
  return users;
}

/** Users with the email `<name>@example.com` and no password (they never sign in). */
export const seedUsers = (db: TestContext, ...names: string[]): Promise<User[]> =>
  createUsers(db, names);

/** One user with the email `<name>@example.com`; with `password` they can log in. */
export const seedUser = async (db: TestContext, username: string, password?: string) =>
  (await createUsers(db, [username], password))[0];

export async function seedPosts(
  db: TestContext,
  rows: { author: User; body: string; timestamp: Date }[],
): Promise<void> {
  const em = db.em();
  for (const row of rows) em.create(Post, { ...row, author: em.getReference(User, row.author.id) });
  await em.flush();
  // Written around createPost, so the authors' post counts (the API's totals) are set here.
  await recountPosts(em);
}

/** Follow rows, one per `[follower, followed]` pair. */
export async function seedFollows(db: TestContext, pairs: [User, User][]): Promise<void> {
  const em = db.em();
  for (const [follower, followed] of pairs)
    em.create(Follow, {
      follower: em.getReference(User, follower.id),
      followed: em.getReference(User, followed.id),
    });
  await em.flush();
}

/** `follower` follows each of `followed`. */
export const seedFollowing = (db: TestContext, follower: User, followed: User[]) =>
  seedFollows(
    db,
    followed.map((user): [User, User] => [follower, user]),
  );

// --- reading the database ---

/** The user called `username`; fails when there is none. */
export const userNamed = (db: TestContext, username: string) =>
  db.em().findOneOrFail(User, { username });

/** The user called `username`, or null. */
export const findUser = (db: TestContext, username: string) => db.em().findOne(User, { username });

/** How many posts `username` has. */
export const postCount = (db: TestContext, username: string) =>
  db.em().count(Post, { author: { username } });

/** Ids of the posts by these authors (all, for null) as a plain ORM query orders them. */
export async function expectedIds(db: TestContext, authors: User[] | null): Promise<number[]> {
  const where = authors ? { author: { $in: authors.map((user) => user.id) } } : {};
  const posts = await db.em().find(Post, where, { orderBy: { timestamp: 'desc', id: 'desc' } });
  return posts.map((post) => post.id);
}
