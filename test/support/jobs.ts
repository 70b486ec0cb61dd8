import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { projectRoot } from '../../src/config/load.ts';
import type { WorkerOptions } from '../../src/jobs/index.ts';
import { currentDialect, TEST_SECRET_KEY } from '../helpers.ts';

/**
 * The Redis the BullMQ tests use: TEST_REDIS_URL, e.g. `redis://127.0.0.1:6379/0`. Unset,
 * they are skipped, unless TEST_REQUIRE_ALL_DATABASES=1 (CI), where they fail instead.
 */
export function testRedisUrl(): string | undefined {
  return process.env.TEST_REDIS_URL || undefined;
}

export function redisSkip(): string | false {
  if (testRedisUrl() || process.env.TEST_REQUIRE_ALL_DATABASES === '1') return false;
  return 'TEST_REDIS_URL is not set';
}

/**
 * Settings that put a test's jobs on Redis under a prefix of its own, and `cleanUp` to
 * delete its keys afterwards.
 */
export function redisSettings(): { env: Record<string, string>; cleanUp(): Promise<void> } {
  const url = testRedisUrl() ?? 'redis://127.0.0.1:6379/0';
  const prefix = `{mbtest-${process.pid}-${randomBytes(4).toString('hex')}}`;
  return {
    env: { REDIS_URL: url, REDIS_PREFIX: prefix },
    async cleanUp() {
      const redis = new Redis(url);
      const keys = await redis.keys(`${prefix}*`);
      if (keys.length > 0) await redis.del(...keys);
      redis.disconnect();
    },
  };
}

export interface ChildWorker {
  pid: number;
  /** Sends a signal and resolves with the exit code (null when killed by a signal). */
  stop(signal: NodeJS.Signals): Promise<number | null>;
  output(): string;
}

/** A worker of the test jobs in a process of its own (test/support/job-worker.ts), once ready. */
export async function startChildWorker(
  env: Record<string, string>,
  options: WorkerOptions,
): Promise<ChildWorker> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', join(projectRoot, 'test', 'support', 'job-worker.ts')],
    {
      env: {
        ...process.env,
        SECRET_KEY: TEST_SECRET_KEY,
        WORKER_OPTIONS: JSON.stringify(options),
        ...env,
      },
    },
  );
  let output = '';
  const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (chunk) => {
      output += chunk;
      if (output.includes('ready\n')) resolve();
    });
    child.stderr.on('data', (chunk) => {
      output += chunk;
    });
    exited.then(() => reject(new Error(`the worker exited before it was ready:\n${output}`)));
  });
  return {
    pid: child.pid ?? 0,
    output: () => output,
    stop(signal) {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}

/** Waits until `check` is true, polling; fails after `ms`. */
export async function waitUntil(check: () => Promise<boolean> | boolean, ms = 15_000, what = '') {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** A logger that keeps quiet. */
export const silentLog = { info() {}, warn() {}, error() {} };

/**
 * The two queue backends a test runs against: the database's table on every pass, BullMQ
 * once, on the SQLite pass (its behaviour does not depend on the database).
 */
export const jobBackends = () => [
  { name: 'the database', redis: false, skip: false as string | false },
  {
    name: 'BullMQ on Redis',
    redis: true,
    skip: currentDialect() === 'sqlite' ? redisSkip() : 'runs on the SQLite pass',
  },
];
