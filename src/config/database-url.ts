import { isAbsolute, resolve } from 'node:path';
import { ConfigError } from '../errors.ts';

export type Dialect = 'sqlite' | 'postgresql' | 'mysql' | 'mariadb';

export interface DatabaseConfig {
  dialect: Dialect;
  /** The URL for messages: the password masked, a SQLite path made absolute. */
  displayUrl: string;
  /** SQLite: a file path or ':memory:'. Servers: the database name. */
  dbName: string;
  /** Servers only: a driver URL without the SQLAlchemy `+driver` suffix. */
  clientUrl?: string;
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

function maskPassword(url: string): string {
  return url.replace(/(\/\/[^:/@]*:)[^@]*@/, '$1***@');
}

/**
 * A DATABASE_URL in SQLAlchemy's forms, so a Flask Microblog's URL works unchanged. A
 * relative SQLite path resolves against `base`, the project folder, like every other path
 * setting (docs/decisions/0008-config-table.md).
 */
export function parseDatabaseUrl(
  url: string,
  base: string,
  variable = 'DATABASE_URL',
): DatabaseConfig {
  const fail = (why: string): never => {
    throw new ConfigError(`${variable} ${why}: "${maskPassword(url)}" (${ACCEPTED_URLS})`);
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
    const dbName = isAbsolute(path) ? path : resolve(base, path);
    // Messages name the file it resolved to, wherever the command ran.
    return { dialect, dbName, displayUrl: `sqlite:///${dbName}` };
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
  return { dialect, dbName, clientUrl: parsed.toString(), displayUrl: maskPassword(url) };
}
