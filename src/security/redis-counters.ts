import type { Redis } from 'ioredis';
import type { Counters } from './counters.ts';

/**
 * One fixed window per key, as src/security/rate-limiter.ts keeps in memory: the first hit
 * opens the window (sets its expiry), later hits count into it. One script, so two processes
 * counting at once never both open a window or lose a count. Returns the count and the
 * milliseconds left in the window.
 */
const HIT = `
local count = redis.call('INCR', KEYS[1])
if count == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
local left = redis.call('PTTL', KEYS[1])
if left < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  left = tonumber(ARGV[1])
end
return {count, left}
`;

/** Takes one back from an open window, never below zero, never opening one. */
const REFUND = `
local count = tonumber(redis.call('GET', KEYS[1]) or '0')
if count > 0 then redis.call('DECR', KEYS[1]) end
return 0
`;

export interface CountersLog {
  warn(msg: string): void;
  info(msg: string): void;
}

/**
 * Counters shared by every process on one Redis, keys under `prefix`. They fail open: while
 * Redis is unreachable nothing is counted and nobody is refused (one warning per outage),
 * and counting resumes as soon as `redis` reconnects. docs/decisions/0031-shared-rate-limits.md
 */
export function redisCounters(redis: Redis, prefix: string, log: CountersLog): Counters {
  redis.defineCommand('rateLimitHit', { numberOfKeys: 1, lua: HIT });
  redis.defineCommand('rateLimitRefund', { numberOfKeys: 1, lua: REFUND });
  const commands = redis as Redis & {
    rateLimitHit(key: string, windowMs: number): Promise<[number, number]>;
    rateLimitRefund(key: string): Promise<number>;
  };
  const keyOf = (key: string) => `${prefix}:ratelimit:${key}`;
  let failing = false;
  /** Runs `command`, or answers `fallback` when Redis cannot be reached. */
  const orOpen = async <T>(command: () => Promise<T>, fallback: T): Promise<T> => {
    try {
      // Not connected: fail now rather than hold the request up for the outage.
      if (redis.status !== 'ready') throw new Error(`Redis is ${redis.status}`);
      const result = await command();
      if (failing) log.info('Rate limits count on Redis again');
      failing = false;
      return result;
    } catch {
      if (!failing) log.warn('Redis is unreachable: rate limits are not enforced until it is back');
      failing = true;
      return fallback;
    }
  };
  return {
    hit: (key, limit) =>
      orOpen(async () => {
        const [count, left] = await commands.rateLimitHit(keyOf(key), limit.windowSeconds * 1000);
        return count <= limit.max ? undefined : Math.max(1, Math.ceil(left / 1000));
      }, undefined),
    refund: (key) =>
      orOpen(async () => {
        await commands.rateLimitRefund(keyOf(key));
      }, undefined),
    count: (key) => orOpen(async () => Number((await redis.get(keyOf(key))) ?? 0), 0),
    close: async () => redis.disconnect(),
  };
}
