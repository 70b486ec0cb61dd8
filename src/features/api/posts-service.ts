import type { SqlEntityManager } from '@mikro-orm/sql';
import { Post, type User } from '../../db/entities/index.ts';
import { selectRows, toDate } from '../../db/rows.ts';

/**
 * The API's post reads. Like the web timelines (features/main/service.ts), lists read
 * plain rows with the author joined in the same query, and every query walks an index:
 * `post(timestamp)` for all posts, `post(user_id, timestamp)` for one author and the
 * feed. The feed is a top-k merge over the followed authors, so its cost depends on how
 * many authors are followed and how deep the page is, never on how many posts exist.
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

type Quote = (identifier: string) => string;

/** SQLite allows 500 terms in one compound SELECT: longer follow lists merge in chunks. */
const AUTHORS_PER_QUERY = 400;

/** The largest id an `integer` column holds on PostgreSQL and MariaDB. */
const MAX_ID = 2_147_483_647;

/** A path id as a row id, or undefined when no row can have it (so: 404). */
export function parseId(value: unknown): number | undefined {
  if (typeof value !== 'string' || !/^\d{1,10}$/.test(value)) return undefined;
  const id = Number(value);
  return id >= 1 && id <= MAX_ID ? id : undefined;
}

const quoter = (em: SqlEntityManager): Quote => {
  const platform = em.getPlatform();
  return (identifier) => platform.quoteIdentifier(identifier);
};

/** Integers computed here (never user text) as SQL literals; see `pageWindow` on the web side. */
const window = (limit: number, offset = 0) =>
  `limit ${Math.trunc(limit)} offset ${Math.trunc(offset)}`;

/** The post `p` (or the alias given) with its author `u`, in one select. */
function withAuthor(q: Quote, from: string, post = 'p'): string {
  return `select ${post}.id, ${post}.body, ${post}.timestamp, u.id as author_id, u.username, u.email, u.password_hash, u.about_me, u.first_seen, u.last_seen from ${from} join ${q('user')} as u on u.id = ${post}.user_id`;
}

export const apiPostQueries = {
  one: (q: Quote) => `${withAuthor(q, `${q('post')} as p`)} where p.id = ?`,
  all: (q: Quote, after: boolean, win: string) =>
    `${withAuthor(q, `${q('post')} as p`)}${after ? ' where p.timestamp < ?' : ''} order by p.timestamp desc, p.id desc ${win}`,
  byAuthor: (q: Quote, after: boolean, win: string) =>
    `${withAuthor(q, `${q('post')} as p`)} where p.user_id = ?${after ? ' and p.timestamp < ?' : ''} order by p.timestamp desc, p.id desc ${win}`,
  /** The newest `depth` (id, timestamp) pairs of each of `authors` authors, merged. */
  candidates: (q: Quote, authors: number, depth: number, after: boolean, win: string) => {
    const perAuthor = `select * from (select id, timestamp from ${q('post')} where user_id = ?${after ? ' and timestamp < ?' : ''} order by timestamp desc, id desc limit ${Math.trunc(depth)}) as t`;
    const merged = Array.from({ length: authors }, () => perAuthor).join(' union all ');
    return `select id, timestamp from (${merged}) as m order by timestamp desc, id desc ${win}`;
  },
  /** The feed page: merged candidates first, then only that page's posts and authors. */
  feed: (q: Quote, authors: number, depth: number, after: boolean, win: string) => {
    const top = `(${apiPostQueries.candidates(q, authors, depth, after, win)}) as top join ${q('post')} as x on x.id = top.id`;
    return `${withAuthor(q, top, 'x')} order by top.timestamp desc, top.id desc`;
  },
  byIds: (q: Quote, count: number) =>
    `${withAuthor(q, `${q('post')} as p`)} where p.id in (${Array(count).fill('?').join(', ')}) order by p.timestamp desc, p.id desc`,
  /**
   * Index-only counts: all the posts, and those at or newer than the `after` cursor (the
   * offset an `after` page starts at, as microblog-api reports it).
   */
  count: (q: Quote, where: string, after: boolean) =>
    `select count(*) as total${after ? ', sum(case when timestamp >= ? then 1 else 0 end) as newer' : ''} from ${q('post')}${where ? ` where ${where}` : ''}`,
  followed: (q: Quote) => `select followed_id from ${q('followers')} where follower_id = ?`,
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
  const q = quoter(em);
  const follows = await selectRows<{ followed_id: number }>(em, apiPostQueries.followed(q), [
    user.id,
  ]);
  const authors = [user.id, ...follows.map((row) => Number(row.followed_id))];
  const chunks: number[][] = [];
  for (let start = 0; start < authors.length; start += AUTHORS_PER_QUERY) {
    chunks.push(authors.slice(start, start + AUTHORS_PER_QUERY));
  }
  const counts = chunks.map((chunk) => ({
    where: `user_id in (${chunk.map(() => '?').join(', ')})`,
    params: chunk,
  }));
  const after = page.after !== undefined;
  // With a cursor, each author needs only its newest `limit` posts older than it.
  const offset = after ? 0 : page.offset;
  const depth = offset + page.limit;
  const params = (chunk: number[]) => (after ? chunk.flatMap((id) => [id, page.after]) : chunk);

  return list(em, page, counts, async () => {
    if (chunks.length === 1) {
      const sql = apiPostQueries.feed(q, authors.length, depth, after, window(page.limit, offset));
      return records(em, sql, params(authors));
    }
    // Each chunk yields its own newest `depth` candidates; the page is among their union.
    const candidates: { id: number; at: number }[] = [];
    for (const chunk of chunks) {
      const sql = apiPostQueries.candidates(q, chunk.length, depth, after, `limit ${depth}`);
      for (const row of await selectRows<{ id: number; timestamp: unknown }>(
        em,
        sql,
        params(chunk),
      )) {
        candidates.push({ id: Number(row.id), at: toDate(row.timestamp).getTime() });
      }
    }
    candidates.sort((a, b) => b.at - a.at || b.id - a.id);
    const ids = candidates.slice(offset, depth).map((candidate) => candidate.id);
    if (ids.length === 0) return [];
    return records(em, apiPostQueries.byIds(q, ids.length), ids);
  });
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
