import { existsSync, realpathSync } from 'node:fs';
import type { SqlEntityManager } from '@mikro-orm/sql';
import type { MigrationContext } from '../migrations/runner.ts';

/**
 * What makes a database itself, whatever URL spelled it: the real path of a SQLite file;
 * the server (its port and start time on PostgreSQL, its data folder on MariaDB) and the
 * database's name. `localhost` and `127.0.0.1`, or two paths to one file, are the same.
 */
export async function databaseIdentity({ orm, database }: MigrationContext): Promise<string> {
  if (database.dialect === 'sqlite') {
    const file = database.dbName;
    return `sqlite:${existsSync(file) ? realpathSync(file) : file}`;
  }
  const em = orm.em.fork() as SqlEntityManager;
  const sql =
    database.dialect === 'postgresql'
      ? "select current_setting('port') || ':' || pg_postmaster_start_time()::text || ':' || current_database() as id"
      : "select concat(@@hostname, ':', @@port, ':', @@datadir, ':', database()) as id";
  const [row] = await em.execute<{ id: string }[]>(sql);
  // MariaDB answers to both the mysql and the mariadb driver.
  return `${database.dialect === 'postgresql' ? 'postgresql' : 'mysql'}:${row.id}`;
}
