/**
 * JSON API benchmark (issue: the JSON API). Seeds 10,000 users with 50 follows each and
 * 100,000 posts through `microblog fake`, gets an access token with `POST /api/tokens`
 * (Basic auth as a user who follows 50 others), then measures `GET /api/feed` and
 * `GET /api/posts/<id>` with `Authorization: Bearer <token>` with autocannon
 * (16 connections) against the app and a bare node:http + better-sqlite3 baseline that
 * runs the same queries (token check included), in the same run. Then grows the posts to
 * 1,000,000 and measures `/api/feed` again.
 * Usage: npm run bench:api  (BENCH_SECONDS=10, BENCH_POSTS=100000,1000000)
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { type AddressInfo, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import Database from 'better-sqlite3';
import { projectRoot } from '../src/config.ts';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const [SMALL, LARGE] = (process.env.BENCH_POSTS ?? '100000,1000000').split(',').map(Number);
const BIN = join(projectRoot, 'bin', 'microblog.js');
const work = mkdtempSync(join(tmpdir(), 'microblog-api-bench-'));
const file = join(work, 'bench.db');
const env = {
  ...process.env,
  DATABASE_URL: `sqlite:///${file}`,
  SECRET_KEY: 'bench',
  RATELIMIT_ENABLED: 'false',
  LOG_LEVEL: 'warn',
};

function cli(...args: string[]): string {
  const started = performance.now();
  const run = spawnSync(process.execPath, [BIN, ...args], {
    cwd: projectRoot,
    env,
    encoding: 'utf8',
  });
  if (run.status !== 0) throw new Error(`microblog ${args.join(' ')} failed: ${run.stderr}`);
  console.log(
    `  microblog ${args.join(' ')}: ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );
  return run.stdout;
}

/** A port nothing listens on right now. */
function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

/** Starts a server process on a free port and resolves once `ready` answers 200. */
async function start(
  args: (port: number) => string[],
  ready: string,
): Promise<{ url: string; child: ChildProcess }> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  let output = '';
  const child = spawn(process.execPath, args(port), { cwd: projectRoot, env });
  child.stdout?.on('data', (chunk) => {
    output += chunk;
  });
  child.stderr?.on('data', (chunk) => {
    output += chunk;
  });
  for (let attempt = 0; attempt < 100; attempt++) {
    if (child.exitCode !== null) break;
    const response = await fetch(url + ready).catch(() => undefined);
    if (response?.ok) return { url, child };
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  child.kill();
  throw new Error(`${args(port).join(' ')} did not start: ${output}`);
}

/** An access token from `POST /api/tokens` with Basic auth. */
async function accessToken(url: string, username: string, password: string): Promise<string> {
  const response = await fetch(`${url}/api/tokens`, {
    method: 'POST',
    headers: {
      authorization: `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`,
    },
  });
  const body = (await response.json()) as { access_token?: string };
  if (response.status !== 200 || !body.access_token)
    throw new Error(`POST /api/tokens failed: ${response.status}`);
  return body.access_token;
}

interface Figure {
  rps: number;
  p50: number;
  p99: number;
}

async function measure(url: string, headers: Record<string, string> = {}): Promise<Figure> {
  const result = await autocannon({ url, connections: 16, duration: SECONDS, headers });
  if (result.non2xx > 0 || result.errors > 0)
    throw new Error(`${url}: ${result.non2xx} non-2xx, ${result.errors} errors`);
  return { rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99 };
}

function pickReaderAndPost(): { reader: string; postId: number } {
  const db = new Database(file, { readonly: true });
  try {
    // A reader who follows 50 users, and a post from the middle of the table.
    const reader = db
      .prepare(
        'select u.username from user u join followers f on f.follower_id = u.id group by u.id having count(*) >= 50 limit 1',
      )
      .get() as { username: string };
    const post = db
      .prepare('select id from post order by id limit 1 offset (select count(*) / 2 from post)')
      .get() as { id: number };
    return { reader: reader.username, postId: post.id };
  } finally {
    db.close();
  }
}

/** SQLite's plan for the token check every API request makes. */
function tokenPlan(): string[] {
  const db = new Database(file, { readonly: true });
  try {
    const rows = db
      .prepare(
        'explain query plan select u.* from token as t join user as u on u.id = t.user_id where t.access_token_hash = ? and t.access_expiration > ?',
      )
      .all('0'.repeat(64), Date.now()) as { detail: string }[];
    return rows.map((row) => row.detail);
  } finally {
    db.close();
  }
}

