/**
 * What the navbar's news (the unread-messages badge and running tasks) costs a signed-in
 * page. In a database of its own on the engine TEST_DATABASE names (sqlite by default;
 * postgresql and mariadb through TEST_POSTGRES_URL / TEST_MARIADB_URL, as for the tests):
 * 2,000 users, 20,000 posts and 200,000 messages, a reader who follows 50 users and has
 * 1,000 unread messages. Prints, in one run, the median of the signed-in home page and of
 * the news query alone (the page runs it once), each with no unread messages and with 1,000,
 * then the news query's plan.
 * Usage: TEST_DATABASE=postgresql TEST_POSTGRES_URL=... node --import tsx bench/news.ts
 */
import type { EntityName, RequiredEntityData } from '@mikro-orm/core';
import type { FastifyInstance } from 'fastify';
import { Follow, Message, Post, User } from '../src/db/entities/index.ts';
import { quoter, selectRows } from '../src/db/rows.ts';
import { newsQuery } from '../src/domain/news.ts';
import { currentDialect, openTestDatabase, type TestContext } from '../test/helpers.ts';
import { logIn, startApp } from '../test/support/pages.ts';

const USERS = 2000;
const POSTS = 20_000;
const MESSAGES = 200_000;
const UNREAD = 1000;
const ROUNDS = 400;
const PASSWORD = 'correct horse battery';
const YEAR = 365 * 24 * 3600 * 1000;

async function insertInChunks<T extends object>(
  db: TestContext,
  entity: EntityName<T>,
  rows: RequiredEntityData<T>[],
) {
  for (let start = 0; start < rows.length; start += 5000) {
    await db.em().insertMany(entity, rows.slice(start, start + 5000));
  }
}

async function seed(db: TestContext): Promise<User> {
  const em = db.em();
  await em.insertMany(
    User,
    Array.from({ length: USERS }, (_, i) => ({
      username: `user${i}`,
      email: `user${i}@example.com`,
      lastSeen: new Date(),
    })),
  );
  const reader = await em.findOneOrFail(User, { username: 'user0' });
  await reader.setPassword(PASSWORD);
  reader.lastMessageReadTime = new Date();
  await em.flush();
  await em.insertMany(
    Follow,
    Array.from({ length: 50 }, (_, i) => ({ follower: reader.id, followed: reader.id + 1 + i })),
  );
  const now = Date.now();
  const someone = (i: number) => reader.id + ((i * 7919) % USERS);
  await insertInChunks(
    db,
    Post,
    Array.from({ length: POSTS }, (_, i) => ({
      author: someone(i),
      body: `post ${i}`,
      timestamp: new Date(now - ((i * 104729) % YEAR)),
    })),
  );
  // Every user has old, read messages; the reader gets UNREAD of them later, once measured
  // with none.
  await insertInChunks(
    db,
    Message,
    Array.from({ length: MESSAGES - UNREAD }, (_, i) => ({
      sender: someone(i + 1),
      recipient: someone(i),
      body: `message ${i}`,
      timestamp: new Date(now - YEAR + ((i * 104729) % (YEAR / 2))),
    })),
  );
  return reader;
}

async function median(rounds: number, run: () => Promise<unknown>): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const start = process.hrtime.bigint();
    await run();
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  return times.sort((a, b) => a - b)[Math.floor(times.length / 2)];
}

async function measure(app: FastifyInstance, db: TestContext, reader: User, label: string) {
  const client = await logIn(app, reader.username, PASSWORD);
  const em = db.em();
  const params = [reader.id, reader.lastMessageReadTime, reader.id, false];
  const query = newsQuery(quoter(em));
  const page = async () => {
    const response = await client.get('/index');
    if (response.statusCode !== 200) throw new Error(`home page: ${response.statusCode}`);
  };
  // Interleaved and warmed, so neither side gets the cold caches.
  await median(50, page);
  await median(50, () => selectRows(em, query, params));
  const pageMs = await median(ROUNDS, page);
  const newsMs = await median(ROUNDS, () => selectRows(em, query, params));
  const [row] = await selectRows<{ unread: number | string }>(em, query, params);
  console.log(
    `${currentDialect()}\t${label}\tunread=${Number(row.unread)}\thome page ${pageMs.toFixed(2)} ms\tnews query ${newsMs.toFixed(3)} ms\t(${((100 * newsMs) / pageMs).toFixed(2)}% of the page)`,
  );
}

async function printPlan(db: TestContext, reader: User) {
  const em = db.em();
  const explain = {
    sqlite: 'explain query plan',
    postgresql: 'explain analyze',
    mariadb: 'explain',
  };
  const params = [reader.id, reader.lastMessageReadTime, reader.id, false];
  const rows = await selectRows<Record<string, unknown>>(
    em,
    `${explain[currentDialect()]} ${newsQuery(quoter(em))}`,
    params,
  );
  console.log(`\nPlan of the news query on ${currentDialect()}:`);
  for (const row of rows) console.log(`  ${Object.values(row).join(' | ')}`);
}

const db = await openTestDatabase();
try {
  const reader = await seed(db);
  const app = await startApp(db, { RATELIMIT_ENABLED: 'false' });
  try {
    await measure(app, db, reader, 'no unread');
    await insertInChunks(
      db,
      Message,
      Array.from({ length: UNREAD }, (_, i) => ({
        sender: reader.id + 1 + (i % 50),
        recipient: reader.id,
        body: `unread ${i}`,
        timestamp: new Date(Date.now() + 1000),
      })),
    );
    await measure(app, db, reader, `${UNREAD} unread`);
    await printPlan(db, reader);
  } finally {
    await app.close();
  }
} finally {
  await db.close();
}
