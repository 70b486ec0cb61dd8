/**
 * Start-up and idle memory: the time from spawning `microblog run` to its first 200 on
 * /healthz, and its resident memory (VmRSS) once idle, against the bare SQLite baseline
 * started the same way, in the same run. Median of BENCH_STARTS runs (default 5).
 * Usage: npm run bench:startup
 */
import { spawn } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { projectRoot } from '../src/config/load.ts';
import { cli, env, file, printTable, work } from './support.ts';

const STARTS = Number(process.env.BENCH_STARTS ?? 5);
const PORT = 39_000 + (process.pid % 1000);

const rssMiB = (pid: number) =>
  Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;

/** Milliseconds from spawn to the first 200 of `ready`, and the RSS after a second idle. */
async function startOnce(args: string[], ready: string): Promise<{ ms: number; rss: number }> {
  const started = performance.now();
  const child = spawn(process.execPath, args, { cwd: projectRoot, env, stdio: 'ignore' });
  try {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`${args.join(' ')} exited`);
      const response = await fetch(`http://127.0.0.1:${PORT}${ready}`).catch(() => undefined);
      if (response?.ok) break;
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    const ms = performance.now() - started;
    await new Promise((resolve) => setTimeout(resolve, 1000));
    return { ms, rss: rssMiB(child.pid ?? 0) };
  } finally {
    child.kill('SIGTERM');
    await new Promise((resolve) => child.once('exit', resolve));
  }
}

const median = (values: number[]) =>
  values.toSorted((a, b) => a - b)[Math.floor(values.length / 2)];

try {
  cli('db', 'upgrade');
  const app: { ms: number; rss: number }[] = [];
  const bare: { ms: number; rss: number }[] = [];
  for (let run = 0; run < STARTS; run++) {
    const bin = join(projectRoot, 'bin', 'microblog.js');
    app.push(
      await startOnce([bin, 'run', '--host', '127.0.0.1', '--port', String(PORT)], '/healthz'),
    );
    bare.push(await startOnce(['bench/baseline-server.ts', file, String(PORT)], '/explore'));
  }
  const cell = (runs: { ms: number; rss: number }[], key: 'ms' | 'rss') =>
    median(runs.map((run) => run[key])).toFixed(0);
  printTable([
    ['figure', 'app', 'bare baseline', 'goal', 'load'],
    [
      'start to first 200 (ms)',
      cell(app, 'ms'),
      cell(bare, 'ms'),
      '< 400',
      loadavg()[0].toFixed(1),
    ],
    ['idle RSS (MiB)', cell(app, 'rss'), cell(bare, 'rss'), '< 80', loadavg()[0].toFixed(1)],
  ]);
} finally {
  rmSync(work, { recursive: true, force: true });
}
