import { join } from 'node:path';
import { MikroORM, type Options } from '@mikro-orm/core';
import { Migrator } from '@mikro-orm/migrations';
import type { SqlEntityManager } from '@mikro-orm/sql';
import { type Config, type DatabaseConfig, type Dialect, projectRoot } from '../config/load.ts';
import { entities } from './entities/index.ts';
import { MicroblogEntityManager } from './entity-manager.ts';
import { HAND_WRITTEN_TABLES } from './migrations/hand-written.ts';
import { loadHistory } from './migrations/history.ts';
import { MicroblogNamingStrategy } from './naming.ts';
import { turnOffNamedStatements } from './read-routing.ts';

/**
 * The revisions: the TypeScript sources, or their JavaScript in dist/ when the app runs
 * compiled (`npm run build`, docs/decisions/0019-compiled-start.md).
 */
export const migrationsDir = import.meta.url.endsWith('.js')
  ? join(projectRoot, 'dist', 'migrations')
  : join(projectRoot, 'migrations');
export const MIGRATIONS_TABLE = 'microblog_migrations';

/** The driver class for a dialect, loaded on demand so a command only loads the one it uses. */
async function loadDriver(dialect: Dialect): Promise<NonNullable<Options['driver']>> {
  switch (dialect) {
    case 'sqlite':
      return (await import('./sqlite-driver.ts')).MicroblogSqliteDriver;
    case 'postgresql':
      return (await import('@mikro-orm/postgresql')).PostgreSqlDriver;
    case 'mysql':
      return (await import('@mikro-orm/mysql')).MySqlDriver;
    case 'mariadb':
      return (await import('@mikro-orm/mariadb')).MariaDbDriver;
  }
}

export interface OrmSetup {
  /** The migration repository; the project's `migrations/` unless `db -d` names another. */
  migrationsPath?: string;
  /** PostgreSQL read replicas (DATABASE_REPLICA_URLS). */
  replicas?: DatabaseConfig[];
}

/** MikroORM options for a database; shared by the app, the CLI and the migration generator. */
export async function ormOptions(
  db: DatabaseConfig,
  setup: OrmSetup = {},
): Promise<Partial<Options>> {
  const migrationsPath = setup.migrationsPath ?? migrationsDir;
  const history = await loadHistory(migrationsPath);
  const options: Partial<Options> = {
    driver: await loadDriver(db.dialect),
    entities,
    namingStrategy: MicroblogNamingStrategy,
    entityManager: MicroblogEntityManager,
    extensions: [Migrator],
    // Dates are UTC with milliseconds everywhere (docs/decisions/0012-datetimes.md).
    forceUtcTimezone: true,
    timezone: db.dialect === 'mysql' || db.dialect === 'mariadb' ? '+00:00' : undefined,
    ensureDatabase: false,
    discovery: { checkDuplicateTableNames: true },
    migrations: {
      path: migrationsPath,
      migrationsList: history.map((revision) => ({ name: revision.name, class: revision.cls })),
      tableName: MIGRATIONS_TABLE,
      snapshot: false,
      snapshotOnMigrate: false,
      silent: true,
      transactional: true,
      // SQLite rebuild revisions run outside a transaction (decision 0002, rule 3).
      allOrNothing: db.dialect !== 'sqlite',
      disableForeignKeys: false,
    },
    schemaGenerator: { skipTables: [MIGRATIONS_TABLE, ...HAND_WRITTEN_TABLES] },
  };
  if (db.dialect === 'sqlite') {
    options.dbName = db.dbName;
    options.onCreateConnection = (await import('./sqlite-driver.ts')).tuneSqliteConnection;
  } else {
    options.clientUrl = db.clientUrl;
    options.dbName = db.dbName;
  }
  if (setup.replicas?.length) {
    // Reads go to a replica only where a request allows it (src/db/read-routing.ts).
    options.preferReadReplicas = false;
    options.replicas = setup.replicas.map((replica, index) => ({
      name: `replica-${index + 1}`,
      clientUrl: replica.clientUrl,
      dbName: replica.dbName,
    }));
  }
  return options;
}

type OrmConfig = Pick<Config, 'database'> &
  Partial<Pick<Config, 'databaseReplicas' | 'preparedStatements'>>;

export async function openOrm(config: OrmConfig, setup: OrmSetup = {}) {
  const orm = await MikroORM.init(
    await ormOptions(config.database, { replicas: config.databaseReplicas, ...setup }),
  );
  if (config.preparedStatements === false) turnOffNamedStatements(orm.em as SqlEntityManager);
  return orm;
}
