import type { RateLimit } from '../config/parsers.ts';
import { RateLimiter } from './rate-limiter.ts';

/** The counters behind the rate limits: in memory (one set per process) or on Redis. */
export interface Counters {
  /** Counts one; how many seconds to wait when that went over the limit. */
  hit(key: string, limit: RateLimit): Promise<number | undefined>;
  /** Takes back one counted by `hit`. */
  refund(key: string): Promise<void>;
  count(key: string): Promise<number>;
  close(): Promise<void>;
}

/** Counters of this process alone, swept of finished windows every minute. */
export function memoryCounters(): Counters {
  const limiter = new RateLimiter();
  const sweep = setInterval(() => limiter.sweep(), 60_000);
  sweep.unref();
  return {
    hit: async (key, limit) => limiter.hit(key, limit),
    refund: async (key) => limiter.refund(key),
    count: async (key) => limiter.count(key),
    close: async () => clearInterval(sweep),
  };
}
