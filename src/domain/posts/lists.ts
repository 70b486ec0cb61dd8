import type { SqlEntityManager } from '@mikro-orm/sql';
import { dialectOf, quoter, selectRows, toDate } from '../../db/rows.ts';
import { countedWindow, type Page, pageSlice, toPage, type Windowed } from '../pages.ts';
import { type UserRecord, userFromRow } from '../user-rows.ts';
import { authorChunks, feedAuthors, feedRows } from './feed.ts';
import { postQueries, windowSql } from './queries.ts';
import { engineQuery, searchQueries } from './search.ts';

/** A post and its author, as every list of posts reads them: plain rows, no entities. */
export interface PostRecord {
  id: number;
  body: string;
  timestamp: Date;
  /** ISO 639-1, or null when it could not be told. */
  language: string | null;
  author: UserRecord;
}

/** Whose posts a list holds. */
export type PostScope =
  | { kind: 'all' }
  | { kind: 'author'; authorId: number }
  /** The user's own posts and those of everyone they follow. */
  | { kind: 'feed'; userId: number }
  /** The posts holding every one of `words` (see `searchWords`), best match first. */
  | { kind: 'search'; words: string[] };

/** A window of a list: by offset, or the posts strictly older than `after`. */
export interface PostWindow {
  limit: number;
  offset: number;
  after?: Date;
}

interface PostRow extends Record<string, unknown> {
  id: number | string;
  body: string;
  timestamp: unknown;
  language: string | null;
}

function record(row: PostRow): PostRecord {
  return {
    id: Number(row.id),
    body: row.body,
    timestamp: toDate(row.timestamp),
    language: row.language ?? null,
    author: userFromRow(row, 'author_'),
  };
}

/** A scope with the feed's authors looked up once. */
type ResolvedScope = Exclude<PostScope, { kind: 'feed' }> | { kind: 'feed'; authors: number[] };

async function resolve(em: SqlEntityManager, scope: PostScope): Promise<ResolvedScope> {
  return scope.kind === 'feed'
    ? { kind: 'feed', authors: await feedAuthors(em, scope.userId) }
    : scope;
}

async function read(
  em: SqlEntityManager,
  scope: ResolvedScope,
  window: PostWindow,
): Promise<PostRecord[]> {
  const q = quoter(em);
  const after = window.after !== undefined;
  // A cursor page starts right after the cursor: an offset is only reported.
  const offset = after ? 0 : window.offset;
  if (scope.kind === 'feed') {
    const slice = { offset, count: window.limit, after: window.after };
    return (await feedRows<PostRow>(em, scope.authors, slice)).map(record);
  }
  if (scope.kind === 'search') {
    if (scope.words.length === 0) return [];
    const dialect = dialectOf(em);
    const sql = searchQueries.page(dialect, q, windowSql(window.limit, offset));
    const params = searchQueries.pageParams(dialect, engineQuery(dialect, scope.words));
    return (await selectRows<PostRow>(em, sql, params)).map(record);
  }
  const sql =
    scope.kind === 'all'
      ? postQueries.all(q, after, windowSql(window.limit, offset))
      : postQueries.byAuthor(q, after, windowSql(window.limit, offset));
  const params: unknown[] = scope.kind === 'all' ? [] : [scope.authorId];
  if (after) params.push(window.after);
  return (await selectRows<PostRow>(em, sql, params)).map(record);
}

/** The condition selecting the scope's authors on `column`, with its parameters, per chunk. */
function authorConditions(
  em: SqlEntityManager,
  scope: Exclude<ResolvedScope, { kind: 'search' }>,
  column: string,
) {
  if (scope.kind === 'all') return [{ where: '', params: [] as unknown[] }];
  if (scope.kind === 'author') return [{ where: `${column} = ?`, params: [scope.authorId] }];
  // One array on PostgreSQL keeps one SQL text, and so one prepared statement.
  if (dialectOf(em) === 'postgresql')
    return [{ where: `${column} = any(?::int[])`, params: [scope.authors] as unknown[] }];
  return authorChunks(scope.authors).map((chunk) => ({
    where: `${column} in (${chunk.map(() => '?').join(', ')})`,
    params: chunk as unknown[],
  }));
}

/** How many posts the scope holds, and how many of them are at or after `after`. */
async function count(em: SqlEntityManager, scope: ResolvedScope, after: Date | undefined) {
  if (scope.kind === 'search') return { total: await countMatches(em, scope.words), newer: 0 };
  const q = quoter(em);
  let total = 0;
  for (const { where, params } of authorConditions(em, scope, 'id')) {
    const [row] = await selectRows<{ total: number | string }>(
      em,
      postQueries.total(q, where),
      params,
    );
    total += Number(row?.total ?? 0);
  }
  let newer = 0;
  if (after) {
    for (const { where, params } of authorConditions(em, scope, 'user_id')) {
      const sql = postQueries.newer(q, where);
      const [row] = await selectRows<{ newer: number | string }>(em, sql, [...params, after]);
      newer += Number(row?.newer ?? 0);
    }
  }
  return { total, newer };
}

/** How many posts hold every one of `words`. */
async function countMatches(em: SqlEntityManager, words: string[]): Promise<number> {
  if (words.length === 0) return 0;
  const dialect = dialectOf(em);
  const [row] = await selectRows<{ total: number | string }>(
    em,
    searchQueries.count(dialect, quoter(em)),
    [engineQuery(dialect, words)],
  );
  return Number(row?.total ?? 0);
}

/** One post with its author, or null. */
export async function findPost(em: SqlEntityManager, id: number): Promise<PostRecord | null> {
  const [row] = await selectRows<PostRow>(em, postQueries.one(quoter(em)), [id]);
  return row ? record(row) : null;
}

/** Page `page` (from 1) of a list, `perPage` posts newest first: the web's timelines. */
export async function pageOfPosts(
  em: SqlEntityManager,
  scope: PostScope,
  page: number,
  perPage: number,
): Promise<Page<PostRecord>> {
  const rows = await read(em, await resolve(em, scope), pageSlice(page, perPage));
  return toPage(rows, perPage);
}

/** A window of a list with its total: the API's lists (see `countedWindow`). */
export async function listPosts(
  em: SqlEntityManager,
  scope: PostScope,
  window: PostWindow,
): Promise<Windowed<PostRecord>> {
  const resolved = await resolve(em, scope);
  const counts = await count(em, resolved, window.after);
  return countedWindow(counts, window, () => read(em, resolved, window));
}
