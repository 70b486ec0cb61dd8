import type { SqlEntityManager } from '@mikro-orm/sql';

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
