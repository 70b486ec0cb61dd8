import { Redis } from 'ioredis';

/** What a Redis connection needs to log: a warning when Redis goes away, then when it is back. */
export interface RedisLog {
  warn(obj: object, msg: string): void;
  info(msg: string): void;
}

/**
 * A Redis connection that never throws at the caller for being down: commands fail fast
 * (no offline queue) so requests carry on without Redis, and it keeps reconnecting, with
 * a warning when it goes away and a line when it is back. `blocking` connections (BullMQ's
 * workers) wait out outages instead.
 */
export function connectRedis(
  url: string,
  log: RedisLog,
  { blocking = false }: { blocking?: boolean } = {},
): Redis {
  const redis = new Redis(url, {
    lazyConnect: false,
    enableOfflineQueue: blocking,
    maxRetriesPerRequest: blocking ? null : 1,
    retryStrategy: (attempt) => Math.min(attempt * 200, 2000),
  });
  let down = false;
  redis.on('error', (error) => {
    if (!down) log.warn({ err: error }, 'Redis is unreachable; carrying on without it');
    down = true;
  });
  redis.on('ready', () => {
    if (down) log.info('Redis is back');
    down = false;
  });
  return redis;
}

/**
 * Resolves once `redis` is connected, or fails after `ms`: a command on a connection that
 * has not reached Redis yet (or is reconnecting) would otherwise wait for as long as Redis
 * is away, holding up the request that sent it.
 */
export async function untilReady(redis: Redis, ms = 2000): Promise<void> {
  if (redis.status === 'ready') return;
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      redis.off('ready', onReady);
      reject(new Error('Redis is unreachable'));
    }, ms);
    const onReady = () => {
      clearTimeout(timer);
      resolve();
    };
    redis.once('ready', onReady);
  });
}
