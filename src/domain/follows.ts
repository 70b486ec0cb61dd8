import type { SqlEntityManager } from '@mikro-orm/sql';
import { Follow, User } from '../db/entities/index.ts';
import { columnsOf, type Quote, quoter, selectRows } from '../db/rows.ts';
import { DomainError } from '../errors.ts';
import { type Page, pageSlice, toPage } from './pages.ts';

type Someone = Pick<User, 'id'>;

export async function isFollowing(
  em: SqlEntityManager,
  follower: Someone,
  followed: Someone,
): Promise<boolean> {
  return (await em.count(Follow, { follower: follower.id, followed: followed.id })) > 0;
}

/**
 * Starts following. `'already'` when the follow existed, including when a concurrent request
 * made it first (the primary key refuses the second row). The web treats that as done, the
 * API as a conflict. Nobody can follow themselves.
 */
export async function follow(
  em: SqlEntityManager,
  follower: User,
  followed: User,
): Promise<'followed' | 'already' | 'self'> {
  if (follower.id === followed.id) return 'self';
  if (await isFollowing(em, follower, followed)) return 'already';
  em.create(Follow, { follower, followed });
  try {
    await em.flush();
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    em.clear();
    return 'already';
  }
  return 'followed';
}

/** Stops following, in one statement: of concurrent identical requests, one unfollows. */
export async function unfollow(
  em: SqlEntityManager,
  follower: User,
  followed: User,
): Promise<'unfollowed' | 'not-following' | 'self'> {
  if (follower.id === followed.id) return 'self';
  const deleted = await em.nativeDelete(Follow, { follower: follower.id, followed: followed.id });
  return deleted > 0 ? 'unfollowed' : 'not-following';
}

/** `followers`: who follows the user; `following`: whom the user follows. */
export type FollowDirection = 'followers' | 'following';

/**
 * The users on one side of someone's follows, by username: a join on the followers table
 * from its index on the listed user's side. Plain SQL because MikroORM's filter on the
 * many-to-many became a scan of every user on MariaDB (bench/plans.ts).
 */
export const followQueries = {
  page: (
    q: Quote,
    userColumns: string,
    direction: FollowDirection,
    after: boolean,
    window: string,
  ) =>
    `select ${userColumns} from ${followJoin(q, direction)}${after ? ' and u.username > ?' : ''} order by u.username ${window}`,
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
  const sql = followQueries.page(quoter(em), columnsOf(em, User, 'u'), direction, after, window);
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

/** Page `page` (from 1) of the users who follow `userId` (or whom `userId` follows). */
export async function followPage(
  em: SqlEntityManager,
  userId: number,
  direction: FollowDirection,
  page: number,
  perPage: number,
): Promise<Page<User>> {
  const { offset, limit } = pageSlice(page, perPage);
  return toPage(await followUsers(em, userId, direction, { offset, count: limit }), perPage);
}
