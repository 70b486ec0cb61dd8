import { LockMode } from '@mikro-orm/core';
import { type SqlEntityManager, SqlitePlatform } from '@mikro-orm/sql';

/**
 * Runs `work` in one transaction on `em` itself, committing (and flushing) at the end or
 * rolling back on any error. `em.transactional` would run it on a fork, which does not
 * flush the entities `em` already manages.
 */
export async function inTransaction<T>(em: SqlEntityManager, work: () => Promise<T>): Promise<T> {
  await em.begin();
  try {
    const result = await work();
    await em.commit();
    return result;
  } catch (error) {
    await em.rollback();
    throw error;
  }
}

/**
 * The lock mode that keeps a row to the current transaction on PostgreSQL and MariaDB
 * (`for update`, or `for update skip locked` for a claim), or none on SQLite, which takes no
 * row locks: its write transactions start with BEGIN IMMEDIATE, one writer at a time
 * (docs/decisions/0013-sqlite-tuning.md).
 */
export function rowLock(em: SqlEntityManager, { skipLocked = false } = {}): LockMode | undefined {
  if (em.getPlatform() instanceof SqlitePlatform) return undefined;
  return skipLocked ? LockMode.PESSIMISTIC_PARTIAL_WRITE : LockMode.PESSIMISTIC_WRITE;
}
