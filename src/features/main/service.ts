import type { SqlEntityManager } from '@mikro-orm/sql';
import { Post, type User } from '../../db/entities/index.ts';
import { type Quote, quoter, selectRows, toDate } from '../../db/rows.ts';
import type { PostView } from '../../views/components/post-item.tsx';
import { feedAuthors, feedRows, type SelectWithAuthor } from './feed.ts';

export interface Page<T> {
  items: T[];
  /** Whether a further (older) page exists; found by fetching one row more, not by counting. */
  hasMore: boolean;
}

/**
 * The SQL behind Explore and the profile's posts, exported so `bench/plans.ts` can
 * EXPLAIN exactly what runs. Each selects the post and its author's name and email in one
 * query; the home timeline is in feed.ts, shared with the API.
 */
export const postQueries = {
  explore: (q: Quote, window: string) =>
    `${withAuthor(q, `${q('post')} as p`, 'p')} order by p.timestamp desc, p.id desc ${window}`,
  byAuthor: (q: Quote, window: string) =>
    `${withAuthor(q, `${q('post')} as p`, 'p')} where p.user_id = ? order by p.timestamp desc, p.id desc ${window}`,
};

/** The post and the author fields a post item shows. */
export const withAuthor: SelectWithAuthor = (q, from, post) =>
  `select ${post}.id, ${post}.body, ${post}.timestamp, u.username, u.email from ${from} join ${q('user')} as u on u.id = ${post}.user_id`;

interface PostRow {
  id: number;
  body: string;
  timestamp: unknown;
  username: string;
  email: string;
}

/**
 * `limit … offset …` as literals, not parameters: SQLite sorts a bounded number of rows
 * only when it knows the limit while planning (a bound limit made the timeline 2.4x
 * slower). Both are integers computed here, never user text.
 */
export function pageWindow(page: number, limit: number): string {
  return `limit ${Math.trunc(limit) + 1} offset ${(Math.trunc(page) - 1) * Math.trunc(limit)}`;
}

async function postPage(em: SqlEntityManager, sql: string, params: unknown[], limit: number) {
  return toPage(await selectRows<PostRow>(em, sql, params), limit);
}

/** A page of `limit` posts, from rows read one past it to tell whether more exist. */
function toPage(rows: PostRow[], limit: number): Page<PostView> {
  const items: PostView[] = rows.slice(0, limit).map((row) => ({
    id: Number(row.id),
    body: row.body,
    timestamp: toDate(row.timestamp),
    author: { username: row.username, email: row.email },
  }));
  return { items, hasMore: rows.length > limit };
}

/** Home timeline: the user's posts and those of everyone they follow, newest first. */
export async function timeline(
  em: SqlEntityManager,
  user: User,
  page: number,
  limit: number,
): Promise<Page<PostView>> {
  const rows = await feedRows<PostRow>(
    em,
    await feedAuthors(em, user.id),
    { offset: (page - 1) * limit, count: limit + 1 },
    withAuthor,
  );
  return toPage(rows, limit);
}

/** Every post, newest first (the timestamp index). */
export function explore(
  em: SqlEntityManager,
  page: number,
  limit: number,
): Promise<Page<PostView>> {
  return postPage(em, postQueries.explore(quoter(em), pageWindow(page, limit)), [], limit);
}

/** One user's posts, newest first (the (user_id, timestamp) index again). */
export function postsBy(
  em: SqlEntityManager,
  author: { id: number },
  page: number,
  limit: number,
): Promise<Page<PostView>> {
  return postPage(
    em,
    postQueries.byAuthor(quoter(em), pageWindow(page, limit)),
    [author.id],
    limit,
  );
}

export async function createPost(em: SqlEntityManager, author: User, body: string): Promise<Post> {
  const post = em.create(Post, { body, author });
  await em.flush();
  return post;
}
