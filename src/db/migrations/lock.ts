import { setTimeout as sleep } from 'node:timers/promises';
import type { MikroORM } from '@mikro-orm/core';
import type { AbstractSqlConnection } from '@mikro-orm/sql';
import Database from 'better-sqlite3';
import { type Kysely, sql } from 'kysely';
import type { DatabaseConfig } from '../../config/load.ts';
import { LockTimeoutError } from '../../errors.ts';

const LOCK_NAME = 'microblog_migrations';
// pg_advisory_lock takes a bigint: a fixed key derived from the name, so every
// instance of the app agrees on it.
const PG_LOCK_KEY = 0x6d6967726174n;
const WAIT_SECONDS = 120;

/**
 * Runs `work` while holding a database-wide migration lock, so two app instances
 * starting at once never both apply a revision. The lock is tied to a connection or
 * file handle, so a crashed process releases it.
 */
export async function withMigrationLock<T>(
  orm: MikroORM,
  database: DatabaseConfig,
  work: () => Promise<T>,
): Promise<T> {
  if (database.dialect === 'sqlite') return withSqliteLock(database.dbName, work);
  const connection = orm.em.getConnection() as AbstractSqlConnection;
  await connection.ensureConnection();
  const client = connection.getClient() as Kysely<unknown>;
  // One pinned pool connection holds the lock; the migrator uses the others.
  return client.connection().execute(async (pinned) => {
    if (database.dialect === 'postgresql') {
      // A transaction's lock, in a transaction held open: PgBouncer in transaction mode keeps
      // one server connection for it, where a session lock could be taken on one server
      // connection and released on another (docs/decisions/0035-read-replicas.md).
      await sql`begin`.execute(pinned);
      try {
        // pg_advisory_xact_lock would wait forever; poll with a deadline like the others.
        await poll(async () => {
          const { rows } = await sql<{
            locked: boolean;
          }>`select pg_try_advisory_xact_lock(${PG_LOCK_KEY}) as locked`.execute(pinned);
          return rows[0]?.locked === true;
        });
        return await work();
      } finally {
        await sql`rollback`.execute(pinned);
      }
    }
    const { rows } = await sql<{
      acquired: number | null;
    }>`select get_lock(${LOCK_NAME}, ${WAIT_SECONDS}) as acquired`.execute(pinned);
    if (Number(rows[0]?.acquired) !== 1) {
      throw new LockTimeoutError(`Timed out after ${WAIT_SECONDS}s waiting for the migration lock`);
    }
    try {
      return await work();
    } finally {
      await sql`select release_lock(${LOCK_NAME})`.execute(pinned);
    }
  });
}

/** Calls `tryLock` every 50 ms until it succeeds, or gives up after WAIT_SECONDS. */
async function poll(tryLock: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + WAIT_SECONDS * 1000;
  while (!(await tryLock())) {
    if (Date.now() > deadline) {
      throw new LockTimeoutError(`Timed out after ${WAIT_SECONDS}s waiting for the migration lock`);
    }
    await sleep(50);
  }
}

/**
 * SQLite: an immediate transaction on a side file beside the database. Holding the
 * lock on the database itself would block the migrator's own connection.
 */
async function withSqliteLock<T>(dbName: string, work: () => Promise<T>): Promise<T> {
  if (dbName === ':memory:') return work();
  const lock = new Database(`${dbName}-migrate-lock`);
  try {
    const deadline = Date.now() + WAIT_SECONDS * 1000;
    for (;;) {
      try {
        lock.exec('begin immediate');
        break;
      } catch (error) {
        if ((error as { code?: string }).code !== 'SQLITE_BUSY') throw error;
        if (Date.now() > deadline) {
          throw new LockTimeoutError(
            `Timed out after ${WAIT_SECONDS}s waiting for the migration lock`,
          );
        }
        // Poll rather than block: better-sqlite3's busy wait would freeze the event loop.
        await sleep(50);
      }
    }
    try {
      return await work();
    } finally {
      lock.exec('rollback');
    }
  } finally {
    lock.close();
  }
}
