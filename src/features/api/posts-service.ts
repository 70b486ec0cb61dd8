import type { SqlEntityManager } from '@mikro-orm/sql';
import { Post, type User } from '../../db/entities/index.ts';
import { type Quote, quoter, selectRows, toDate } from '../../db/rows.ts';
import { authorChunks, feedAuthors, feedRows, type SelectWithAuthor } from '../main/feed.ts';

/**
 * The API's post reads. Like the web timelines (features/main/service.ts), lists read
 * plain rows with the author joined in the same query, and every query walks an index:
 * `post(timestamp)` for all posts, `post(user_id, timestamp)` for one author and the
 * feed. The feed is the web's home timeline query (main/feed.ts), with the API's cursor.
 */

/** The author fields the API's user serializer reads. */
export type PostAuthor = Pick<
  User,
  'id' | 'username' | 'email' | 'passwordHash' | 'aboutMe' | 'firstSeen' | 'lastSeen'
>;

export interface PostRecord {
  id: number;
  body: string;
  timestamp: Date;
  author: PostAuthor;
}

/** A page of a list: `offset` is where `items` start in the whole list. */
export interface PostList {
  items: PostRecord[];
  offset: number;
  total: number;
}

/** What a list asks for: a window by offset, or the posts strictly older than `after`. */
export interface PostWindow {
  limit: number;
  offset: number;
  after?: Date;
}

/** The largest id an `integer` column holds on PostgreSQL and MariaDB. */
const MAX_ID = 2_147_483_647;

/** A path id as a row id, or undefined when no row can have it (so: 404). */
export function parseId(value: unknown): number | undefined {
  if (typeof value !== 'string' || !/^\d{1,10}$/.test(value)) return undefined;
  const id = Number(value);
  return id >= 1 && id <= MAX_ID ? id : undefined;
}

/** Integers computed here (never user text) as SQL literals; see `pageWindow` on the web side. */
const window = (limit: number, offset = 0) =>
  `limit ${Math.trunc(limit)} offset ${Math.trunc(offset)}`;

/** A post with every author field the API's user serializer reads. */
export const withApiAuthor: SelectWithAuthor = (q, from, post) =>
  `select ${post}.id, ${post}.body, ${post}.timestamp, u.id as author_id, u.username, u.email, u.password_hash, u.about_me, u.first_seen, u.last_seen from ${from} join ${q('user')} as u on u.id = ${post}.user_id`;

export const apiPostQueries = {
  one: (q: Quote) => `${withApiAuthor(q, `${q('post')} as p`, 'p')} where p.id = ?`,
  all: (q: Quote, after: boolean, win: string) =>
    `${withApiAuthor(q, `${q('post')} as p`, 'p')}${after ? ' where p.timestamp < ?' : ''} order by p.timestamp desc, p.id desc ${win}`,
  byAuthor: (q: Quote, after: boolean, win: string) =>
    `${withApiAuthor(q, `${q('post')} as p`, 'p')} where p.user_id = ?${after ? ' and p.timestamp < ?' : ''} order by p.timestamp desc, p.id desc ${win}`,
  /**
   * Index-only counts: all the posts, and those at or newer than the `after` cursor (the
   * offset an `after` page starts at, as microblog-api reports it).
   */
  count: (q: Quote, where: string, after: boolean) =>
    `select count(*) as total${after ? ', sum(case when timestamp >= ? then 1 else 0 end) as newer' : ''} from ${q('post')}${where ? ` where ${where}` : ''}`,
  userExists: (q: Quote) => `select id from ${q('user')} where id = ?`,
};

interface PostRow {
  id: number | string;
  body: string;
  timestamp: unknown;
  author_id: number | string;
  username: string;
  email: string;
  password_hash: string | null;
  about_me: string | null;
  first_seen: unknown;
  last_seen: unknown;
}

const optionalDate = (value: unknown) => (value == null ? null : toDate(value));

function record(row: PostRow): PostRecord {
  return {
    id: Number(row.id),
    body: row.body,
    timestamp: toDate(row.timestamp),
    author: {
      id: Number(row.author_id),
      username: row.username,
      email: row.email,
      passwordHash: row.password_hash,
      aboutMe: row.about_me,
      firstSeen: optionalDate(row.first_seen),
      lastSeen: optionalDate(row.last_seen),
    },
  };
}

