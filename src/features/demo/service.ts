import { setImmediate } from 'node:timers/promises';
import type { EntityName, RequiredEntityData } from '@mikro-orm/core';
import { type SqlEntityManager, SqlitePlatform } from '@mikro-orm/sql';
import { Follow, Post, User } from '../../db/entities/index.ts';
import { DomainError } from '../../db/errors.ts';
import { hashPassword } from '../../security/passwords.ts';
import { fakeAboutMe, fakePostBody, fakeUsername, pick, randomInt } from './words.ts';

/** Every demo user gets this password, so anyone can log in as any of them. */
export const DEMO_PASSWORD = 'microblog-demo';

// Rows per INSERT statement. SQLite binds at most 32,766 parameters per statement:
// users have 5 columns (25,000), posts 3 (15,000), follows 2 (10,000). A statement of
// posts is under 3 MB of SQL even in 4-byte emoji, far below MariaDB's 16 MB default
// max_allowed_packet.
const STATEMENT_ROWS = 5_000;
// Rows per transaction. Random keys land all over the post and follower indexes; a
// commit writes each touched index page once, so small transactions rewrite the same
// pages again and again. 1M posts on SQLite: 19 s at 50,000 rows per commit, 37 s at
// 5,000 (from empty); 25 s against 56 s on top of 1.1M posts.
const TRANSACTION_ROWS = 50_000;
const ID_PAGE = 50_000;

const DAY_MS = 86_400_000;

export type Stage = 'users' | 'follows' | 'posts';
export type ProgressListener = (stage: Stage, done: number, total: number) => void;

export interface FakeUsersResult {
  users: number;
  follows: number;
  password: string;
}

function assertCount(count: number, what: string, min = 1): void {
  if (!Number.isSafeInteger(count) || count < min) {
    throw new DomainError(`The number of ${what} must be a whole number of at least ${min}`);
  }
}

/** The user table's name, quoted for the connected database (`user` is reserved on PostgreSQL). */
function userTable(em: SqlEntityManager): string {
  return em.getPlatform().quoteIdentifier('user');
}

/**
 * On SQLite, a 128 MiB page cache for this connection (the default is 2 MiB), so more of
 * the indexes that random keys hit stay in memory: 1M posts took 18-19 s instead of
 * 20-22 s from empty, and 24 s instead of 30 s on top of 1.1M posts, for ~140 MB more RSS.
 */
async function prepareBulkLoad(em: SqlEntityManager): Promise<void> {
  if (em.getPlatform() instanceof SqlitePlatform) await em.execute('pragma cache_size = -131072');
}

/**
 * After a bulk load, PostgreSQL has no statistics on the tables until autovacuum comes
 * by, and meanwhile plans the API feed's count as a scan of every post (bench/plans.ts):
 * gather them now. MariaDB refreshes its persistent statistics the same way. SQLite's
 * planner needs none.
 */
async function refreshStatistics(em: SqlEntityManager, tables: string[]): Promise<void> {
  const platform = em.getPlatform();
  if (platform instanceof SqlitePlatform) return;
  const names = tables.map((table) => platform.quoteIdentifier(table)).join(', ');
  const postgres = platform.constructor.name === 'PostgreSqlPlatform';
  await em.fork().execute(postgres ? `analyze ${names}` : `analyze table ${names}`);
}

/**
 * better-sqlite3 frees a finished statement in a finalizer that runs only when the event
 * loop turns. A bulk load's awaits all resolve at once, so without this pause between
 * statements 1M posts held ~300 MB of dead statements until the end.
 */
const letFinalizersRun = () => setImmediate();

/** Every user id, ascending, read in keyset pages so no single result set is huge. */
async function allUserIds(em: SqlEntityManager): Promise<number[]> {
  const ids: number[] = [];
  const sql = `select id from ${userTable(em)} where id > ? order by id limit ${ID_PAGE}`;
  for (;;) {
    const rows: { id: number }[] = await em.fork().execute(sql, [ids.at(-1) ?? 0]);
    for (const row of rows) ids.push(Number(row.id));
    if (rows.length < ID_PAGE) return ids;
  }
}

const marks = (values: unknown[]) => values.map(() => '?').join(', ');

async function maxUserId(em: SqlEntityManager): Promise<number> {
  const [row] = await em.execute<{ last: number | null }[]>(
    `select max(id) as last from ${userTable(em)}`,
  );
  return Number(row?.last ?? 0);
}

/**
 * Replaces each candidate whose username (compared without case, as registration does)
 * or `<username>@example.com` email is taken, until none is. Candidates are lower-case.
 */
export async function freeUsernames(
  em: SqlEntityManager,
  candidates: string[],
  next: () => string,
): Promise<string[]> {
  let names = candidates;
  for (;;) {
    const emails = names.map((name) => `${name}@example.com`);
    const rows: { username: string; email: string }[] = await em
      .fork()
      .execute(
        `select lower(username) as username, email from ${userTable(em)} where lower(username) in (${marks(names)}) or email in (${marks(emails)})`,
        [...names, ...emails],
      );
    if (rows.length === 0) return names;
    const taken = new Set(rows.flatMap((row) => [row.username, row.email.split('@')[0]]));
    names = names.map((name) => (taken.has(name) ? next() : name));
  }
}

/**
 * `count` distinct random picks from `ids`, never `self`. Rejection sampling while picks
 * are sparse; a partial shuffle when they would be most of the list.
 */
