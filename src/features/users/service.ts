import type { SqlEntityManager } from '@mikro-orm/sql';
import { Follow, User } from '../../db/entities/index.ts';
import { DomainError } from '../../db/errors.ts';
import { type Quote, quoter, selectRows, toDate } from '../../db/rows.ts';
import { assertAvailable } from '../auth/service.ts';
import type { Page } from '../main/service.ts';

export function findByUsername(em: SqlEntityManager, username: string): Promise<User | null> {
  return em.findOne(User, { username });
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
}

/**
 * The profile query: the counts are index-only counts on the two followers indexes
 * (followed_id, and the primary key's follower_id prefix).
 */
export const profileQuery = (q: Quote) => {
  const count = (where: string) => `(select count(*) from ${q('followers')} as f where ${where})`;
  return `select u.id, u.username, u.email, u.about_me, u.last_seen, ${count('f.followed_id = u.id')} as followers, ${count('f.follower_id = u.id')} as following, ${count('f.follower_id = ? and f.followed_id = u.id')} as followed from ${q('user')} as u where u.username = ?`;
};

export async function profileView(
  em: SqlEntityManager,
  username: string,
  viewerId: number | undefined,
): Promise<ProfileView | null> {
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
  };
}

async function isFollowing(em: SqlEntityManager, follower: User, followed: User): Promise<boolean> {
  return (await em.count(Follow, { follower: follower.id, followed: followed.id })) > 0;
}

/** Starts following; following someone already followed changes nothing. */
export async function follow(em: SqlEntityManager, follower: User, followed: User): Promise<void> {
  if (follower.id === followed.id) throw new DomainError('You cannot follow yourself!');
  if (await isFollowing(em, follower, followed)) return;
  em.create(Follow, { follower, followed });
  try {
    await em.flush();
  } catch (error) {
    // A concurrent request followed first: the outcome is the same.
    if (!(error instanceof DomainError)) throw error;
    em.clear();
  }
}

export async function unfollow(
  em: SqlEntityManager,
  follower: User,
  followed: User,
): Promise<void> {
  if (follower.id === followed.id) throw new DomainError('You cannot unfollow yourself!');
  await em.nativeDelete(Follow, { follower: follower.id, followed: followed.id });
}

export type FollowDirection = 'followers' | 'following';

/**
 * The users on one side of someone's follows, by username: a join on the followers
 * table from its index on the listed user's side. Plain SQL because MikroORM's filter
 * on the many-to-many became a scan of every user on MariaDB (bench/plans.ts).
 */
export const followQueries = {
  page: (q: Quote, direction: FollowDirection, after: boolean, window: string) =>
    `select u.* from ${followJoin(q, direction)}${after ? ' and u.username > ?' : ''} order by u.username ${window}`,
  /** How many there are, or with `upTo`, how many sort at or before that username. */
  count: (q: Quote, direction: FollowDirection, upTo: boolean) =>
    `select count(*) as n from ${followJoin(q, direction)}${upTo ? ' and u.username <= ?' : ''}`,
};

function followJoin(q: Quote, direction: FollowDirection): string {
  const [listed, of] =
    direction === 'followers' ? ['follower_id', 'followed_id'] : ['followed_id', 'follower_id'];
  return `${q('followers')} as f join ${q('user')} as u on u.id = f.${listed} where f.${of} = ?`;
}

/** Users `offset` to `offset + count` of a follow list, or those after the username `after`. */
export async function followUsers(
  em: SqlEntityManager,
  userId: number,
  direction: FollowDirection,
  slice: { offset: number; count: number; after?: string },
): Promise<User[]> {
  const after = slice.after !== undefined;
  const window = `limit ${Math.trunc(slice.count)} offset ${Math.trunc(slice.offset)}`;
  const sql = followQueries.page(quoter(em), direction, after, window);
  const rows = await selectRows<Record<string, unknown>>(
    em,
    sql,
    after ? [userId, slice.after] : [userId],
  );
  return rows.map((row) => em.map(User, row));
}

/** The length of a follow list, or with `upTo`, its users up to that username. */
export async function countFollows(
  em: SqlEntityManager,
  userId: number,
  direction: FollowDirection,
  upTo?: string,
): Promise<number> {
  const sql = followQueries.count(quoter(em), direction, upTo !== undefined);
  const [row] = await selectRows<{ n: number | string }>(
    em,
    sql,
    upTo === undefined ? [userId] : [userId, upTo],
  );
  return Number(row?.n ?? 0);
}

/** A page of the users who follow `user` (or whom `user` follows), by username. */
export async function followList(
  em: SqlEntityManager,
  user: User,
  direction: FollowDirection,
  page: number,
  limit: number,
): Promise<Page<User>> {
  const users = await followUsers(em, user.id, direction, {
    offset: (page - 1) * limit,
    count: limit + 1,
  });
  return { items: users.slice(0, limit), hasMore: users.length > limit };
}

export async function updateProfile(
  em: SqlEntityManager,
  user: User,
  changes: { username: string; about_me?: string },
): Promise<void> {
  if (changes.username !== user.username)
    await assertAvailable(em, { username: changes.username }, user.id);
  user.username = changes.username;
  user.aboutMe = changes.about_me?.trim() ? changes.about_me : null;
  await em.flush();
}