async function round(posts: number, pages: string[]) {
  const { reader, postId } = pickReaderAndPost();
  const app = await start(
    (port) => [BIN, 'run', '--host', '127.0.0.1', '--port', String(port)],
    '/healthz',
  );
  const bare = await start(
    (port) => ['--import', 'tsx', 'bench/api-baseline-server.ts', file, String(port)],
    '/ready',
  );
  const rows: string[][] = [];
  const results: Record<string, { app: Figure; bare: Figure }> = {};
  try {
    // The baseline reads the token row the app stored, so one token serves both.
    const token = await accessToken(app.url, reader, password);
    const headers = { authorization: `Bearer ${token}` };
    const paths: Record<string, string> = {
      '/api/feed': '/api/feed',
      '/api/posts/<id>': `/api/posts/${postId}`,
    };
    for (const name of pages) {
      const path = paths[name];
      // Same body from both, minus key order: a quick check that they answer alike.
      const [a, b] = await Promise.all(
        [app.url, bare.url].map((base) => fetch(base + path, { headers }).then((r) => r.json())),
      );
      if (JSON.stringify(a).length !== JSON.stringify(b).length)
        console.warn(`  ${name}: app and baseline bodies differ in size`);
      // Warm both up first: JIT, SQLite page cache.
      await autocannon({ url: app.url + path, connections: 4, duration: 2, headers });
      await autocannon({ url: bare.url + path, connections: 4, duration: 2, headers });
      const appFigure = await measure(app.url + path, headers);
      const bareFigure = await measure(bare.url + path, headers);
      results[name] = { app: appFigure, bare: bareFigure };
      const share = appFigure.rps / bareFigure.rps;
      rows.push([
        `${name} @ ${posts.toLocaleString('en-US')} posts`,
        `${appFigure.rps.toFixed(0)} req/s, p50 ${appFigure.p50} ms, p99 ${appFigure.p99} ms`,
        `${bareFigure.rps.toFixed(0)} req/s, p50 ${bareFigure.p50} ms, p99 ${bareFigure.p99} ms`,
        `${(share * 100).toFixed(0)}%`,
        share >= 0.25 && appFigure.p99 < 50 ? 'PASS' : 'FAIL',
      ]);
    }
  } finally {
    app.child.kill('SIGTERM');
    bare.child.kill('SIGTERM');
  }
  return { rows, results };
}

function printTable(rows: string[][]): void {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((row) => row[c].length)));
  for (const [i, row] of rows.entries()) {
    console.log(row.map((cell, c) => cell.padEnd(widths[c])).join(' | '));
    if (i === 0) console.log(widths.map((w) => '-'.repeat(w)).join('-|-'));
  }
}

let password = '';
try {
  console.log(
    `Microblog JSON API benchmark: Node ${process.version}, autocannon 16 connections, ${SECONDS} s per figure`,
  );
  console.log('Seeding:');
  cli('db', 'upgrade');
  password = /password "([^"]+)"/.exec(cli('fake', 'users', '10000', '--follows', '50'))?.[1] ?? '';
  cli('fake', 'posts', String(SMALL));
  const small = await round(SMALL, ['/api/feed', '/api/posts/<id>']);
  console.log('Token check plan (SQLite):');
  for (const line of tokenPlan()) console.log(`  ${line}`);
  // BENCH_POSTS with one number skips the growth round (a quicker run while tuning).
  if (LARGE) cli('fake', 'posts', String(LARGE - SMALL));
  const large = LARGE ? await round(LARGE, ['/api/feed']) : { rows: [], results: {} };
  console.log();
  printTable([
    ['endpoint', 'app', 'bare baseline', 'app/baseline', '>=25%, p99<50ms'],
    ...small.rows,
    ...large.rows,
  ]);
  console.log();
  if (LARGE) {
    const name = '/api/feed';
    const rpsDrop = small.results[name].app.rps / large.results[name].app.rps;
    const bareDrop = small.results[name].bare.rps / large.results[name].bare.rps;
    console.log(
      `${name}: ${SMALL.toLocaleString('en-US')} -> ${LARGE.toLocaleString('en-US')} posts: app req/s ${rpsDrop.toFixed(2)}x slower (baseline ${bareDrop.toFixed(2)}x) (bar: within 1.5x) ${rpsDrop <= 1.5 ? 'PASS' : 'FAIL'}`,
    );
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
