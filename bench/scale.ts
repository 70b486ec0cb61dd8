/**
 * Scaling benchmark (issue: scale out): requests per second of 1, 2 and 4 `microblog run`
 * processes behind deploy/nginx/microblog.conf (Debian's nginx), on one PostgreSQL database
 * and one Redis, for the home timeline (signed in) and `GET /api/feed` (bearer token),
 * with autocannon (32 connections through nginx). Prints each figure beside the machine's
 * load average (`uptime`): on a shared machine other work skews them.
 * Usage: npm run bench:scale  (BENCH_SECONDS=10, BENCH_USERS=1000, BENCH_POSTS=20000,
 * BENCH_POSTGRES_URL=postgresql://postgres@127.0.0.1:5432/postgres,
 * BENCH_REDIS_URL=redis://127.0.0.1:6379/9, BENCH_PROCESSES=1,2,4)
 */
import { spawnSync } from 'node:child_process';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import pg from 'pg';
import { projectRoot } from '../src/config/load.ts';
import { HttpClient } from '../test/support/http-client.ts';
import { startNginx } from '../test/support/nginx.ts';
import { type RunningServer, startServer } from '../test/support/server.ts';
import { printTable } from './support.ts';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const USERS = process.env.BENCH_USERS ?? '1000';
const POSTS = process.env.BENCH_POSTS ?? '20000';
const PROCESSES = (process.env.BENCH_PROCESSES ?? '1,2,4').split(',').map(Number);
const admin = new URL(
  process.env.BENCH_POSTGRES_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres',
);
const name = `mb_bench_scale_${process.pid}`;
const databaseUrl = new URL(admin);
databaseUrl.pathname = `/${name}`;
const env = {
  DATABASE_URL: databaseUrl.toString(),
  SECRET_KEY: 'bench-secret-key-of-at-least-32-characters',
  REDIS_URL: process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379/9',
  REDIS_PREFIX: `{mbbench-${process.pid}}`,
  RATELIMIT_ENABLED: 'false',
  TRUST_PROXY: '1',
};

async function onServer(sql: string) {
  const client = new pg.Client({ connectionString: admin.toString() });
  await client.connect();
  await client.query(sql);
  await client.end();
}

function cli(...args: string[]): string {
  const run = spawnSync(process.execPath, [join(projectRoot, 'bin', 'microblog.js'), ...args], {
    env: { ...process.env, ...env },
    encoding: 'utf8',
  });
  if (run.status !== 0) throw new Error(`microblog ${args.join(' ')}: ${run.stderr}`);
  return run.stdout;
}

async function measure(url: string, headers: Record<string, string>) {
  const load = loadavg()[0];
  const result = await autocannon({ url, connections: 32, duration: SECONDS, headers });
  if (result.non2xx > 0 || result.errors > 0)
    throw new Error(`${url}: ${result.non2xx} non-2xx, ${result.errors} errors`);
  return { rps: result.requests.average, p99: result.latency.p99, load };
}

await onServer(`create database ${name}`);
const servers: RunningServer[] = [];
try {
  cli('db', 'upgrade');
  const password = /password "([^"]+)"/.exec(cli('fake', 'users', USERS, '--follows', '50'))?.[1];
  cli('fake', 'posts', POSTS);
  const client = new pg.Client({ connectionString: env.DATABASE_URL });
  await client.connect();
  const reader = (
    await client.query<{ username: string }>(
      'select u.username from "user" u join followers f on f.follower_id = u.id group by u.id having count(*) >= 50 limit 1',
    )
  ).rows[0].username;
  await client.end();
  console.log(`${USERS} users following 50 each, ${POSTS} posts; reading as ${reader}`);

  const rows: string[][] = [];
  const first: Record<string, number> = {};
  for (const count of PROCESSES) {
    while (servers.length < count) servers.push(await startServer(env, ['--no-worker']));
    const nginx = await startNginx(servers.slice(0, count).map((server) => server.url));
    try {
      const browser = new HttpClient(nginx.url);
      const login = await browser.submit('/auth/login', {
        username: reader,
        password: password ?? '',
      });
      if (login.status !== 302) throw new Error(`login: ${login.status}`);
      const basic = Buffer.from(`${reader}:${password}`).toString('base64');
      const token = (await (
        await fetch(`${nginx.url}/api/tokens`, {
          method: 'POST',
          headers: { authorization: `Basic ${basic}` },
        })
      ).json()) as { access_token: string };
      const targets = [
        ['/index', browser.cookieHeader()],
        ['/api/feed', { authorization: `Bearer ${token.access_token}` }],
      ] as const;
      for (const [path, headers] of targets) {
        const figure = await measure(`${nginx.url}${path}`, headers);
        first[path] ??= figure.rps;
        rows.push([
          path,
          String(count),
          figure.rps.toFixed(0),
          `${(figure.rps / first[path]).toFixed(2)}x`,
          `${figure.p99} ms`,
          figure.load.toFixed(1),
        ]);
      }
    } finally {
      await nginx.stop();
    }
  }
  printTable([['route', 'processes', 'req/s', 'vs 1', 'p99', 'load (1 min)'], ...rows]);
} finally {
  for (const server of servers) await server.stop('SIGTERM');
  await onServer(`drop database if exists ${name} with (force)`);
}
