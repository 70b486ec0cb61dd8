/**
 * What the web and API benchmarks share: settings from the environment, a throwaway
 * SQLite file, the `microblog` command, starting servers, autocannon and the table.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { type AddressInfo, createServer } from 'node:net';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { projectRoot } from '../src/config/load.ts';

// The app measured is the compiled one (decision 0019): build it now if the sources changed,
// or `microblog run` would quietly run the TypeScript sources through tsx.
spawnSync(process.execPath, [join(projectRoot, 'scripts', 'build.js')], { stdio: 'inherit' });

export const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
export const [SMALL, LARGE] = (process.env.BENCH_POSTS ?? '100000,1000000').split(',').map(Number);
// BENCH_APP_ROOT measures another checkout's app (a "before" figure) against the same baseline.
const BIN = join(process.env.BENCH_APP_ROOT ?? projectRoot, 'bin', 'microblog.js');
export const work = mkdtempSync(join(tmpdir(), 'microblog-bench-'));
export const file = join(work, 'bench.db');
export const env = {
  ...process.env,
  // BENCH_DATABASE_URL: a PostgreSQL or MariaDB database instead of a throwaway SQLite file.
  DATABASE_URL: process.env.BENCH_DATABASE_URL ?? `sqlite:///${file}`,
  SECRET_KEY: 'bench-secret-key-of-at-least-32-characters',
  RATELIMIT_ENABLED: 'false',
  LOG_LEVEL: 'warn',
  // Every server measured gets these. Without them glibc kept returning SQLite's sorter
  // memory to the kernel and faulting it back in: the bare feed baseline sank from about
  // 2,900 to 900 req/s within seconds of load (perf: page faults), while the app, whose
  // heap stays larger, was unaffected; the comparison measured the allocator.
  MALLOC_TRIM_THRESHOLD_: '268435456',
  MALLOC_MMAP_THRESHOLD_: '33554432',
};

export function cli(...args: string[]): string {
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

/**
 * The demo data both benchmarks measure: 10,000 users following 50 others each, and
 * SMALL posts. Returns the password the demo users share.
 */
export function seedDemoData(): string {
  console.log('Seeding:');
  cli('db', 'upgrade');
  const users = cli('fake', 'users', '10000', '--follows', '50');
  cli('fake', 'posts', String(SMALL));
  return /password "([^"]+)"/.exec(users)?.[1] ?? '';
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
  for (let attempt = 0; attempt < 600; attempt++) {
    if (child.exitCode !== null) break;
    const response = await fetch(url + ready).catch(() => undefined);
    if (response?.ok) return { url, child };
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  child.kill();
  throw new Error(`${args(port).join(' ')} did not start: ${output}`);
}

export interface Figure {
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

/** The app (`microblog run`) and a bare baseline script, both on the bench file and ready. */
export async function startServers(baseline: string, baselineReady: string, target = file) {
  const app = await start(
    (port) => [BIN, 'run', '--host', '127.0.0.1', '--port', String(port)],
    '/healthz',
  );
  const bare = await start(
    (port) => ['--import', 'tsx', baseline, target, String(port)],
    baselineReady,
  ).catch((error) => {
    app.child.kill('SIGTERM');
    throw error;
  });
  const stop = () => {
    app.child.kill('SIGTERM');
    bare.child.kill('SIGTERM');
  };
  return { app, bare, stop };
}

export interface Target {
  url: string;
  headers?: Record<string, string>;
}

export interface Comparison {
  app: Figure;
  bare: Figure;
}

/**
 * Warms both servers up (JIT, database cache), measures each in turn, and gives the figures
 * with their table row: the share of the baseline, the bar (`goal` of the baseline's rate,
 * p99 < 50 ms) and the machine's load average over the last minute (other work shares it).
 */
export async function compare(
  label: string,
  app: Target,
  bare: Target,
  goal = 0.8,
): Promise<{ figures: Comparison; row: string[] }> {
  for (const { url, headers } of [app, bare]) {
    await autocannon({ url, connections: 4, duration: 2, headers });
  }
  const figures = {
    app: await measure(app.url, app.headers),
    bare: await measure(bare.url, bare.headers),
  };
  const share = figures.app.rps / figures.bare.rps;
  const cell = (figure: Figure) =>
    `${figure.rps.toFixed(0)} req/s, p50 ${figure.p50} ms, p99 ${figure.p99} ms`;
  const pass = share >= goal && figures.app.p99 < 50;
  return {
    figures,
    row: [
      label,
      cell(figures.app),
      cell(figures.bare),
      `${share.toFixed(2)}x`,
      pass ? 'PASS' : 'FAIL',
      loadavg()[0].toFixed(1),
    ],
  };
}

/** Signs in through the login form and returns the session cookie. */
export async function signIn(url: string, username: string, password: string): Promise<string> {
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

/** An API access token from `POST /api/tokens` with Basic auth. */
export async function accessToken(
  url: string,
  username: string,
  password: string,
): Promise<string> {
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

export function printTable(rows: string[][]): void {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((row) => row[c].length)));
  for (const [i, row] of rows.entries()) {
    console.log(row.map((cell, c) => cell.padEnd(widths[c])).join(' | '));
    if (i === 0) console.log(widths.map((w) => '-'.repeat(w)).join('-|-'));
  }
}
