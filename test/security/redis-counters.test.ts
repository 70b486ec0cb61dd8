import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Redis } from 'ioredis';
import { connectRedis, untilReady } from '../../src/redis/connection.ts';
import type { Counters } from '../../src/security/counters.ts';
import { redisCounters } from '../../src/security/redis-counters.ts';
import { currentDialect } from '../helpers.ts';
import { redisSettings, redisSkip, waitUntil } from '../support/jobs.ts';
import { type OwnRedis, startOwnRedis } from '../support/redis-server.ts';

const MINUTE = { max: 3, windowSeconds: 60 };

/** A log that keeps its lines, to count the warnings. */
function recordingLog() {
  const lines: string[] = [];
  return {
    lines,
    warn: (first: object | string, msg?: string) => void lines.push(`warn: ${msg ?? first}`),
    info: (msg: string) => void lines.push(`info: ${msg}`),
  };
}

const skip = currentDialect() !== 'sqlite' ? 'database-independent' : redisSkip();

describe('rate-limit counters on Redis', { skip }, () => {
  const settings = redisSettings();
  const { REDIS_URL: url, REDIS_PREFIX: prefix } = settings.env;
  const opened: Counters[] = [];
  const open = async () => {
    const log = recordingLog();
    const redis = connectRedis(url, log);
    await untilReady(redis);
    const counters = redisCounters(redis, prefix, log);
    opened.push(counters);
    return counters;
  };
  after(async () => {
    for (const counters of opened) await counters.close();
    await settings.cleanUp();
  });

  test('two sets of counters on one Redis count into the same window', async () => {
    const [a, b] = [await open(), await open()];
    assert.equal(await a.hit('shared', MINUTE), undefined);
    assert.equal(await b.hit('shared', MINUTE), undefined);
    assert.equal(await a.hit('shared', MINUTE), undefined);
    const wait = await b.hit('shared', MINUTE);
    assert.ok(wait !== undefined && wait >= 59 && wait <= 60, `wait: ${wait}`);
    assert.equal(await a.count('shared'), 4);
  });

  test('hits at once never lose a count, and the window expires in Redis', async () => {
    const [a, b] = [await open(), await open()];
    const limit = { max: 50, windowSeconds: 30 };
    const results = await Promise.all(
      Array.from({ length: 60 }, (_, i) => (i % 2 ? a : b).hit('burst', limit)),
    );
    assert.equal(results.filter((wait) => wait === undefined).length, 50);
    const redis = new Redis(url);
    const ttl = await redis.pttl(`${prefix}:ratelimit:burst`);
    redis.disconnect();
    assert.ok(ttl > 0 && ttl <= 30_000, `ttl: ${ttl}`);
  });

  test('a refund takes one back, never below zero', async () => {
    const a = await open();
    await a.hit('refunded', MINUTE);
    await a.refund('refunded');
    await a.refund('refunded');
    assert.equal(await a.count('refunded'), 0);
    await a.refund('never-hit');
    assert.equal(await a.count('never-hit'), 0);
  });
});

describe('rate-limit counters when Redis goes away', { skip }, () => {
  let redis: OwnRedis;
  before(async () => {
    redis = await startOwnRedis();
  });
  after(() => redis.stop());

  test('they fail open with one warning per outage, and count again once it is back', async () => {
    const log = recordingLog();
    const connection = connectRedis(redis.url, log);
    await untilReady(connection);
    const counters = redisCounters(connection, 'p', log);
    try {
      const limit = { max: 1, windowSeconds: 60 };
      assert.equal(await counters.hit('k', limit), undefined);
      assert.ok((await counters.hit('k', limit)) !== undefined, 'the 2nd hit is refused');

      await redis.stop();
      for (let i = 0; i < 5; i++) assert.equal(await counters.hit('k', limit), undefined);
      assert.equal(await counters.count('k'), 0);
      const warnings = log.lines.filter((line) => /rate limits are not enforced/.test(line));
      assert.equal(warnings.length, 1, log.lines.join('\n'));

      await redis.start();
      await waitUntil(
        async () =>
          (await counters.hit('fresh', limit)) === undefined &&
          log.lines.some((line) => /count on Redis again/.test(line)),
      );
      assert.ok((await counters.hit('fresh', limit)) !== undefined, 'counting again');
    } finally {
      await counters.close();
    }
  });

  test('unreachable from the start, every hit is let through', async () => {
    const log = recordingLog();
    const counters = redisCounters(connectRedis('redis://127.0.0.1:1/0', log), 'p', log);
    try {
      for (let i = 0; i < 3; i++)
        assert.equal(await counters.hit('k', { max: 1, windowSeconds: 60 }), undefined);
      assert.equal(log.lines.filter((line) => /not enforced/.test(line)).length, 1);
    } finally {
      await counters.close();
    }
  });
});
