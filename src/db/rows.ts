import { type EntityName, ReferenceKind } from '@mikro-orm/core';
import type { SqlEntityManager } from '@mikro-orm/sql';
import type { Database, Statement } from 'better-sqlite3';
import { CompiledQuery, type Transaction } from 'kysely';
import { namedStatementsAllowed, readsFromReplica } from './read-routing.ts';

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

/**
 * The columns an entity maps, listed as `alias.column`: a prepared statement must not read
 * `alias.*`, or PostgreSQL refuses it ("cached plan must not change result type") once a
 * deploy adds a column while the statement lives on in a running process.
 */
export function columnsOf(em: SqlEntityManager, entity: EntityName, alias: string): string {
  const q = quoter(em);
  return em
    .getMetadata()
    .get(entity)
    .props.filter(
      (prop) => prop.kind === ReferenceKind.SCALAR || prop.kind === ReferenceKind.MANY_TO_ONE,
    )
    .flatMap((prop) => prop.fieldNames)
    .map((field) => `${alias}.${q(field)}`)
    .join(', ');
}

/** Quotes an identifier (a table or column name) for the current database. */
export type Quote = (identifier: string) => string;

export function quoter(em: SqlEntityManager): Quote {
  const platform = em.getPlatform();
  return (identifier) => platform.quoteIdentifier(identifier);
}

/** The `pg` pool's query with a named (server-side prepared) statement. */
interface PgPool {
  query(config: { name: string; text: string; values: unknown[] }): Promise<{ rows: unknown[] }>;
}

/** The `mysql2` pool's `execute`: a prepared statement, cached per connection by mysql2. */
interface MysqlPool {
  execute(sql: string, values: unknown[], done: (error: Error | null, rows: unknown) => void): void;
}

/**
 * PostgreSQL statement names by SQL text. A named statement is parsed and planned once per
 * connection (a generic plan after five runs) instead of on every request: the feed's merge
 * cost 4 to 6 ms to plan. Bounded: past MAX_STATEMENTS texts, new ones run unnamed.
 */
const pgNames = new Map<string, { name: string; text: string }>();

/** `?` placeholders as PostgreSQL's `$1, $2, …`: this SQL holds no literal question marks. */
/** `?` placeholders as PostgreSQL's `$1`, `$2`, … */
export function numbered(sql: string): string {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
}

function pgStatement(sql: string): { name: string; text: string } | undefined {
  let statement = pgNames.get(sql);
  if (!statement && pgNames.size < MAX_STATEMENTS) {
    statement = { name: `mb_${pgNames.size}`, text: numbered(sql) };
    pgNames.set(sql, statement);
  }
  return statement;
}

export type Dialect = 'sqlite' | 'postgresql' | 'mysql';

/** Which SQL the connected database speaks (MariaDB speaks `mysql`). */
export function dialectOf(em: SqlEntityManager): Dialect {
  const name = em.getPlatform().constructor.name;
  if (name === 'SqlitePlatform') return 'sqlite';
  if (name === 'PostgreSqlPlatform') return 'postgresql';
  return 'mysql';
}

/**
 * Runs a read with `?` placeholders and returns plain rows, through a statement prepared
 * once: MikroORM's `execute` inlines the values, so every request would be a new text for
 * the database to parse and plan. Inside a transaction the read runs on the transaction's
 * connection (unprepared on PostgreSQL and MariaDB).
 */
export async function selectRows<T>(
  em: SqlEntityManager,
  sql: string,
  params: unknown[],
): Promise<T[]> {
  const connection = em.getConnection(readsFromReplica(em) ? 'read' : 'write');
  const native = () =>
    (connection as unknown as { getNativeClient(): Promise<unknown> }).getNativeClient();
  const dialect = dialectOf(em);
  if (dialect === 'sqlite') {
    const db = (await native()) as Database;
    // Datetimes are stored as epoch milliseconds on SQLite (MikroORM's mapping), booleans as
    // 0 and 1; better-sqlite3 binds neither as they are.
    const bound = params.map((value) =>
      value instanceof Date ? value.getTime() : typeof value === 'boolean' ? Number(value) : value,
    );
    return cachedStatement(db, sql).all(...bound) as T[];
  }
  // Real parameters, never inlined: an array parameter (`= any(?::int[])`) stays an array.
  const statement =
    dialect === 'postgresql' && namedStatementsAllowed(em) ? pgStatement(sql) : undefined;
  const transaction = em.getTransactionContext<Transaction<unknown>>();
  if (transaction || (dialect === 'postgresql' && !statement)) {
    // On the transaction's connection, so the read sees the transaction's writes.
    const text = dialect === 'postgresql' ? (statement?.text ?? numbered(sql)) : sql;
    const runner =
      transaction ?? (connection as unknown as { getClient(): Transaction<unknown> }).getClient();
    return (await runner.executeQuery(CompiledQuery.raw(text, params))).rows as T[];
  }
  if (statement) {
    const pool = (await native()) as PgPool;
    return (await pool.query({ ...statement, values: params })).rows as T[];
  }
  const pool = (await native()) as MysqlPool;
  // mysql2 refuses to bind `undefined`; MikroORM wrote it as NULL.
  const bound = params.map((value) => value ?? null);
  return new Promise((resolve, reject) => {
    pool.execute(sql, bound, (error, rows) => (error ? reject(error) : resolve(rows as T[])));
  });
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
