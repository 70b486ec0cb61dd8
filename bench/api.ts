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
import { rmSync } from 'node:fs';
import autocannon from 'autocannon';
import Database from 'better-sqlite3';
import {
  BIN,
  cli,
  type Figure,
  file,
  LARGE,
  measure,
  printTable,
  SECONDS,
  SMALL,
  start,
  work,
} from './support.ts';

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
