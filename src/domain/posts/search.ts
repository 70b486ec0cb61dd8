import type { QueryResult } from '@mikro-orm/core';
import type { SqlEntityManager } from '@mikro-orm/sql';
import { type Dialect, dialectOf, type Quote } from '../../db/rows.ts';
import { withAuthor } from './queries.ts';

/**
 * Full-text search over posts with each database's own engine: SQLite FTS5 ranked by
 * bm25, PostgreSQL tsvector ranked by ts_rank, MariaDB/MySQL FULLTEXT ranked by its
 * relevance. docs/decisions/0030-full-text-search.md
 */

/**
 * The suffix every word carries in MariaDB's indexed column, so that no word is shorter
 * than innodb_ft_min_token_size (3) or one of InnoDB's stop words. The revision that adds
 * the column appends the same suffix.
 */
const MARIADB_WORD_SUFFIX = 'zq';

/** More words than this in one search are dropped: each one is another index lookup. */
const MAX_WORDS = 16;

/**
 * The words of what a user typed, as the indexes hold them: lower case, runs of letters,
 * digits and combining marks. Everything else (quotes, operators, punctuation) only
 * separates words, so no input can break a query's syntax.
 */
export function searchWords(text: string): string[] {
  const words = text.toLowerCase().match(/[\p{L}\p{N}\p{M}]+/gu) ?? [];
  return [...new Set(words)].slice(0, MAX_WORDS);
}

/**
 * The engine's query for posts holding every word. Each word is letters, digits and
 * marks only, so none can be read as an operator.
 */
export function engineQuery(dialect: Dialect, words: string[]): string {
  switch (dialect) {
    case 'sqlite':
      return words.map((word) => `"${word}"`).join(' ');
    case 'postgresql':
      return words.join(' & ');
    case 'mysql':
      return words.map((word) => `+${word}${MARIADB_WORD_SUFFIX}`).join(' ');
  }
}

/**
 * How many of the newest matches are ranked. Ranking costs a little for every match, and a
 * common word matches hundreds of thousands of posts at 1M: so a search ranks the 5,000
 * most recently written posts that match, fetched newest first straight from the index
 * (docs/performance.md has the figures). Pages end there: 200 of 25.
 */
export const SEARCH_DEPTH = 5_000;

const TSQUERY = "to_tsquery('simple', ?)";
const TSVECTOR = "to_tsvector('simple', p.body)";
const AGAINST = 'match(p.search_words) against (? in boolean mode)';

/** Where each engine finds the matches, and how it scores one (higher is better). */
const ENGINES = {
  sqlite: (q: Quote) => ({
    from: q('post_fts'),
    id: 'rowid',
    where: `${q('post_fts')} match ?`,
    // bm25: lower is better.
    score: '-rank',
  }),
  postgresql: (q: Quote) => ({
    from: `${q('post')} as p`,
    id: 'p.id',
    where: `${TSVECTOR} @@ ${TSQUERY}`,
    score: `ts_rank(${TSVECTOR}, ${TSQUERY})`,
  }),
  mysql: (q: Quote) => ({
    from: `${q('post')} as p`,
    id: 'p.id',
    where: AGAINST,
    score: AGAINST,
  }),
};

/** The SEARCH_DEPTH newest matches, as `columns`. */
function newestMatches(dialect: Dialect, q: Quote, columns: (id: string, score: string) => string) {
  const engine = ENGINES[dialect](q);
  return `select ${columns(engine.id, engine.score)} from ${engine.from} where ${engine.where} order by ${engine.id} desc limit ${SEARCH_DEPTH}`;
}

/**
 * A page of matches, best first (equal scores newest first), with their authors; and how
 * many can be paged through. The page is picked from ids and scores alone, before any post
 * is read. The SQL is exported so `bench/search.ts` can EXPLAIN it.
 */
export const searchQueries = {
  page(dialect: Dialect, q: Quote, window: string): string {
    const ranked = newestMatches(dialect, q, (id, score) => `${id} as id, ${score} as score`);
    const picked = `(select id, score from (${ranked}) as c order by score desc, id desc ${window}) as m join ${q('post')} as p on p.id = m.id`;
    return `${withAuthor(q, picked, 'p')} order by m.score desc, m.id desc`;
  },
  count: (dialect: Dialect, q: Quote) =>
    `select count(*) as total from (${newestMatches(dialect, q, () => '1 as one')}) as c`,
  /** The parameters of `page`: the engine query for the score where it takes one, and the match. */
  pageParams: (dialect: Dialect, query: string) =>
    dialect === 'sqlite' ? [query] : [query, query],
};

/** Posts copied into SQLite's FTS5 table per statement while it is rebuilt. */
const REINDEX_BATCH = 10_000;

/**
 * Rebuilds the search index from the posts; searches see the old index until the new one
 * is whole. SQLite refills its FTS5 table in batches inside one transaction, reported to
 * `onProgress`; PostgreSQL and MariaDB rebuild their index in one statement, reported as
 * one step. Returns how many posts the index holds.
 */
export async function rebuildSearchIndex(
  em: SqlEntityManager,
  onProgress?: (stage: string, done: number, total: number) => void,
): Promise<number> {
  const dialect = dialectOf(em);
  const q = (name: string) => em.getPlatform().quoteIdentifier(name);
  const [{ total, last }] = await em.execute<{ total: number | string; last: unknown }[]>(
    `select count(*) as total, max(id) as last from ${q('post')}`,
  );
  const posts = Number(total);
  onProgress?.('posts', 0, posts);
  if (dialect === 'sqlite') {
    await em.transactional(async (tx) => {
      await tx.execute(`insert into ${q('post_fts')} (${q('post_fts')}) values ('delete-all')`);
      const copy = `insert into ${q('post_fts')} (rowid, body) select id, body from ${q('post')} where id > ? and id <= ?`;
      let done = 0;
      for (let from = 0; from < Number(last ?? 0); from += REINDEX_BATCH) {
        const result = await tx.execute<QueryResult>(copy, [from, from + REINDEX_BATCH], 'run');
        done += result.affectedRows;
        onProgress?.('posts', done, posts);
      }
    });
  } else if (dialect === 'postgresql') {
    // Concurrently: a plain REINDEX would hold off searches and new posts until it ends.
    await em.execute(`reindex index concurrently ${q('ix_post_body_search')}`);
  } else {
    // Rebuilds the table with its FULLTEXT index. InnoDB cannot rebuild a FULLTEXT index
    // without a shared lock: searches go on, new posts wait until it ends. (Dropping and
    // adding the index in one ALTER left it empty on MariaDB 10.11 the first time.)
    await em.execute(`alter table ${q('post')} force`);
  }
  onProgress?.('posts', posts, posts);
  return posts;
}
