import type { MikroORM } from '@mikro-orm/core';

export interface PoolStats {
  /** Connections open, idle among them, and queries waiting for one. */
  total: number;
  idle: number;
  waiting: number;
}

interface PgPool {
  totalCount: number;
  idleCount: number;
  waitingCount: number;
}

/** mysql2 keeps its counts in queues it does not expose otherwise. */
interface Mysql2Pool {
  _allConnections: { length: number };
  _freeConnections: { length: number };
  _connectionQueue: { length: number };
}

/**
 * The state of the database connection pool, read from the driver's own pool: `pg`'s
 * counters on PostgreSQL, mysql2's queues on MariaDB/MySQL. Null on SQLite, which has one
 * connection and no pool, and for a pool of unknown shape.
 */
export async function poolStats(orm: MikroORM): Promise<PoolStats | null> {
  if (orm.em.getPlatform().constructor.name === 'SqlitePlatform') return null;
  const connection = orm.em.getConnection() as unknown as { getNativeClient(): Promise<unknown> };
  const pool = (await connection.getNativeClient()) as Partial<PgPool & Mysql2Pool> | null;
  if (typeof pool?.totalCount === 'number') {
    return {
      total: pool.totalCount,
      idle: pool.idleCount ?? 0,
      waiting: pool.waitingCount ?? 0,
    };
  }
  if (pool?._allConnections && pool._freeConnections && pool._connectionQueue) {
    return {
      total: pool._allConnections.length,
      idle: pool._freeConnections.length,
      waiting: pool._connectionQueue.length,
    };
  }
  return null;
}
