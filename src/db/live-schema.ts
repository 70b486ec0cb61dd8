import type { MikroORM } from '@mikro-orm/core';
import { DatabaseSchema, type SqlEntityManager } from '@mikro-orm/sql';

/** The schema of the live database as MikroORM reads it, without the tables it is told to skip. */
export function introspectLiveSchema(orm: MikroORM): Promise<DatabaseSchema> {
  const em = orm.em as unknown as SqlEntityManager;
  const { skipTables } = orm.config.get('schemaGenerator');
  return DatabaseSchema.create(
    em.getConnection(),
    em.getPlatform(),
    orm.config,
    undefined,
    undefined,
    undefined,
    skipTables,
  );
}
