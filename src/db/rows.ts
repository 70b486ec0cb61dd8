import type { SqlEntityManager } from '@mikro-orm/sql';
import type { Database, Statement } from 'better-sqlite3';

/**
 * Plain-row reads for the hot pages (docs/decisions/0003-raw-rows-on-hot-paths.md). On
 * SQLite the statement is prepared once and reused: MikroORM formats every query into a
 * new SQL string, which better-sqlite3 must parse again each time.
 */
const statements = new WeakMap<Database, Map<string, Statement>>();
const MAX_STATEMENTS = 500;

function cachedStatement(db: Database, sql: string): Statement {
  let cache = statements.get(db);
  if (!cache) {
    cache = new Map();
    statements.set(db, cache);
  }
  let statement = cache.get(sql);
  if (!statement) {
    if (cache.size >= MAX_STATEMENTS) cache.clear();
    statement = db.prepare(sql);
    cache.set(sql, statement);
  }
  return statement;
}

/** Quotes an identifier (a table or column name) for the current database. */
export type Quote = (identifier: string) => string;

export function quoter(em: SqlEntityManager): Quote {
  const platform = em.getPlatform();
  return (identifier) => platform.quoteIdentifier(identifier);
}

/** Runs a read with `?` placeholders and returns plain rows. */
export async function selectRows<T>(
  em: SqlEntityManager,
  sql: string,
  params: unknown[],
): Promise<T[]> {
  const connection = em.getConnection();
  if (em.getPlatform().constructor.name === 'SqlitePlatform') {
    const db = await (
      connection as unknown as { getNativeClient(): Promise<Database> }
    ).getNativeClient();
    // Datetimes are stored as epoch milliseconds on SQLite (MikroORM's mapping), booleans as
    // 0 and 1; better-sqlite3 binds neither as they are.
    const bound = params.map((value) =>
      value instanceof Date ? value.getTime() : typeof value === 'boolean' ? Number(value) : value,
    );
    return cachedStatement(db, sql).all(...bound) as T[];
  }
  return connection.execute(sql, params);
}

/** A datetime column as read by any driver: SQLite gives epoch ms, the others a Date. */
export function toDate(value: unknown): Date {
  if (value instanceof Date) return value;
  if (typeof value === 'number' || typeof value === 'bigint') return new Date(Number(value));
  // PostgreSQL text such as "2026-11-26 21:00:00.123+00"; MariaDB's has no offset (UTC).
  const text = String(value).replace(' ', 'T');
  if (/[zZ]$|[+-]\d\d:\d\d$/.test(text)) return new Date(text);
  if (/[+-]\d\d$/.test(text)) return new Date(`${text}:00`);
  return new Date(`${text}Z`);
}
