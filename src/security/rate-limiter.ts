import type { RateLimit } from '../config/parsers.ts';

interface Window {
  count: number;
  resetAt: number;
}

/** Fixed-window counters in memory, one per key; enough for one server process. */
export class RateLimiter {
  readonly #windows = new Map<string, Window>();
  readonly #maxKeys: number;

  constructor(maxKeys = 100_000) {
    this.#maxKeys = maxKeys;
  }

  /** Counts one attempt; returns how long to wait, in seconds, when over the limit. */
  hit(key: string, limit: RateLimit, now = Date.now()): number | undefined {
    let window = this.#windows.get(key);
    if (!window || window.resetAt <= now) {
      if (this.#windows.size >= this.#maxKeys) this.sweep(now);
      window = { count: 0, resetAt: now + limit.windowSeconds * 1000 };
      this.#windows.set(key, window);
    }
    window.count += 1;
    if (window.count <= limit.max) return undefined;
    return Math.max(1, Math.ceil((window.resetAt - now) / 1000));
  }

  /** Takes back one attempt counted by `hit` (it turned out not to count). */
  refund(key: string, now = Date.now()): void {
    const window = this.#windows.get(key);
    if (window && window.resetAt > now && window.count > 0) window.count -= 1;
  }

  /** How many attempts the key's open window holds. */
  count(key: string, now = Date.now()): number {
    const window = this.#windows.get(key);
    return window && window.resetAt > now ? window.count : 0;
  }

  /** Forgets finished windows; if every window is still open, the oldest go first. */
  sweep(now = Date.now()): void {
    for (const [key, window] of this.#windows) {
      if (window.resetAt <= now) this.#windows.delete(key);
    }
    for (const key of this.#windows.keys()) {
      if (this.#windows.size < this.#maxKeys) break;
      this.#windows.delete(key);
    }
  }
}
