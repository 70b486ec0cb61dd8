import type { SqlEntityManager } from '@mikro-orm/sql';

/**
 * Where a raw hot read goes (docs/decisions/0035-read-replicas.md). MikroORM runs with
 * `preferReadReplicas: false`, so everything reads the primary unless a request's unit of
 * work was marked here; `selectRows` is the one place that asks.
 */
const replicaReaders = new WeakSet<SqlEntityManager>();

/** Lets this unit of work's raw reads outside a transaction use a replica. */
export function allowReplicaReads(em: SqlEntityManager): void {
  replicaReaders.add(em);
}

export function readsFromReplica(em: SqlEntityManager): boolean {
  return replicaReaders.has(em);
}

/**
 * ORMs whose hot reads must not be named prepared statements, keyed by their configuration
 * (which every fork shares): a pooler in transaction mode may run the next request on a
 * server connection that never saw the statement.
 */
const withoutNamedStatements = new WeakSet<object>();

export function turnOffNamedStatements(em: SqlEntityManager): void {
  withoutNamedStatements.add(em.config);
}

export function namedStatementsAllowed(em: SqlEntityManager): boolean {
  return !withoutNamedStatements.has(em.config);
}
