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
import Database from 'better-sqlite3';
import { tokenUserQuery } from '../src/domain/tokens.ts';
import {
  accessToken,
  type Comparison,
  cli,
  compare,
  file,
  LARGE,
  printTable,
  SECONDS,
  SMALL,
  seedDemoData,
  startServers,
  work,
} from './support.ts';

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
    const sql = tokenUserQuery((identifier) => `"${identifier}"`, 'u.*');
    const rows = db.prepare(`explain query plan ${sql}`).all('0'.repeat(64), Date.now());
    return (rows as { detail: string }[]).map((row) => row.detail);
  } finally {
    db.close();
  }
}

async function round(posts: number, pages: string[]) {
  const { reader, postId } = pickReaderAndPost();
  const { app, bare, stop } = await startServers('bench/api-baseline-server.ts', '/ready');
  const rows: string[][] = [];
  const results: Record<string, Comparison> = {};
  try {
    // The baseline reads the token row the app stored, so one token serves both.
    const token = await accessToken(app.url, reader, password);
    const headers = { authorization: `Bearer ${token}` };
    const paths: Record<string, string> = {
      '/api/feed': '/api/feed',
      '/api/posts/<id>': `/api/posts/${postId}`,
      '/api/users': '/api/users',
    };
    for (const name of pages) {
      const path = paths[name];
      // Same body from both, minus key order: a quick check that they answer alike.
      const [a, b] = await Promise.all(
        [app.url, bare.url].map((base) => fetch(base + path, { headers }).then((r) => r.json())),
      );
      if (JSON.stringify(a).length !== JSON.stringify(b).length)
        console.warn(`  ${name}: app and baseline bodies differ in size`);
      const { figures, row } = await compare(
        `${name} @ ${posts.toLocaleString('en-US')} posts`,
        { url: app.url + path, headers },
        { url: bare.url + path, headers },
      );
      results[name] = figures;
      rows.push(row);
    }
  } finally {
    stop();
  }
  return { rows, results };
}

let password = '';
try {
  console.log(
    `Microblog JSON API benchmark: Node ${process.version}, autocannon 16 connections, ${SECONDS} s per figure`,
  );
  password = seedDemoData();
  const small = await round(SMALL, ['/api/feed', '/api/posts/<id>', '/api/users']);
  console.log('Token check plan (SQLite):');
  for (const line of tokenPlan()) console.log(`  ${line}`);
  // BENCH_POSTS with one number skips the growth round (a quicker run while tuning).
  if (LARGE) cli('fake', 'posts', String(LARGE - SMALL));
  const large = LARGE ? await round(LARGE, ['/api/feed']) : { rows: [], results: {} };
  console.log();
  printTable([
    ['endpoint', 'app', 'bare baseline', 'app/baseline', '>=0.8x, p99<50ms', 'load'],
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
