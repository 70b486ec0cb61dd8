/**
 * Full-text search at scale: how long a search takes, and the query plans behind it, on
 * the database DATABASE_URL names. Seed it first (`microblog db upgrade`, `microblog fake
 * users 10000`, `microblog fake posts 1000000`); the words searched are from the fake
 * posts' vocabulary, from rare to in nearly every post.
 * Usage: DATABASE_URL=... node --import tsx bench/search.ts
 */
import type { SqlEntityManager } from '@mikro-orm/sql';
import { loadConfig } from '../src/config/load.ts';
import { connectOrFail } from '../src/db/connect.ts';
import { openOrm } from '../src/db/orm.ts';
import { dialectOf } from '../src/db/rows.ts';
import { listPosts, pageOfPosts } from '../src/domain/posts/lists.ts';
import { windowSql } from '../src/domain/posts/queries.ts';
import { engineQuery, searchQueries, searchWords } from '../src/domain/posts/search.ts';

const RUNS = Number(process.env.BENCH_RUNS ?? 7);
const SEARCHES = (
  process.env.BENCH_SEARCHES ?? 'zürich|東京|haiku|coffee|a|to the|the|nothing-matches-this'
).split('|');

const config = loadConfig();
const orm = await openOrm(config);
await connectOrFail(orm, config.database, { create: false });
const em = () => orm.em.fork() as SqlEntityManager;
const dialect = dialectOf(em());
const q = (name: string) => em().getPlatform().quoteIdentifier(name);

const median = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1];

async function time(work: () => Promise<unknown>): Promise<number> {
  await work(); // warm the caches: a search server answers from memory
  const runs: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const started = performance.now();
    await work();
    runs.push(performance.now() - started);
  }
  return median(runs);
}

const [{ posts }] = await em().execute<{ posts: number }[]>(
  `select count(*) as posts from ${q('post')}`,
);
console.log(`Search on ${config.database.dialect}, ${Number(posts)} posts, median of ${RUNS}:\n`);
console.log('| search | matches | web page 1 | web page 3 | API page 1 (with count) |');
console.log('| --- | ---: | ---: | ---: | ---: |');
for (const text of SEARCHES) {
  const scope = { kind: 'search', words: searchWords(text) } as const;
  const api = await listPosts(em(), scope, { limit: 25, offset: 0 });
  const web1 = await time(() => pageOfPosts(em(), scope, 1, 25));
  const web3 = await time(() => pageOfPosts(em(), scope, 3, 25));
  const apiTime = await time(() => listPosts(em(), scope, { limit: 25, offset: 0 }));
  const ms = (value: number) => `${value.toFixed(1)} ms`;
  console.log(`| \`${text}\` | ${api.total} | ${ms(web1)} | ${ms(web3)} | ${ms(apiTime)} |`);
}

const explain = dialect === 'sqlite' ? 'explain query plan' : 'explain';
const words = searchWords(process.env.BENCH_EXPLAIN ?? 'coffee');
const query = engineQuery(dialect, words);
for (const [name, sql, params] of [
  [
    'page 1',
    searchQueries.page(dialect, q, windowSql(26)),
    searchQueries.pageParams(dialect, query),
  ],
  ['count', searchQueries.count(dialect, q), [query]],
] as const) {
  console.log(`\n${name}: ${sql}`);
  const plan = await em()
    .getConnection()
    .execute(`${explain} ${sql}`, [...params]);
  for (const row of plan as Record<string, unknown>[]) {
    console.log(`    ${String(row.detail ?? row['QUERY PLAN'] ?? JSON.stringify(row))}`);
  }
}
await orm.close();
