import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseDotenv } from 'dotenv';

export const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');

export type Dialect = 'sqlite' | 'postgresql' | 'mysql' | 'mariadb';

export interface DatabaseConfig {
  dialect: Dialect;
  /** The URL as given, for messages; the password is masked. */
  displayUrl: string;
  /** SQLite: a file path or ':memory:'. Servers: the database name. */
  dbName: string;
  /** Servers only: a driver URL without the SQLAlchemy `+driver` suffix. */
  clientUrl?: string;
}

export interface Config {
  database: DatabaseConfig;
  secretKey: string;
  /** Set when SECRET_KEY was generated rather than configured, so start-up can warn. */
  secretKeyGenerated: boolean;
  host: string;
  port: number;
  logLevel: string;
  instanceDir: string;
  /**
   * The public origin (BASE_URL), e.g. https://blog.example.com, for links in emails.
   * Without it they use the request's Host header, which a client can forge.
   */
  baseUrl?: string;
  /** Posts per page on every timeline (POSTS_PER_PAGE). */
  postsPerPage: number;
  /** Trust X-Forwarded-* from a reverse proxy (TRUST_PROXY), so HTTPS is seen and cookies are Secure. */
  trustProxy: boolean | number | string;
  mail: MailConfig;
  avatarProvider: 'identicon' | 'gravatar';
  rateLimits: RateLimitConfig;
  /** The largest request body accepted, in bytes (BODY_LIMIT); larger ones are a 413. */
  bodyLimit: number;
  /** Origins allowed to call the JSON API from a browser (CORS_ORIGINS); empty: any. */
  corsOrigins: string[];
  tokens: TokenConfig;
}

export interface TokenConfig {
  accessMinutes: number;
  refreshDays: number;
  /** Also return the refresh token in the body, for clients that cannot keep cookies. */
  refreshInBody: boolean;
  /** The client's reset page; the emailed link is this URL with `?token=…`. */
  passwordResetUrl: string;
}

export interface MailConfig {
  /** SMTP host; without one, mail is logged and written to `outboxDir` as .eml files. */
  server?: string;
  port: number;
  useTls: boolean;
  username?: string;
  password?: string;
  defaultSender: string;
  outboxDir: string;
}

/** `max` attempts per `windowSeconds`, per client IP and per account. */
export interface RateLimit {
  max: number;
  windowSeconds: number;
}

export interface RateLimitConfig {
  enabled: boolean;
  login: RateLimit;
  register: RateLimit;
  password: RateLimit;
}

/** A configuration mistake; the CLI prints its message as one line and exits non-zero. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

const ACCEPTED_URLS =
  'accepted forms: sqlite:///relative/path.db, sqlite:////absolute/path.db, sqlite://, ' +
  'postgresql://user:pass@host:port/db, mysql://user:pass@host:port/db, mariadb://user:pass@host:port/db';

const SCHEMES: Record<string, Dialect> = {
  sqlite: 'sqlite',
  postgresql: 'postgresql',
  postgres: 'postgresql',
  mysql: 'mysql',
  mariadb: 'mariadb',
};

export function parseDatabaseUrl(url: string, cwd = process.cwd()): DatabaseConfig {
  const fail = (why: string): never => {
    throw new ConfigError(`DATABASE_URL ${why}: "${maskPassword(url)}" (${ACCEPTED_URLS})`);
  };
  const match = /^([a-z][a-z0-9]*)(\+[a-z0-9_]+)?:(.*)$/i.exec(url.trim());
  if (!match) return fail('is not a URL');
  const dialect = SCHEMES[match[1].toLowerCase()];
  if (!dialect) return fail(`has an unknown scheme "${match[1]}:"`);
  const rest = match[3];
  if (dialect === 'sqlite') {
    // SQLAlchemy's convention: sqlite:///rel.db is relative, sqlite:////abs.db absolute.
    if (rest === '//' || rest === '///:memory:' || rest === '') {
      return { dialect, dbName: ':memory:', displayUrl: url };
    }
    if (!rest.startsWith('///')) return fail('needs three slashes before the path');
    const path = rest.slice(3);
    if (!path || path.endsWith('/')) return fail('needs a file path after sqlite:///');
    return { dialect, dbName: isAbsolute(path) ? path : resolve(cwd, path), displayUrl: url };
  }
  let parsed: URL;
  try {
    parsed = new URL(`${match[1].toLowerCase()}:${rest}`);
  } catch {
    return fail('is malformed');
  }
  const dbName = decodeURIComponent(parsed.pathname.replace(/^\//, ''));
  if (!parsed.hostname) return fail('has no host');
  if (!dbName || dbName.includes('/')) return fail('needs a database name after the host');
  return {
    dialect,
    dbName,
    clientUrl: parsed.toString(),
    displayUrl: maskPassword(url),
  };
}

function maskPassword(url: string): string {
  return url.replace(/(\/\/[^:/@]*:)[^@]*@/, '$1***@');
}

/** Reads `.env` from the project folder without overriding variables already set. */
function readDotenv(root: string): Record<string, string> {
  const file = join(root, '.env');
  return existsSync(file) ? parseDotenv(readFileSync(file)) : {};
}

