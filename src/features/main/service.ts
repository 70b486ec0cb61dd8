import type { SqlEntityManager } from '@mikro-orm/sql';
import { Post, type User } from '../../db/entities/index.ts';
import { selectRows, toDate } from '../../db/rows.ts';
import type { PostView } from '../../views/components/post-item.tsx';

export interface Page<T> {
  items: T[];
  /** Whether a further (older) page exists; found by fetching one row more, not by counting. */
  hasMore: boolean;
}

type Quote = (identifier: string) => string;

/**
 * The SQL behind the timelines, exported so `bench/plans.ts` can EXPLAIN exactly what
 * runs. Each selects the post and its author's name and email in one query.
 */
export const postQueries = {
  followed: (q: Quote) => `select followed_id from ${q('followers')} where follower_id = ?`,
  explore: (q: Quote, window: string) =>
    `${withAuthors(q, q('post'))} order by p.timestamp desc, p.id desc ${window}`,
  byAuthor: (q: Quote, window: string) =>
    `${withAuthors(q, q('post'))} where p.user_id = ? order by p.timestamp desc, p.id desc ${window}`,
  /**
   * A top-k merge: each author contributes at most `depth` rows, each read straight off
   * the (user_id, timestamp) index, so the cost depends on the number of authors and
   * the page depth, never on how many posts exist in total.
   */
  timeline: (q: Quote, window: string, authors: number, depth: number) => {
    // Pick the page from the merged (id, timestamp) pairs first, then read only those
    // posts and authors: the joins stay at one page of rows however many are merged.
    const top = `(${postQueries.candidates(q, window, authors, depth)}) as top`;
    return `${withAuthors(q, `${top} join ${q('post')} as x on x.id = top.id`, 'x')} order by top.timestamp desc, top.id desc`;
  },
  /** The merged (id, timestamp) pairs of up to `authors` authors, newest first. */
  candidates: (q: Quote, window: string, authors: number, depth: number) => {
    const perAuthor = `select * from (select id, timestamp from ${q('post')} where user_id = ? order by timestamp desc, id desc limit ${depth}) as t`;
    const merged = Array.from({ length: authors }, () => perAuthor).join(' union all ');
    return `select id, timestamp from (${merged}) as m order by timestamp desc, id desc ${window}`;
  },
  byIds: (q: Quote, count: number) =>
    `${withAuthors(q, q('post'))} where p.id in (${Array(count).fill('?').join(', ')}) order by p.timestamp desc, p.id desc`,
};

/** SQLite allows 500 terms in one compound SELECT: longer follow lists merge in chunks. */
const AUTHORS_PER_QUERY = 400;

function withAuthors(q: Quote, from: string, post = 'p'): string {
  const source = post === 'p' ? `${from} as p` : from;
  return `select ${post}.id, ${post}.body, ${post}.timestamp, u.username, u.email from ${source} join ${q('user')} as u on u.id = ${post}.user_id`;
}

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
  const rows = await selectRows<PostRow>(em, sql, params);
  const items: PostView[] = rows.slice(0, limit).map((row) => ({
    id: Number(row.id),
    body: row.body,
    timestamp: toDate(row.timestamp),
    author: { username: row.username, email: row.email },
  }));
  return { items, hasMore: rows.length > limit };
}

const quoter = (em: SqlEntityManager): Quote => {
  const platform = em.getPlatform();
  return (identifier) => platform.quoteIdentifier(identifier);
};

/** Home timeline: the user's posts and those of everyone they follow, newest first. */
export async function timeline(
  em: SqlEntityManager,
  user: User,
  page: number,
  limit: number,
): Promise<Page<PostView>> {
  const q = quoter(em);
  const follows = await selectRows<{ followed_id: number }>(em, postQueries.followed(q), [user.id]);
  const authors = [user.id, ...follows.map((row) => Number(row.followed_id))];
  const depth = page * limit + 1;
  if (authors.length <= AUTHORS_PER_QUERY) {
    return postPage(
      em,
      postQueries.timeline(q, pageWindow(page, limit), authors.length, depth),
      authors,
      limit,
    );
  }
  // Each chunk yields its own newest `depth` candidates; the page is among their union.
  const candidates: { id: number; at: number }[] = [];
  for (let start = 0; start < authors.length; start += AUTHORS_PER_QUERY) {
    const chunk = authors.slice(start, start + AUTHORS_PER_QUERY);
    const sql = postQueries.candidates(q, `limit ${depth}`, chunk.length, depth);
    for (const row of await selectRows<{ id: number; timestamp: unknown }>(em, sql, chunk)) {
      candidates.push({ id: Number(row.id), at: toDate(row.timestamp).getTime() });
    }
  }
  candidates.sort((a, b) => b.at - a.at || b.id - a.id);
  const ids = candidates.slice((page - 1) * limit, depth).map((candidate) => candidate.id);
  if (ids.length === 0) return { items: [], hasMore: false };
  return postPage(em, postQueries.byIds(q, ids.length), ids, limit);
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