function sampleOthers(ids: number[], self: number, count: number): number[] {
  if (count * 2 <= ids.length) {
    const chosen = new Set<number>();
    while (chosen.size < count) {
      const id = ids[randomInt(ids.length)];
      if (id !== self) chosen.add(id);
    }
    return [...chosen];
  }
  const others = ids.filter((id) => id !== self);
  for (let i = 0; i < count; i++) {
    const j = i + randomInt(others.length - i);
    [others[i], others[j]] = [others[j], others[i]];
  }
  return others.slice(0, count);
}

/**
 * Inserts `total` rows drawn from `rows`: STATEMENT_ROWS per INSERT, TRANSACTION_ROWS per
 * transaction, each transaction in its own fork. Rows are made as they are written, so
 * memory stays flat however many there are.
 */
async function insertStream<T extends object>(
  em: SqlEntityManager,
  entity: EntityName<T>,
  rows: Iterator<RequiredEntityData<T>>,
  total: number,
  report: (done: number) => void,
): Promise<void> {
  let done = 0;
  while (done < total) {
    const end = Math.min(total, done + TRANSACTION_ROWS);
    await em.fork().transactional(async (tx) => {
      while (done < end) {
        const batch: RequiredEntityData<T>[] = [];
        const size = Math.min(STATEMENT_ROWS, end - done);
        for (let next = rows.next(); !next.done; next = rows.next()) {
          batch.push(next.value);
          if (batch.length === size) break;
        }
        if (batch.length < size)
          throw new Error(`expected ${total} rows, got ${done + batch.length}`);
        await tx.insertMany(entity, batch);
        done += size;
        report(done);
        await letFinalizersRun();
      }
    });
  }
}

/** Each of `followers` follows `perUser` random other users (fewer if there are not enough). */
async function createFollows(
  em: SqlEntityManager,
  followers: number[],
  perUser: number,
  onProgress?: ProgressListener,
): Promise<number> {
  const everyone = await allUserIds(em);
  const each = Math.min(perUser, everyone.length - 1);
  const total = followers.length * each;
  function* rows() {
    for (const follower of followers) {
      for (const followed of sampleOthers(everyone, follower, each)) yield { follower, followed };
    }
  }
  await insertStream(em, Follow, rows(), total, (done) => onProgress?.('follows', done, total));
  return total;
}

/** A last visit in the past month, after an account creation in the year before it. */
function fakeSeenTimes(now: number) {
  const lastSeen = now - randomInt(30 * DAY_MS);
  return { firstSeen: new Date(lastSeen - randomInt(365 * DAY_MS)), lastSeen: new Date(lastSeen) };
}

function fakeUserRow(username: string, passwordHash: string, now: number) {
  return {
    username,
    email: `${username}@example.com`,
    passwordHash,
    // Every row names every column: insertMany builds one column list for the chunk.
    aboutMe: Math.random() < 0.6 ? fakeAboutMe() : null,
    ...fakeSeenTimes(now),
  };
}

/**
 * Creates `count` demo users sharing DEMO_PASSWORD, then has each follow `follows` random
 * others. Bulk inserts (insertMany) run no onCreate hooks, so every timestamp is set here.
 */
export async function createFakeUsers(
  em: SqlEntityManager,
  count: number,
  options: { follows?: number; onProgress?: ProgressListener } = {},
): Promise<FakeUsersResult> {
  const { follows = 50, onProgress } = options;
  assertCount(count, 'users');
  assertCount(follows, 'follows', 0);
  await prepareBulkLoad(em);
  // One hash for everyone: argon2id takes tens of milliseconds by design.
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  // Serials continue after the highest id, so reruns rarely meet a taken name.
  let serial = (await maxUserId(em)) + 1;
  const next = () => fakeUsername(serial++);
  const created: number[] = [];
  for (let done = 0; done < count; ) {
    const size = Math.min(STATEMENT_ROWS, count - done);
    const names = await freeUsernames(em, Array.from({ length: size }, next), next);
    const now = Date.now();
    const rows = names.map((name) => fakeUserRow(name, passwordHash, now));
    const ids = await em.fork().transactional(async (tx) => {
      await tx.insertMany(User, rows);
      // Read back by name: not every driver reports the ids of a multi-row insert.
      const found: { id: number }[] = await tx.execute(
        `select id from ${userTable(tx)} where username in (${marks(names)})`,
        names,
      );
      return found.map((row) => Number(row.id));
    });
    for (const id of ids) created.push(id);
    done += size;
    onProgress?.('users', done, count);
    await letFinalizersRun();
  }
  const followCount = await createFollows(em, created, follows, onProgress);
  await refreshStatistics(em, ['user', 'followers']);
  return { users: count, follows: followCount, password: DEMO_PASSWORD };
}

/**
 * Creates `count` posts by random existing users, at random times over the past year
 * (not in id order), so timelines, profiles and Explore look lived-in.
 */
export async function createFakePosts(
  em: SqlEntityManager,
  count: number,
  options: { onProgress?: ProgressListener } = {},
): Promise<number> {
  assertCount(count, 'posts');
  await prepareBulkLoad(em);
  const authors = await allUserIds(em);
  if (authors.length === 0) throw new DomainError('No users: run "microblog fake users N" first');
  const now = Date.now();
  function* rows() {
    for (;;) {
      yield {
        body: fakePostBody(),
        timestamp: new Date(now - randomInt(365 * DAY_MS)),
        author: pick(authors),
      };
    }
  }
  const report = (done: number) => options.onProgress?.('posts', done, count);
  await insertStream(em, Post, rows(), count, report);
  await refreshStatistics(em, ['post']);
  return count;
}
