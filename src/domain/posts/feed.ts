import type { SqlEntityManager } from '@mikro-orm/sql';
import { type Dialect, dialectOf, type Quote, quoter, selectRows, toDate } from '../../db/rows.ts';
import { withAuthor } from './queries.ts';

/**
 * The posts of a user and of everyone they follow, newest first: the web's home timeline
 * and the API's feed. A top-k merge: each author contributes at most `depth` rows, each
 * read straight off the (user_id, timestamp) index, so the cost depends on the number of
 * authors and the page depth, never on how many posts exist in total. PostgreSQL takes the
 * authors as one array and reads each one's newest posts in a LATERAL join: one SQL text
 * whatever the number of authors, so its prepared plan is reused, where 51 UNION ALL
 * branches cost 4 to 6 ms to plan on every request (docs/decisions/0022).
 */

/** Rows `offset` to `offset + count` of the feed, optionally only posts older than `after`. */
export interface FeedSlice {
  offset: number;
  count: number;
  after?: Date;
}

/** SQLite allows 500 terms in one compound SELECT: longer follow lists merge in chunks. */
const AUTHORS_PER_QUERY = 400;

/** The SQL, exported so `bench/plans.ts` can EXPLAIN exactly what runs. */
export const feedQueries = {
  followed: (q: Quote) => `select followed_id from ${q('followers')} where follower_id = ?`,
  /** The merged (id, timestamp) pairs of `authors` authors, newest first. */
  candidates: (q: Quote, authors: number, depth: number, after: boolean, window: string) => {
    const older = after ? ' and timestamp < ?' : '';
    const perAuthor = `select * from (select id, timestamp from ${q('post')} where user_id = ?${older} order by timestamp desc, id desc limit ${Math.trunc(depth)}) as t`;
    const merged = Array.from({ length: authors }, () => perAuthor).join(' union all ');
    return `select id, timestamp from (${merged}) as m order by timestamp desc, id desc ${window}`;
  },
  /** PostgreSQL: the same candidates from an array of authors, one LATERAL read per author. */
  lateral: (q: Quote, depth: number, after: boolean, window: string) => {
    const older = after ? ' and timestamp < ?' : '';
    const perAuthor = `select id, timestamp from ${q('post')} where user_id = a.author${older} order by timestamp desc, id desc limit ${Math.trunc(depth)}`;
    return `select t.id, t.timestamp from unnest(?::int[]) as a(author) cross join lateral (${perAuthor}) as t order by t.timestamp desc, t.id desc ${window}`;
  },
  /**
   * The page: picked from the merged (id, timestamp) pairs first, then only its posts and
   * authors are read, so the joins stay at one page however many rows are merged.
   */
  page: (q: Quote, candidates: string) => {
    const top = `(${candidates}) as top`;
    return `${withAuthor(q, `${top} join ${q('post')} as x on x.id = top.id`, 'x')} order by top.timestamp desc, top.id desc`;
  },
  byIds: (q: Quote, count: number) =>
    `${withAuthor(q, `${q('post')} as p`, 'p')} where p.id in (${Array(count).fill('?').join(', ')}) order by p.timestamp desc, p.id desc`,
};

/** The user and everyone they follow: the authors of their feed. */
export async function feedAuthors(em: SqlEntityManager, userId: number): Promise<number[]> {
  const rows = await selectRows<{ followed_id: number }>(em, feedQueries.followed(quoter(em)), [
    userId,
  ]);
  return [userId, ...rows.map((row) => Number(row.followed_id))];
}

/** Splits the authors into groups one merge query can take. */
export function authorChunks(authors: number[]): number[][] {
  const chunks: number[][] = [];
  for (let start = 0; start < authors.length; start += AUTHORS_PER_QUERY) {
    chunks.push(authors.slice(start, start + AUTHORS_PER_QUERY));
  }
  return chunks;
}

/** Each author's part of the merge; with a cursor, only its posts older than the cursor. */
const mergeParams = (authors: number[], after?: Date) =>
  after ? authors.flatMap((id) => [id, after]) : authors;

/**
 * The slice as one query, with its parameters: on PostgreSQL always, elsewhere when the
 * authors fit one merge (`authorChunks`). Exported for `bench/plans.ts`.
 */
export function feedPage(
  dialect: Dialect,
  q: Quote,
  authors: number[],
  slice: FeedSlice,
): { sql: string; params: unknown[] } {
  const offset = Math.trunc(slice.offset);
  const depth = offset + Math.trunc(slice.count);
  const after = slice.after !== undefined;
  // Literals, not parameters: see windowSql.
  const window = `limit ${depth - offset} offset ${offset}`;
  if (dialect === 'postgresql')
    return {
      sql: feedQueries.page(q, feedQueries.lateral(q, depth, after, window)),
      params: after ? [authors, slice.after] : [authors],
    };
  return {
    sql: feedQueries.page(q, feedQueries.candidates(q, authors.length, depth, after, window)),
    params: mergeParams(authors, slice.after),
  };
}

/** One slice of the feed of `authors`, as rows of `withAuthor`. */
export async function feedRows<Row>(
  em: SqlEntityManager,
  authors: number[],
  slice: FeedSlice,
): Promise<Row[]> {
  const q = quoter(em);
  const dialect = dialectOf(em);
  const chunks = authorChunks(authors);
  if (dialect === 'postgresql' || chunks.length === 1) {
    const { sql, params } = feedPage(dialect, q, authors, slice);
    return selectRows<Row>(em, sql, params);
  }
  // Each chunk yields its own newest `depth` candidates; the slice is among their union.
  const offset = Math.trunc(slice.offset);
  const depth = offset + Math.trunc(slice.count);
  const after = slice.after !== undefined;
  const candidates: { id: number; at: number }[] = [];
  for (const chunk of chunks) {
    const sql = feedQueries.candidates(q, chunk.length, depth, after, `limit ${depth}`);
    const rows = await selectRows<{ id: number; timestamp: unknown }>(
      em,
      sql,
      mergeParams(chunk, slice.after),
    );
    for (const row of rows)
      candidates.push({ id: Number(row.id), at: toDate(row.timestamp).getTime() });
  }
  candidates.sort((a, b) => b.at - a.at || b.id - a.id);
  const ids = candidates.slice(offset, depth).map((candidate) => candidate.id);
  if (ids.length === 0) return [];
  return selectRows<Row>(em, feedQueries.byIds(q, ids.length), ids);
}
