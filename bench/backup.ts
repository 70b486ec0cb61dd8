/**
 * Backup, restore and copy of a large site on every kind of database: the time each command
 * takes and its peak memory (maximum resident set, from /usr/bin/time), for each size in
 * BENCH_POSTS (default 100,000 and 1,000,000 posts by 1,000 users). Memory that stays flat
 * from the smaller size to the larger shows the rows are streamed in batches.
 *
 *   npm run bench:backup            BENCH_POSTS=1000000 BENCH_KINDS=sqlite,postgresql
 *
 * PostgreSQL and MariaDB are reached at BENCH_POSTGRES_URL and BENCH_MARIADB_URL (an admin
 * URL whose user may create databases); the benchmark creates and drops its own databases.
 */
import { spawnSync } from 'node:child_process';
import { rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import mysql from 'mysql2/promise';
import pg from 'pg';
import { projectRoot } from '../src/config/load.ts';
import { printTable, work } from './support.ts';

type Kind = 'sqlite' | 'postgresql' | 'mariadb';
const SIZES = (process.env.BENCH_POSTS ?? '100000,1000000').split(',').map(Number);
const KINDS = (process.env.BENCH_KINDS ?? 'sqlite,postgresql,mariadb').split(',') as Kind[];
const POSTGRES = new URL(
  process.env.BENCH_POSTGRES_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres',
);
const MARIADB = new URL(process.env.BENCH_MARIADB_URL ?? 'mariadb://root@127.0.0.1:3306/mysql');
const BIN = join(projectRoot, 'bin', 'microblog.js');
const NEXT: Record<Kind, Kind> = { sqlite: 'postgresql', postgresql: 'mariadb', mariadb: 'sqlite' };

interface Measure {
  seconds: number;
  /** User and system CPU time: on a machine shared with other work, steadier than wall time. */
  cpuSeconds: number;
  maxRssMiB: number;
}

/** Runs `microblog …` under /usr/bin/time: wall and CPU time, and the peak resident set. */
function microblog(url: string, ...args: string[]): Measure {
  const run = spawnSync('/usr/bin/time', ['-f', '%e %U %S %M', process.execPath, BIN, ...args], {
    cwd: projectRoot,
    env: {
      ...process.env,
      DATABASE_URL: url,
      SECRET_KEY: 'bench-secret-key-of-at-least-32-characters',
    },
    encoding: 'utf8',
  });
  if (run.status !== 0) throw new Error(`microblog ${args.join(' ')} failed: ${run.stderr}`);
  const [seconds, user, system, kib] =
    run.stderr.trim().split('\n').at(-1)?.split(' ').map(Number) ?? [];
  return { seconds, cpuSeconds: user + system, maxRssMiB: Math.round(kib / 1024) };
}

/** A new, empty database of a kind, and how to drop it. */
async function createDatabase(kind: Kind, name: string) {
  if (kind === 'sqlite') {
    const file = join(work, `${name}.db`);
    return { url: `sqlite:///${file}`, drop: async () => rmSync(file, { force: true }) };
  }
  const url = new URL(kind === 'postgresql' ? POSTGRES : MARIADB);
  const admin = async (sql: string) => {
    if (kind === 'postgresql') {
      const client = new pg.Client({ connectionString: url.toString() });
      await client.connect();
      await client.query(sql).finally(() => client.end());
    } else {
      const connection = await mysql.createConnection({
        host: url.hostname,
        port: Number(url.port || 3306),
        user: decodeURIComponent(url.username),
        password: decodeURIComponent(url.password),
      });
      await connection.query(sql).finally(() => connection.end());
    }
  };
  const quoted = kind === 'postgresql' ? `"${name}"` : `\`${name}\``;
  await admin(`drop database if exists ${quoted}`);
  await admin(`create database ${quoted}`);
  const target = new URL(url);
  target.pathname = `/${name}`;
  return { url: target.toString(), drop: () => admin(`drop database if exists ${quoted}`) };
}

const figure = ({ seconds, cpuSeconds, maxRssMiB }: Measure) =>
  `${seconds.toFixed(1)} s (CPU ${cpuSeconds.toFixed(1)} s), ${maxRssMiB} MiB`;

spawnSync('npm', ['run', 'build', '--silent'], { cwd: projectRoot, stdio: 'inherit' });
const rows = [['posts', 'kind', 'backup', 'archive', 'restore', 'copy to', 'backup --native']];
for (const posts of SIZES) {
  console.log(`Seeding ${posts} posts on SQLite...`);
  const seed = await createDatabase('sqlite', `seed${posts}`);
  microblog(seed.url, 'db', 'upgrade');
  microblog(seed.url, 'fake', 'users', '1000', '--follows', '20');
  microblog(seed.url, 'fake', 'posts', String(posts));
  const archive = join(work, `seed${posts}.jsonl.gz`);
  microblog(seed.url, 'db', 'backup', archive);
  for (const kind of KINDS) {
    const site = await createDatabase(kind, `mbbench_${kind}_${posts}`);
    const copy = await createDatabase(NEXT[kind], `mbbench_copy_${kind}_${posts}`);
    try {
      const restore = microblog(site.url, 'db', 'restore', archive);
      const file = join(work, `${kind}${posts}.jsonl.gz`);
      const backup = microblog(site.url, 'db', 'backup', file);
      const copied = microblog(site.url, 'db', 'copy', '--to', copy.url);
      const size = `${(statSync(file).size / 2 ** 20).toFixed(1)} MiB`;
      const native =
        kind === 'sqlite'
          ? figure(microblog(site.url, 'db', 'backup', '--native', `${file}.db`))
          : '-';
      rmSync(`${file}.db`, { force: true });
      rows.push([
        String(posts),
        kind,
        figure(backup),
        size,
        figure(restore),
        `${NEXT[kind]}: ${figure(copied)}`,
        native,
      ]);
      console.log(rows.at(-1)?.join(' | '));
      rmSync(file, { force: true });
    } finally {
      await site.drop();
      await copy.drop();
    }
  }
  await seed.drop();
  rmSync(archive, { force: true });
}
console.log('');
printTable(rows);
rmSync(work, { recursive: true, force: true });
