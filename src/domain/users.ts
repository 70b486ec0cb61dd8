import type { SqlEntityManager } from '@mikro-orm/sql';
import { User } from '../db/entities/index.ts';
import { type Quote, quoter, selectRows, toDate } from '../db/rows.ts';
import { countFollows, type FollowDirection, followUsers } from './follows.ts';
import { parseId, plausibleName } from './input.ts';
import { windowSql } from './posts/queries.ts';
import { type UserRecord, userColumns, userFromRow } from './user-rows.ts';

/** The user with this exact username, if the text could be one. */
export function findByUsername(em: SqlEntityManager, username: string): Promise<User | null> {
  const name = plausibleName(username, 64);
  return name === username ? em.findOne(User, { username }) : Promise.resolve(null);
}

/** The user a path segment names: all digits is an id, anything else a username. */
export async function findUserByIdOrName(
  em: SqlEntityManager,
  value: string,
): Promise<User | null> {
  if (!/^\d+$/.test(value)) return findByUsername(em, value);
  const id = parseId(value);
  return id === undefined ? null : em.findOne(User, id);
}

/** The user with this path id, or null when there is none (or the text is no id). */
export async function findUserById(em: SqlEntityManager, value: string): Promise<User | null> {
  const id = parseId(value);
  return id === undefined ? null : em.findOne(User, id);
}

/** What a profile page shows, read in one query of plain rows. */
export interface ProfileView {
  id: number;
  username: string;
  email: string;
  aboutMe: string | null;
  lastSeen: Date | null;
  followers: number;
  following: number;
  /** Whether the viewer follows this user. */
  followedByViewer: boolean;
  /** Whether the account is disabled: only admins are shown it. */
  disabled: boolean;
}

/**
 * The profile query: the counts are index-only counts on the two followers indexes
 * (followed_id, and the primary key's follower_id prefix).
 */
export const profileQuery = (q: Quote) => {
  const count = (where: string) => `(select count(*) from ${q('followers')} as f where ${where})`;
  return `select u.id, u.username, u.email, u.about_me, u.last_seen, u.disabled_at, ${count('f.followed_id = u.id')} as followers, ${count('f.follower_id = u.id')} as following, ${count('f.follower_id = ? and f.followed_id = u.id')} as followed from ${q('user')} as u where u.username = ?`;
};

export async function profileView(
  em: SqlEntityManager,
  username: string,
  viewerId: number | undefined,
): Promise<ProfileView | null> {
  if (plausibleName(username, 64) !== username) return null;
  const sql = profileQuery(quoter(em));
  const [row] = await selectRows<Record<string, unknown>>(em, sql, [viewerId ?? 0, username]);
  if (!row) return null;
  return {
    id: Number(row.id),
    username: String(row.username),
    email: String(row.email),
    aboutMe: (row.about_me as string | null) ?? null,
    lastSeen: row.last_seen == null ? null : toDate(row.last_seen),
    followers: Number(row.followers),
    following: Number(row.following),
    followedByViewer: Number(row.followed) > 0,
    disabled: row.disabled_at != null,
  };
}

/** Where a list of users comes from: everyone, or one side of someone's follows. */
export interface UserSource {
  /** How many users there are, or with `upTo`, how many sort at or before that username. */
  count(upTo?: string): Promise<number>;
  /** Users `offset` to `offset + count` by username, or those after the username `after`. */
  read(slice: { offset: number; count: number; after?: string }): Promise<(User | UserRecord)[]>;
}

/** The SQL of the list of all users, exported so `bench/plans.ts` can EXPLAIN it. */
export const everyoneQueries = {
  count: (q: Quote, upTo: boolean) =>
    `select count(*) as n from ${q('user')}${upTo ? ' where username <= ?' : ''}`,
  page: (q: Quote, after: boolean, window: string) =>
    `select ${userColumns('u', '')} from ${q('user')} as u${after ? ' where u.username > ?' : ''} order by u.username ${window}`,
};

/** Everyone, by username: plain rows, no entities (the API's busiest list; decision 0003). */
export const everyone = (em: SqlEntityManager): UserSource => ({
  count: async (upTo) => {
    const sql = everyoneQueries.count(quoter(em), upTo !== undefined);
    const [row] = await selectRows<{ n: number | string }>(
      em,
      sql,
      upTo === undefined ? [] : [upTo],
    );
    return Number(row?.n ?? 0);
  },
  read: async ({ offset, count, after }) => {
    const sql = everyoneQueries.page(quoter(em), after !== undefined, windowSql(count, offset));
    const rows = await selectRows<Record<string, unknown>>(
      em,
      sql,
      after === undefined ? [] : [after],
    );
    return rows.map((row) => userFromRow(row, ''));
  },
});

export const followsOf = (
  em: SqlEntityManager,
  userId: number,
  direction: FollowDirection,
): UserSource => ({
  count: (upTo) => countFollows(em, userId, direction, upTo),
  read: (slice) => followUsers(em, userId, direction, slice),
});

/**
 * A window of a list of users, by username, with where it starts and the list's length.
 * With an `after` cursor, the offset is the number of users up to and including it, as in
 * microblog-api, so walking with `offset` and with `after` report the same pages.
 */
export async function listUsers(
  source: UserSource,
  window: { limit: number; offset: number; after?: string },
): Promise<{ items: (User | UserRecord)[]; offset: number; total: number }> {
  const total = await source.count();
  const { after } = window;
  const offset = after === undefined ? window.offset : await source.count(after);
  // An offset past the end reads nothing.
  const items =
    after === undefined && offset >= total
      ? []
      : await source.read({ offset: after === undefined ? offset : 0, count: window.limit, after });
  return { items, offset, total };
}
