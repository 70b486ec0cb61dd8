import type { FilterQuery } from '@mikro-orm/core';
import type { SqlEntityManager } from '@mikro-orm/sql';
import { Follow, Post, type User } from '../../db/entities/index.ts';

export interface Page<T> {
  items: T[];
  /** Whether a further (older) page exists; found by fetching one row more, not by counting. */
  hasMore: boolean;
}

/** Loads the posts with these ids, authors included in the same query, newest first. */
async function postsWithAuthors(em: SqlEntityManager, ids: number[]): Promise<Post[]> {
  if (ids.length === 0) return [];
  return em.find(
    Post,
    { id: { $in: ids } },
    { populate: ['author'], orderBy: { timestamp: 'desc', id: 'desc' } },
  );
}

function pageOf<T>(rows: T[], limit: number): Page<T> {
  return { items: rows.slice(0, limit), hasMore: rows.length > limit };
}

/**
 * Home timeline: the user's posts and those of everyone they follow, newest first.
 * A top-k merge: each author contributes at most `offset + limit + 1` rows, each read
 * straight off the (user_id, timestamp) index, so the cost depends on the number of
 * authors and the page depth, never on how many posts exist in total.
 */
export async function timeline(
  em: SqlEntityManager,
  user: User,
  page: number,
  limit: number,
): Promise<Page<Post>> {
  const follows = await em.find(Follow, { follower: user.id }, { fields: ['followed'] });
  const authors = [user.id, ...follows.map((follow) => follow.followed.id)];
  const depth = (page - 1) * limit + limit + 1;
  const platform = em.getPlatform();
  const post = platform.quoteIdentifier('post');
  const perAuthor = `select * from (select id, timestamp from ${post} where user_id = ? order by timestamp desc, id desc limit ${depth}) as t`;
  const sql = `select id from (${authors.map(() => perAuthor).join(' union all ')}) as merged order by timestamp desc, id desc limit ${limit + 1} offset ${(page - 1) * limit}`;
  const rows: { id: number }[] = await em.getConnection().execute(sql, authors);
  const posts = await postsWithAuthors(
    em,
    rows.map((row) => Number(row.id)),
  );
  return pageOf(posts, limit);
}

/** Posts matching `where`, newest first, with their authors joined in. */
async function newestPosts(
  em: SqlEntityManager,
  where: FilterQuery<Post>,
  page: number,
  limit: number,
) {
  const posts = await em.find(Post, where, {
    populate: ['author'],
    orderBy: { timestamp: 'desc', id: 'desc' },
    limit: limit + 1,
    offset: (page - 1) * limit,
  });
  return pageOf(posts, limit);
}

/** Every post, newest first (the timestamp index). */
export function explore(em: SqlEntityManager, page: number, limit: number): Promise<Page<Post>> {
  return newestPosts(em, {}, page, limit);
}

/** One user's posts, newest first (the (user_id, timestamp) index again). */
export function postsBy(
  em: SqlEntityManager,
  author: User,
  page: number,
  limit: number,
): Promise<Page<Post>> {
  return newestPosts(em, { author }, page, limit);
}

export async function createPost(em: SqlEntityManager, author: User, body: string): Promise<Post> {
  const post = em.create(Post, { body, author });
  await em.flush();
  return post;
}