/**
 * SECRET_KEY signs sessions and tokens. Without one, a key is generated once and kept
 * in the instance folder (mode 0600) so that restarts do not log everyone out.
 */
function loadOrCreateSecretKey(instanceDir: string): string {
  const file = join(instanceDir, 'secret_key');
  if (existsSync(file)) {
    const key = readFileSync(file, 'utf8').trim();
    if (key.length < 32) {
      throw new ConfigError(
        `${file} holds no usable key (under 32 characters): delete it or set SECRET_KEY`,
      );
    }
    // Keep it private even if someone loosened it.
    if ((statSync(file).mode & 0o077) !== 0) chmodSync(file, 0o600);
    return key;
  }
  mkdirSync(instanceDir, { recursive: true, mode: 0o700 });
  const key = randomBytes(32).toString('hex');
  try {
    writeFileSync(file, `${key}\n`, { mode: 0o600, flag: 'wx' });
  } catch (error) {
    // Two first starts raced: the other one's key wins.
    if ((error as NodeJS.ErrnoException).code === 'EEXIST')
      return loadOrCreateSecretKey(instanceDir);
    throw error;
  }
  chmodSync(file, 0o600);
  return key;
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

function parseLogLevel(value: string | undefined): string {
  if (!value) return 'info';
  if (LOG_LEVELS.includes(value)) return value;
  throw new ConfigError(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, not "${value}"`);
}

function parseInteger(name: string, value: string, min: number, max: number): number {
  const number = Number(value);
  if (!/^\d+$/.test(value) || number < min || number > max) {
    throw new ConfigError(`${name} must be a whole number from ${min} to ${max}, not "${value}"`);
  }
  return number;
}

function parseBoolean(name: string, value: string | undefined, fallback: boolean): boolean {
  if (value === undefined || value === '') return fallback;
  if (/^(1|true|yes|on)$/i.test(value)) return true;
  if (/^(0|false|no|off)$/i.test(value)) return false;
  throw new ConfigError(`${name} must be true or false, not "${value}"`);
}

const WINDOWS: Record<string, number> = { second: 1, minute: 60, hour: 3600, day: 86400 };

/** Parses "10/minute" or "5/15minutes" style limits. */
function parseRateLimit(name: string, value: string): RateLimit {
  const match = /^(\d+)\s*\/\s*(\d*)\s*(second|minute|hour|day)s?$/i.exec(value.trim());
  if (!match || Number(match[1]) < 1) {
    throw new ConfigError(`${name} must look like "10/minute" or "20/15minutes", not "${value}"`);
  }
  const windowSeconds = Number(match[2] || 1) * WINDOWS[match[3].toLowerCase()];
  return { max: Number(match[1]), windowSeconds };
}

function parseBaseUrl(value: string | undefined): string | undefined {
  if (!value) return undefined;
  try {
    const url = new URL(value);
    if (url.protocol === 'http:' || url.protocol === 'https:') return url.origin;
  } catch {
    // Reported below.
  }
  throw new ConfigError(
    `BASE_URL must be an http(s) origin such as https://blog.example.com, not "${value}"`,
  );
}

function parseUrl(name: string, value: string): string {
  try {
    const url = new URL(value);
    if (url.protocol === 'http:' || url.protocol === 'https:') return url.toString();
  } catch {
    // Reported below.
  }
  throw new ConfigError(`${name} must be an http(s) URL, not "${value}"`);
}

function parseOrigins(value: string | undefined): string[] {
  if (!value || value.trim() === '*') return [];
  return value.split(',').map((origin) => {
    const trimmed = origin.trim();
    try {
      const url = new URL(trimmed);
      if (url.origin === trimmed.replace(/\/$/, '')) return url.origin;
    } catch {
      // Reported below.
    }
    throw new ConfigError(
      `CORS_ORIGINS must be * or comma-separated origins such as https://app.example.com, not "${trimmed}"`,
    );
  });
}

function parseAvatarProvider(value: string | undefined): Config['avatarProvider'] {
  if (!value || value === 'identicon') return 'identicon';
  if (value === 'gravatar') return 'gravatar';
  throw new ConfigError(`AVATAR_PROVIDER must be identicon or gravatar, not "${value}"`);
}

function parseTrustProxy(value: string | undefined): boolean | number | string {
  if (value === undefined || value === '') return false;
  if (/^\d+$/.test(value)) return Number(value);
  if (/^(true|false|yes|no|on|off)$/i.test(value)) return parseBoolean('TRUST_PROXY', value, false);
  return value;
}

/** Reads the environment (and `.env`) once, validates it, and returns a frozen config. */
export function loadConfig(
  env: Record<string, string | undefined> = process.env,
  root = projectRoot,
): Readonly<Config> {
  const vars = { ...readDotenv(root), ...env };
  const instanceDir = resolve(root, vars.INSTANCE_DIR || 'instance');
  const databaseUrl = vars.DATABASE_URL || `sqlite:///${join(root, 'app.db')}`;
  const secretKey = vars.SECRET_KEY || undefined;
  return Object.freeze({
    database: Object.freeze(parseDatabaseUrl(databaseUrl)),
    secretKey: secretKey ?? loadOrCreateSecretKey(instanceDir),
    secretKeyGenerated: secretKey === undefined,
    host: vars.HOST || 'localhost',
    port: parseInteger('PORT', vars.PORT || '5000', 0, 65535),
    logLevel: parseLogLevel(vars.LOG_LEVEL),
    instanceDir,
    baseUrl: parseBaseUrl(vars.BASE_URL),
    postsPerPage: parseInteger('POSTS_PER_PAGE', vars.POSTS_PER_PAGE || '25', 1, 100),
    trustProxy: parseTrustProxy(vars.TRUST_PROXY),
    mail: Object.freeze({
      server: vars.MAIL_SERVER || undefined,
      port: parseInteger('MAIL_PORT', vars.MAIL_PORT || '25', 1, 65535),
      useTls: parseBoolean('MAIL_USE_TLS', vars.MAIL_USE_TLS, false),
      username: vars.MAIL_USERNAME || undefined,
      password: vars.MAIL_PASSWORD || undefined,
      defaultSender: vars.MAIL_DEFAULT_SENDER || 'Microblog <no-reply@localhost>',
      outboxDir: resolve(root, vars.MAIL_OUTBOX_DIR || 'mail-outbox'),
    }),
    avatarProvider: parseAvatarProvider(vars.AVATAR_PROVIDER),
    bodyLimit: parseInteger('BODY_LIMIT', vars.BODY_LIMIT || '1048576', 1024, 100 * 1024 * 1024),
    corsOrigins: parseOrigins(vars.CORS_ORIGINS),
    tokens: Object.freeze({
      accessMinutes: parseInteger(
        'ACCESS_TOKEN_MINUTES',
        vars.ACCESS_TOKEN_MINUTES || '15',
        1,
        24 * 60,
      ),
      refreshDays: parseInteger('REFRESH_TOKEN_DAYS', vars.REFRESH_TOKEN_DAYS || '7', 1, 365),
      refreshInBody: parseBoolean('REFRESH_TOKEN_IN_BODY', vars.REFRESH_TOKEN_IN_BODY, false),
      passwordResetUrl: parseUrl(
        'PASSWORD_RESET_URL',
        vars.PASSWORD_RESET_URL || 'http://localhost:3000/reset',
      ),
    }),
    rateLimits: Object.freeze({
      enabled: parseBoolean('RATELIMIT_ENABLED', vars.RATELIMIT_ENABLED, true),
      login: parseRateLimit('RATELIMIT_LOGIN', vars.RATELIMIT_LOGIN || '10/minute'),
      register: parseRateLimit('RATELIMIT_REGISTER', vars.RATELIMIT_REGISTER || '5/hour'),
      password: parseRateLimit('RATELIMIT_PASSWORD', vars.RATELIMIT_PASSWORD || '5/15minutes'),
    }),
  });
}
