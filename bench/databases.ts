/**
 * The home page and the API on PostgreSQL or MariaDB, against the bare driver server
 * (bench/sql-baseline-server.ts) on the same database, in one interleaved run. The
 * database must be seeded first (or set BENCH_SEED=<posts> to seed it here with
 * `microblog fake users 10000 --follows 50` and `microblog fake posts <posts>`).
 * Usage: BENCH_DATABASE_URL=postgresql://… npm run bench:databases
 */
import { createPool } from 'mysql2/promise';
import pg from 'pg';
import { accessToken, cli, compare, printTable, SECONDS, signIn, startServers } from './support.ts';

const url = process.env.BENCH_DATABASE_URL ?? '';
if (!/^(postgres(ql)?|mariadb|mysql):/.test(url))
  throw new Error('Set BENCH_DATABASE_URL to a postgresql:// or mariadb:// database');

/** One query on the bench database, outside the app. */
async function query<T>(sql: string): Promise<T[]> {
  if (url.startsWith('postgres')) {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      return (await client.query(sql.replaceAll('`', '"'))).rows as T[];
    } finally {
      await client.end();
    }
  }
  const pool = createPool({ uri: url.replace(/^mariadb:/, 'mysql:'), connectionLimit: 1 });
  try {
    return (await pool.query(sql))[0] as T[];
  } finally {
    await pool.end();
  }
}

let password = 'microblog-demo';
if (process.env.BENCH_SEED) {
  console.log('Seeding:');
  cli('db', 'upgrade');
  password = /password "([^"]+)"/.exec(cli('fake', 'users', '10000', '--follows', '50'))?.[1] ?? '';
  cli('fake', 'posts', process.env.BENCH_SEED);
}
const [counts] = await query<{ posts: number; users: number }>(
  'select (select count(*) from post) as posts, (select count(*) from `user`) as users',
);
// A reader following 50 others (the demo data's most), and a post from the middle.
const [reader] = await query<{ id: number; username: string }>(
  'select u.id, u.username from `user` u where u.id = (select follower_id from followers group by follower_id order by count(*) desc, follower_id limit 1)',
);
const [post] = await query<{ id: number }>(
  'select id from post where id >= (select (min(id) + max(id)) / 2 from post) order by id limit 1',
);
console.log(
  `Microblog on ${url.replace(/\/\/[^@]*@/, '//')}: ${Number(counts.posts).toLocaleString('en-US')} posts, ${Number(counts.users).toLocaleString('en-US')} users; Node ${process.version}, autocannon 16 connections, ${SECONDS} s per figure`,
);
const { app, bare, stop } = await startServers('bench/sql-baseline-server.ts', '/ready', url);
const rows: string[][] = [];
try {
  const cookie = await signIn(app.url, reader.username, password);
  const headers = {
    authorization: `Bearer ${await accessToken(app.url, reader.username, password)}`,
  };
  const targets: [string, string, string, Record<string, string>][] = [
    ['/index', '/index', `/index?user=${reader.id}`, { cookie }],
    ['/api/feed', '/api/feed', '/api/feed', headers],
    ['/api/posts/<id>', `/api/posts/${post.id}`, `/api/posts/${post.id}`, headers],
  ];
  for (const [name, appPath, barePath, appHeaders] of targets) {
    const { row } = await compare(
      name,
      { url: app.url + appPath, headers: appHeaders },
      { url: bare.url + barePath, headers: name === '/index' ? {} : headers },
    );
    rows.push(row);
    console.log(row.join(' | '));
  }
} finally {
  stop();
}
console.log();
printTable([['page', 'app', 'bare baseline', 'app/baseline', '>=0.8x, p99<50ms', 'load'], ...rows]);
