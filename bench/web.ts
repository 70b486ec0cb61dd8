/**
 * Web benchmark (issue: the web application). Seeds 10,000 users with 50 follows each
 * and 100,000 posts through `microblog fake`, then measures /index (signed in),
 * /explore and /user/<name> with autocannon (16 connections) against the app and a
 * bare node:http + better-sqlite3 baseline, in the same run. Then grows the posts to
 * 1,000,000 and measures /index and /user/<name> again.
 * Usage: npm run bench:web  (BENCH_SECONDS=10, BENCH_POSTS=100000,1000000)
 */
import { rmSync } from 'node:fs';
import Database from 'better-sqlite3';
import {
  type Comparison,
  cli,
  compare,
  file,
  LARGE,
  printTable,
  SECONDS,
  SMALL,
  seedDemoData,
  signIn,
  startServers,
  work,
} from './support.ts';

function pickUsers(): { reader: string; author: string; readerId: number } {
  const db = new Database(file, { readonly: true });
  try {
    // The reader who follows the most users (50 in the demo data), and an author with a
    // typical number of posts (the closest to 10): both exist at any data size.
    const reader = db
      .prepare(
        'select u.id, u.username from user u join followers f on f.follower_id = u.id group by u.id order by count(*) desc, u.id limit 1',
      )
      .get() as { id: number; username: string };
    const author = db
      .prepare(
        'select u.username from user u order by abs((select count(*) from post where user_id = u.id) - 10), u.id limit 1',
      )
      .get() as { username: string };
    return { reader: reader.username, readerId: reader.id, author: author.username };
  } finally {
    db.close();
  }
}

async function round(posts: number, pages: string[]) {
  const { reader, readerId, author } = pickUsers();
  const { app, bare, stop } = await startServers('bench/baseline-server.ts', '/explore');
  const rows: string[][] = [];
  const results: Record<string, Comparison> = {};
  try {
    const cookie = await signIn(app.url, reader, password);
    const paths: Record<string, [string, string, Record<string, string>]> = {
      '/index': ['/index', `/index?user=${readerId}`, { cookie }],
      '/explore': ['/explore', '/explore', {}],
      '/user/<name>': [`/user/${author}`, `/user/${author}`, {}],
    };
    for (const name of pages) {
      const [appPath, barePath, headers] = paths[name];
      const { figures, row } = await compare(
        `${name} @ ${posts.toLocaleString('en-US')} posts`,
        { url: app.url + appPath, headers },
        { url: bare.url + barePath },
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
    `Microblog web benchmark: Node ${process.version}, autocannon 16 connections, ${SECONDS} s per figure`,
  );
  password = seedDemoData();
  const small = await round(SMALL, ['/index', '/explore', '/user/<name>']);
  // BENCH_POSTS with one number skips the growth round (a quicker run while tuning).
  if (LARGE) cli('fake', 'posts', String(LARGE - SMALL));
  const large = LARGE ? await round(LARGE, ['/index', '/user/<name>']) : { rows: [], results: {} };
  console.log();
  printTable([
    ['page', 'app', 'bare baseline', 'app/baseline', '>=0.8x, p99<50ms', 'load'],
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
