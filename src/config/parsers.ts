import { resolve } from 'node:path';
import { ConfigError } from '../errors.ts';

/**
 * Parsers of setting values. Each takes the text of one variable (never empty: an empty
 * value means the default), its name, and the folder relative paths resolve against, and
 * returns the typed value or throws a ConfigError that names the variable and says what it
 * accepts, in one line.
 */
export type Parser<T> = (text: string, name: string, base: string) => T;

export const text: Parser<string> = (value) => value;

/** A folder or file path; a relative one resolves against the project folder. */
export const path: Parser<string> = (value, _name, base) => resolve(base, value);

export function integer(min: number, max: number): Parser<number> {
  return (value, name) => {
    if (!/^\d+$/.test(value) || Number(value) < min || Number(value) > max) {
      throw new ConfigError(`${name} must be a whole number from ${min} to ${max}, not "${value}"`);
    }
    return Number(value);
  };
}

export const boolean: Parser<boolean> = (value, name) => {
  if (/^(1|true|yes|on)$/i.test(value)) return true;
  if (/^(0|false|no|off)$/i.test(value)) return false;
  throw new ConfigError(`${name} must be true or false, not "${value}"`);
};

export function oneOf<T extends string>(...choices: T[]): Parser<T> {
  return (value, name) => {
    if ((choices as string[]).includes(value)) return value as T;
    throw new ConfigError(`${name} must be one of ${choices.join(', ')}, not "${value}"`);
  };
}

/** An http(s) URL, whole (`origin: false`) or reduced to its origin. */
export function httpUrl({ origin }: { origin: boolean }): Parser<string> {
  return (value, name) => {
    try {
      const url = new URL(value);
      if (url.protocol === 'http:' || url.protocol === 'https:')
        return origin ? url.origin : url.toString();
    } catch {
      // Reported below.
    }
    const example = origin
      ? 'an http(s) origin such as https://blog.example.com'
      : 'an http(s) URL';
    throw new ConfigError(`${name} must be ${example}, not "${value}"`);
  };
}

/** `*` (any origin: an empty list), or comma-separated origins. */
export const origins: Parser<string[]> = (value, name) => {
  if (value.trim() === '*') return [];
  return value.split(',').map((origin) => {
    const trimmed = origin.trim();
    try {
      const url = new URL(trimmed);
      if (url.origin === trimmed.replace(/\/$/, '')) return url.origin;
    } catch {
      // Reported below.
    }
    throw new ConfigError(
      `${name} must be * or comma-separated origins such as https://app.example.com, not "${trimmed}"`,
    );
  });
};

/** Comma-separated email addresses; empty for none. */
export const emails: Parser<string[]> = (value, name) =>
  value
    .split(',')
    .map((address) => address.trim())
    .filter(Boolean)
    .map((address) => {
      if (/^[^\s@,]+@[^\s@,]+$/.test(address)) return address;
      throw new ConfigError(`${name} must be comma-separated email addresses, not "${address}"`);
    });

/** `true`/`false`, a hop count, or addresses and subnets, as Fastify's trustProxy takes them. */
export const trustProxy: Parser<boolean | number | string> = (value, name) => {
  if (/^\d+$/.test(value)) return Number(value);
  if (/^(true|false|yes|no|on|off)$/i.test(value)) return boolean(value, name, '');
  return value;
};

/** `max` attempts per `windowSeconds`, per client IP and per account. */
export interface RateLimit {
  max: number;
  windowSeconds: number;
}

const WINDOWS: Record<string, number> = { second: 1, minute: 60, hour: 3600, day: 86400 };

/** "10/minute" or "5/15minutes". */
export const rateLimit: Parser<RateLimit> = (value, name) => {
  const match = /^(\d+)\s*\/\s*(\d*)\s*(second|minute|hour|day)s?$/i.exec(value.trim());
  if (!match || Number(match[1]) < 1) {
    throw new ConfigError(`${name} must look like "10/minute" or "20/15minutes", not "${value}"`);
  }
  return {
    max: Number(match[1]),
    windowSeconds: Number(match[2] || 1) * WINDOWS[match[3].toLowerCase()],
  };
};

/** `redis://[user:password@]host[:port][/db]` or `rediss://…` for TLS. */
export const redisUrl: Parser<string> = (value, name) => {
  try {
    const url = new URL(value);
    if ((url.protocol === 'redis:' || url.protocol === 'rediss:') && url.hostname) return value;
  } catch {
    // Reported below.
  }
  throw new ConfigError(`${name} must look like redis://host:6379/0, not "${value}"`);
};

/** A key given in the environment: long enough to sign sessions and tokens safely. */
export const secretKey: Parser<string> = (value, name) => {
  if (value.length < 32) {
    throw new ConfigError(
      `${name} must be at least 32 characters long (it has ${value.length}); e.g. the output of: openssl rand -hex 32`,
    );
  }
  return value;
};
