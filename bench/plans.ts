/**
 * Prints the query plan of every query behind Home, Explore and profile pages, on the
 * database DATABASE_URL names (seed it first with `microblog fake`).
 * Usage: DATABASE_URL=... node --import tsx bench/plans.ts
 */
import type { LogContext, Logger } from '@mikro-orm/core';
import { MikroORM } from '@mikro-orm/core';
import type { SqlEntityManager } from '@mikro-orm/sql';
import { loadConfig } from '../src/config.ts';
import { connectOrFail } from '../src/db/connect.ts';
import { Follow, Post, User } from '../src/db/entities/index.ts';
import { ormOptions } from '../src/db/orm.ts';
import { explore, postsBy, timeline } from '../src/features/main/service.ts';
import { followCounts, followList, isFollowing } from '../src/features/users/service.ts';

const captured: LogContext[] = [];
const logger: Logger = {
  log() {},
  error() {},
  warn() {},
  logQuery: (context) => {
    captured.push(context);
  },
  setDebugMode() {},
  isEnabled: () => true,
};

const config = loadConfig();
const orm = await MikroORM.init({
  ...(await ormOptions(config.database)),
  debug: ['query'],
  loggerFactory: () => logger,
});
await connectOrFail(orm, config.database);
const em = orm.em.fork() as SqlEntityManager;
const follow = await em.findOneOrFail(
  Follow,
  { follower: { $ne: null } },
  { populate: ['follower', 'followed'] },
);
const reader = follow.follower;
const author = await em.findOneOrFail(User, { posts: { $ne: null } });
const totals = {
  users: await em.count(User),
  posts: await em.count(Post),
  follows: await em.count(Follow),
};

const pages: [string, () => Promise<unknown>][] = [
  ['Home timeline (page 1)', () => timeline(em.fork() as SqlEntityManager, reader, 1, 25)],
  ['Explore (page 1)', () => explore(em.fork() as SqlEntityManager, 1, 25)],
  ['Profile posts (page 1)', () => postsBy(em.fork() as SqlEntityManager, author, 1, 25)],
  ['Profile counts', () => followCounts(em.fork() as SqlEntityManager, author)],
  ['Profile follow button', () => isFollowing(em.fork() as SqlEntityManager, reader, author)],
  ['Followers list', () => followList(em.fork() as SqlEntityManager, author, 'followers', 1, 25)],
];

const explain: Record<string, string> = {
  sqlite: 'explain query plan',
  postgresql: 'explain',
  mysql: 'explain',
  mariadb: 'explain',
};
console.log(`Query plans on ${config.database.dialect}: ${JSON.stringify(totals)}\n`);
for (const [name, run] of pages) {
  captured.length = 0;
  await run();
  console.log(`## ${name}`);
  for (const { query, params } of [...captured]) {
    if (!query || !/^select/i.test(query)) continue;
    // The timeline repeats one branch per author: show each distinct line once.
    console.log(
      `\n    ${query.length > 400 ? `${query.slice(0, 400)} … (${query.length} chars)` : query}`,
    );
    const plan: Record<string, unknown>[] = await em
      .getConnection()
      .execute(`${explain[config.database.dialect]} ${query}`, params ?? []);
    const lines = plan.map((row) => String(row.detail ?? row['QUERY PLAN'] ?? JSON.stringify(row)));
    const counts = new Map<string, number>();
    for (const line of lines) counts.set(line, (counts.get(line) ?? 0) + 1);
    for (const [line, count] of counts)
      console.log(`      ${line}${count > 1 ? `   (x${count})` : ''}`);
  }
  console.log();
}
await orm.close();
