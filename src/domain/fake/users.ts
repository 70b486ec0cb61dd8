import type { SqlEntityManager } from '@mikro-orm/sql';
import { Follow, User } from '../../db/entities/index.ts';
import { DomainError } from '../../errors.ts';
import { hashPassword } from '../../security/passwords.ts';
import type { ProgressListener } from '../progress.ts';
import {
  allUserIds,
  insertStream,
  letFinalizersRun,
  marks,
  maxUserId,
  prepareBulkLoad,
  refreshStatistics,
  STATEMENT_ROWS,
  userTable,
} from './bulk.ts';
import { fakeAboutMe, fakeUsername, randomInt } from './words.ts';

/** Every demo user gets this password, so anyone can log in as any of them. */
export const DEMO_PASSWORD = 'microblog-demo';

const DAY_MS = 86_400_000;

export interface FakeUsersResult {
  users: number;
  follows: number;
  password: string;
}

export function assertCount(count: number, what: string, min = 1): void {
  if (!Number.isSafeInteger(count) || count < min) {
    throw new DomainError(`The number of ${what} must be a whole number of at least ${min}`);
  }
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
