/**
 * Prints the query plan of every query behind Home, Explore, profile pages, follow lists
 * and the API's feed and token check, on the database DATABASE_URL names (seed it first
 * with `microblog fake`).
 * Usage: DATABASE_URL=... node --import tsx bench/plans.ts
 */
import { MikroORM } from '@mikro-orm/core';
import type { SqlEntityManager } from '@mikro-orm/sql';
import { loadConfig } from '../src/config/load.ts';
import { connectOrFail } from '../src/db/connect.ts';
import { Follow, Post, User } from '../src/db/entities/index.ts';
import { ormOptions } from '../src/db/orm.ts';
import { columnsOf } from '../src/db/rows.ts';
import { followQueries } from '../src/domain/follows.ts';
import { messageQueries } from '../src/domain/message-lists.ts';
import { newsQuery } from '../src/domain/news.ts';
import { type FeedSlice, feedPage, feedQueries } from '../src/domain/posts/feed.ts';
import { postQueries, windowSql } from '../src/domain/posts/queries.ts';
import { tokenUserQuery } from '../src/domain/tokens.ts';
import { profileQuery } from '../src/domain/users.ts';

const config = loadConfig();
const orm = await MikroORM.init({
  ...(await ormOptions(config.database)),
});
await connectOrFail(orm, config.database, { create: false });
const em = orm.em.fork() as SqlEntityManager;
const platform = em.getPlatform();
const q = (identifier: string) => platform.quoteIdentifier(identifier);

// A reader who follows people, and an author with posts.
const follow = await em.findOneOrFail(
  Follow,
  { follower: { $ne: null } },
  { populate: ['follower'] },
);
const reader = follow.follower;
const author = await em.findOneOrFail(User, { posts: { $ne: null } });
const followed = (await em.find(Follow, { follower: reader })).map((row) => row.followed.id);
const authors = [reader.id, ...followed];
const totals = {
  users: await em.count(User),
  posts: await em.count(Post),
  follows: await em.count(Follow),
};

const dialect =
  config.database.dialect === 'sqlite' || config.database.dialect === 'postgresql'
    ? config.database.dialect
    : 'mysql';
const feedPlan = (slice: FeedSlice): [string, unknown[]] => {
  const { sql, params } = feedPage(dialect, q, authors, slice);
  return [sql, params];
};
// The feed's authors, as lists.ts selects them: one array on PostgreSQL.
const who =
  dialect === 'postgresql' ? 'id = any(?::int[])' : `id in (${authors.map(() => '?').join(', ')})`;
const whoParams: unknown[] = dialect === 'postgresql' ? [authors] : authors;

/** The SQL the services run, with their parameters, by page. */
const queries: [string, string, unknown[]][] = [
  [
    'Session lookup (every signed-in request)',
    `select data from ${q('session')} where id = ? and expires_at > ?`,
    ['x', new Date()],
  ],
  [
    'Every signed-in page: unread messages and running tasks (the navbar badge)',
    newsQuery(q),
    [reader.id, new Date(0), reader.id, false],
  ],
  [
    'Messages: received, page 1',
    messageQueries.list(q, 'received', false, windowSql(26)),
    [reader.id],
  ],
  ['Home and API feed: whom the reader follows', feedQueries.followed(q), [reader.id]],
  ['Home: timeline page 1 (top-k merge)', ...feedPlan({ offset: 0, count: 26 })],
  ['API feed: page 1 (the same merge)', ...feedPlan({ offset: 0, count: 25 })],
  ['API feed: after a cursor', ...feedPlan({ offset: 0, count: 25, after: new Date() })],
  ["API feed: its total (the authors' post counts)", postQueries.total(q, who), whoParams],
  [
    'API feed: posts newer than a cursor',
    postQueries.newer(q, who.replace('id', 'user_id')),
    [...whoParams, new Date()],
  ],
  [
    'API token check (every API request)',
    tokenUserQuery(q, columnsOf(em, User, 'u')),
    ['x', new Date()],
  ],
  ['API: all posts after a cursor', postQueries.all(q, true, windowSql(25)), [new Date()]],
  ['Explore page 1', postQueries.all(q, false, windowSql(26)), []],
  ['Profile: user, counts, follow button', profileQuery(q), [reader.id, author.username]],
  ['Profile: posts page 1', postQueries.byAuthor(q, false, windowSql(26)), [author.id]],
  [
    'Followers list page 1 (web and API)',
    followQueries.page(q, columnsOf(em, User, 'u'), 'followers', false, 'limit 26 offset 0'),
    [author.id],
  ],
  [
    'Following list after a username (API)',
    followQueries.page(q, columnsOf(em, User, 'u'), 'following', true, 'limit 25 offset 0'),
    [reader.id, 'm'],
  ],
  [
    'Follow list count up to a username (API)',
    followQueries.count(q, 'following', true),
    [reader.id, 'm'],
  ],
];

const explain: Record<string, string> = {
  sqlite: 'explain query plan',
  postgresql: 'explain',
  mysql: 'explain',
  mariadb: 'explain',
};

async function printPlan(sql: string, params: unknown[]) {
  console.log(`\n    ${sql.length > 400 ? `${sql.slice(0, 400)} … (${sql.length} chars)` : sql}`);
  // MikroORM writes the values into the SQL: an array as PostgreSQL's array literal.
  const bound = params.map((value) =>
    Array.isArray(value)
      ? `{${value.join(',')}}`
      : config.database.dialect !== 'sqlite'
        ? value
        : value instanceof Date
          ? value.getTime()
          : typeof value === 'boolean'
            ? Number(value)
            : value,
  );
  const plan: Record<string, unknown>[] = await em
    .getConnection()
    .execute(`${explain[config.database.dialect]} ${sql}`, bound);
  // The timeline repeats one branch per author: show each distinct line once.
  const counts = new Map<string, number>();
  for (const row of plan) {
    const line = String(row.detail ?? row['QUERY PLAN'] ?? JSON.stringify(row));
    counts.set(line, (counts.get(line) ?? 0) + 1);
  }
  for (const [line, count] of counts)
    console.log(`      ${line}${count > 1 ? `   (x${count})` : ''}`);
}

console.log(`Query plans on ${config.database.dialect}: ${JSON.stringify(totals)}\n`);
for (const [name, sql, params] of queries) {
  console.log(`## ${name}`);
  await printPlan(sql, params);
  console.log();
}
await orm.close();
