import type { MikroORM } from '@mikro-orm/core';
import type { AbstractSqlConnection } from '@mikro-orm/sql';
import { CompiledQuery, type Kysely } from 'kysely';
import type { Dialect } from '../../config/load.ts';
import { numbered } from '../rows.ts';

/** One connection of a database, held for a whole backup, restore or copy. */
export interface Session {
  dialect: Dialect;
  /** Runs SQL with `?` placeholders and returns its rows. */
  query<Row = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<Row[]>;
  quote(identifier: string): string;
}

/**
 * How each kind opens a transaction that sees one moment of the database while the site
 * keeps writing: a repeatable-read snapshot on PostgreSQL and MariaDB, a deferred (read)
 * transaction on SQLite, whose WAL keeps the snapshot without blocking the writer
 * (docs/decisions/0025-portable-backups.md).
 */
const SNAPSHOT: Record<Dialect, string[]> = {
  sqlite: ['begin deferred'],
  postgresql: ['begin transaction isolation level repeatable read read only'],
  mysql: [
    'set transaction isolation level repeatable read',
    'start transaction with consistent snapshot, read only',
  ],
  mariadb: [
    'set transaction isolation level repeatable read',
    'start transaction with consistent snapshot, read only',
  ],
};

/** A write transaction; SQLite takes the write lock up front (decision 0013). */
const WRITE: Record<Dialect, string[]> = {
  sqlite: ['begin immediate'],
  postgresql: ['begin'],
  mysql: ['start transaction'],
  mariadb: ['start transaction'],
};

/** `?` placeholders as PostgreSQL numbers them. */

/**
 * Runs `work` on one pinned connection of `orm`, inside a transaction of the given kind that
 * is committed when `work` succeeds and rolled back when it throws.
 */
export async function inSession<T>(
  orm: MikroORM,
  dialect: Dialect,
  kind: 'snapshot' | 'write',
  work: (session: Session) => Promise<T>,
): Promise<T> {
  const connection = orm.em.getConnection() as AbstractSqlConnection;
  await connection.ensureConnection();
  const client = connection.getClient() as Kysely<unknown>;
  const platform = orm.em.getPlatform();
  return client.connection().execute(async (pinned) => {
    const run = async (sql: string, params: unknown[] = []) => {
      const text = dialect === 'postgresql' ? numbered(sql) : sql;
      return (await pinned.executeQuery(CompiledQuery.raw(text, params))).rows;
    };
    for (const statement of (kind === 'snapshot' ? SNAPSHOT : WRITE)[dialect]) await run(statement);
    const session: Session = {
      dialect,
      query: async <Row>(sql: string, params?: unknown[]) => (await run(sql, params)) as Row[],
      quote: (identifier) => platform.quoteIdentifier(identifier),
    };
    try {
      const result = await work(session);
      await run('commit');
      return result;
    } catch (error) {
      await run('rollback').catch(() => {});
      throw error;
    }
  });
}
