import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { MikroORM } from '@mikro-orm/core';
import { Migrator } from '@mikro-orm/migrations';
import type { DatabaseSchema } from '@mikro-orm/sql';
import type { Dialect } from '../../config/load.ts';
import { ormOptions } from '../orm.ts';
import type { ScriptDialect } from './revision.ts';

export const SCRIPT_DIALECTS: ScriptDialect[] = ['sqlite', 'postgresql', 'mysql'];
export const EMPTY_SNAPSHOT = '{"namespaces":[],"tables":[]}\n';

export function snapshotPath(dir: string, dialect: ScriptDialect): string {
  return join(dir, `.snapshot-${dialect}.json`);
}

/** Exposes the migrator's snapshot reader, which turns the JSON back into a schema. */
class SnapshotReader extends Migrator {
  read(): Promise<DatabaseSchema | undefined> {
    return this.getSchemaFromSnapshot();
  }
}

/**
 * An ORM for a dialect that never connects: MikroORM only connects on the first query,
 * and generating SQL from metadata and snapshots makes none.
 */
export async function offlineOrm(dialect: ScriptDialect, dir: string): Promise<MikroORM> {
  const database = {
    dialect: dialect as Dialect,
    dbName: dialect === 'sqlite' ? ':memory:' : 'microblog',
    clientUrl: `${dialect}://offline/microblog`,
    displayUrl: `${dialect} (offline)`,
  };
  const options = await ormOptions(database, { migrationsPath: dir });
  return MikroORM.init({
    ...options,
    migrations: {
      ...options.migrations,
      path: dir,
      snapshot: true,
      snapshotName: `.snapshot-${dialect}`,
    },
  });
}

export async function readSnapshot(orm: MikroORM, dialect: ScriptDialect, dir: string) {
  if (!existsSync(snapshotPath(dir, dialect))) {
    throw new Error(`${snapshotPath(dir, dialect)} is missing: run "microblog db init" first`);
  }
  const reader = new SnapshotReader(orm.em as unknown as ConstructorParameters<typeof Migrator>[0]);
  return reader.read();
}

export function writeSnapshot(dir: string, dialect: ScriptDialect, schema: DatabaseSchema) {
  writeFileSync(snapshotPath(dir, dialect), `${JSON.stringify(schema, null, 2)}\n`);
}