async function records(em: SqlEntityManager, sql: string, params: unknown[]) {
  return (await selectRows<PostRow>(em, sql, params)).map(record);
}

interface CountRow {
  total: number | string;
  newer: number | string | null;
}

/** Total, and how many are at or after `after` (0 without one), summed over `wheres`. */
async function countPosts(
  em: SqlEntityManager,
  wheres: { where: string; params: unknown[] }[],
  after: Date | undefined,
): Promise<{ total: number; newer: number }> {
  const q = quoter(em);
  let total = 0;
  let newer = 0;
  for (const { where, params } of wheres) {
    const sql = apiPostQueries.count(q, where, after !== undefined);
    const [row] = await selectRows<CountRow>(em, sql, after ? [after, ...params] : params);
    total += Number(row?.total ?? 0);
    newer += Number(row?.newer ?? 0);
  }
  return { total, newer };
}

/**
 * A list: count first (an offset past the end reads nothing), then the page. With
 * `after`, the page's offset is the number of posts at or newer than the cursor.
 */
async function list(
  em: SqlEntityManager,
  page: PostWindow,
  counts: { where: string; params: unknown[] }[],
  read: () => Promise<PostRecord[]>,
): Promise<PostList> {
  const { total, newer } = await countPosts(em, counts, page.after);
  const offset = page.after ? newer : page.offset;
  if (!page.after && offset >= total) return { items: [], offset, total };
  return { items: await read(), offset, total };
}

/** One post with its author, or null. */
export async function findPost(em: SqlEntityManager, id: number): Promise<PostRecord | null> {
  const [post] = await records(em, apiPostQueries.one(quoter(em)), [id]);
  return post ?? null;
}

/** Every post, newest first (the timestamp index). */
export function allPosts(em: SqlEntityManager, page: PostWindow): Promise<PostList> {
  const q = quoter(em);
  const after = page.after !== undefined;
  const sql = apiPostQueries.all(q, after, window(page.limit, after ? 0 : page.offset));
  return list(em, page, [{ where: '', params: [] }], () =>
    records(em, sql, after ? [page.after] : []),
  );
}

/** Whether a user has this id. */
export async function userExists(em: SqlEntityManager, id: number): Promise<boolean> {
  return (await selectRows(em, apiPostQueries.userExists(quoter(em)), [id])).length > 0;
}

/** One author's posts, newest first (the (user_id, timestamp) index). */
export function postsOf(
  em: SqlEntityManager,
  authorId: number,
  page: PostWindow,
): Promise<PostList> {
  const q = quoter(em);
  const after = page.after !== undefined;
  const sql = apiPostQueries.byAuthor(q, after, window(page.limit, after ? 0 : page.offset));
  return list(em, page, [{ where: 'user_id = ?', params: [authorId] }], () =>
    records(em, sql, after ? [authorId, page.after] : [authorId]),
  );
}

/** The user's own posts and those of everyone they follow, newest first. */
export async function feed(em: SqlEntityManager, user: User, page: PostWindow): Promise<PostList> {
  const authors = await feedAuthors(em, user.id);
  const counts = authorChunks(authors).map((chunk) => ({
    where: `user_id in (${chunk.map(() => '?').join(', ')})`,
    params: chunk,
  }));
  // A cursor page starts right after the cursor: its offset is only reported.
  const slice = { offset: page.after ? 0 : page.offset, count: page.limit, after: page.after };
  return list(em, page, counts, async () =>
    (await feedRows<PostRow>(em, authors, slice, withApiAuthor)).map(record),
  );
}

export async function createPost(em: SqlEntityManager, author: User, text: string): Promise<Post> {
  const post = em.create(Post, { body: text, author });
  await em.flush();
  return post;
}

export type Ownership = 'missing' | 'forbidden' | Post;

/** The post, if it exists and `user` wrote it. */
export async function ownPost(em: SqlEntityManager, user: User, id: number): Promise<Ownership> {
  const post = await em.findOne(Post, id);
  if (!post) return 'missing';
  return post.author.id === user.id ? post : 'forbidden';
}

export async function updatePost(em: SqlEntityManager, post: Post, text: string | undefined) {
  if (text !== undefined) post.body = text;
  await em.flush();
  return post;
}

export async function deletePost(em: SqlEntityManager, post: Post): Promise<void> {
  em.remove(post);
  await em.flush();
}
