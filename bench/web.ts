/**
 * Web benchmark (issue: the web application). Seeds 10,000 users with 50 follows each
 * and 100,000 posts through `microblog fake`, then measures /index (signed in),
 * /explore and /user/<name> with autocannon (16 connections) against the app and a
 * bare node:http + better-sqlite3 baseline, in the same run. Then grows the posts to
 * 1,000,000 and measures /index and /user/<name> again.
 * Usage: npm run bench:web  (BENCH_SECONDS=10, BENCH_POSTS=100000,1000000)
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
const work = mkdtempSync(join(tmpdir(), 'microblog-web-bench-'));
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

async function signIn(url: string, username: string, password: string): Promise<string> {
  const form = await fetch(`${url}/auth/login`);
  const cookies = form.headers.getSetCookie().map((cookie) => cookie.split(';')[0]);
  const token = /name="_csrf" value="([^"]+)"/.exec(await form.text())?.[1] ?? '';
  const login = await fetch(`${url}/auth/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: cookies.join('; ') },
    body: new URLSearchParams({ _csrf: token, username, password }),
  });
  const session = login.headers.getSetCookie().find((cookie) => cookie.startsWith('session='));
  if (login.status !== 302 || !session) throw new Error(`login failed: ${login.status}`);
  return session.split(';')[0];
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

function pickUsers(): { reader: string; author: string; readerId: number } {
  const db = new Database(file, { readonly: true });
  try {
    // A reader who follows 50 users, and an author with a typical number of posts.
    const reader = db
      .prepare(
        'select u.id, u.username from user u join followers f on f.follower_id = u.id group by u.id having count(*) >= 50 limit 1',
      )
      .get() as { id: number; username: string };
    const author = db
      .prepare(
        'select u.username from user u where (select count(*) from post where user_id = u.id) >= 10 limit 1',
      )
      .get() as { username: string };
    return { reader: reader.username, readerId: reader.id, author: author.username };
  } finally {
    db.close();
  }
}

async function round(posts: number, pages: string[]) {
  const { reader, readerId, author } = pickUsers();
  const app = await start(
    (port) => [BIN, 'run', '--host', '127.0.0.1', '--port', String(port)],
    '/healthz',
  );
  const bare = await start(
    (port) => ['--import', 'tsx', 'bench/baseline-server.ts', file, String(port)],
    '/explore',
  );
  const rows: string[][] = [];
  const results: Record<string, { app: Figure; bare: Figure }> = {};
  try {
    const cookie = await signIn(app.url, reader, password);
    const paths: Record<string, [string, string, Record<string, string>]> = {
      '/index': ['/index', `/index?user=${readerId}`, { cookie }],
      '/explore': ['/explore', '/explore', {}],
      '/user/<name>': [`/user/${author}`, `/user/${author}`, {}],
    };
    for (const name of pages) {
      const [appPath, barePath, headers] = paths[name];
      // Warm both up first: JIT, SQLite page cache.
      await autocannon({ url: app.url + appPath, connections: 4, duration: 2, headers });
      await autocannon({ url: bare.url + barePath, connections: 4, duration: 2 });
      const appFigure = await measure(app.url + appPath, headers);
      const bareFigure = await measure(bare.url + barePath);
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
    `Microblog web benchmark: Node ${process.version}, autocannon 16 connections, ${SECONDS} s per figure`,
  );
  console.log('Seeding:');
  cli('db', 'upgrade');
  password = /password "([^"]+)"/.exec(cli('fake', 'users', '10000', '--follows', '50'))?.[1] ?? '';
  cli('fake', 'posts', String(SMALL));
  const small = await round(SMALL, ['/index', '/explore', '/user/<name>']);
  // BENCH_POSTS with one number skips the growth round (a quicker run while tuning).
  if (LARGE) cli('fake', 'posts', String(LARGE - SMALL));
  const large = LARGE ? await round(LARGE, ['/index', '/user/<name>']) : { rows: [], results: {} };
  console.log();
  printTable([
    ['page', 'app', 'bare baseline', 'app/baseline', '>=25%, p99<50ms'],
    ...small.rows,
    ...large.rows,
  ]);
  console.log();
  for (const name of LARGE ? ['/index', '/user/<name>'] : []) {
    const growth = large.results[name].app.p50 / Math.max(small.results[name].app.p50, 0.001);
    const rpsDrop = small.results[name].app.rps / large.results[name].app.rps;
    console.log(
      `${name}: ${SMALL.toLocaleString('en-US')} -> ${LARGE.toLocaleString('en-US')} posts: req/s ${rpsDrop.toFixed(2)}x slower, p50 ${growth.toFixed(2)}x (bar: within 1.5x) ${rpsDrop <= 1.5 ? 'PASS' : 'FAIL'}`,
    );
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
