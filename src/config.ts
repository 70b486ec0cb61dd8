import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
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
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(instanceDir, { recursive: true, mode: 0o700 });
  const key = randomBytes(32).toString('hex');
  writeFileSync(file, `${key}\n`, { mode: 0o600, flag: 'wx' });
  chmodSync(file, 0o600);
  return key;
}

function parsePort(value: string): number {
  const port = Number(value);
  if (!/^\d+$/.test(value) || port > 65535) {
    throw new ConfigError(`PORT must be a number from 0 (any free port) to 65535, not "${value}"`);
  }
  return port;
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
    port: parsePort(vars.PORT || '5000'),
    logLevel: vars.LOG_LEVEL || 'info',
    instanceDir,
  });
}
