import { AbstractSqlDriver, type Configuration, SqlitePlatform } from '@mikro-orm/sql';
import { MikroORM, SqliteConnection } from '@mikro-orm/sqlite';
import { CompiledQuery, type DatabaseConnection } from 'kysely';

const PRAGMAS = ['busy_timeout = 5000', 'journal_mode = WAL', 'synchronous = NORMAL'];

/** Runs on every new SQLite connection (MikroORM's `onCreateConnection`). */
export async function tuneSqliteConnection(connection: unknown): Promise<void> {
  for (const pragma of PRAGMAS) {
    await (connection as DatabaseConnection).executeQuery(CompiledQuery.raw(`pragma ${pragma}`));
  }
}

/**
 * better-sqlite3 tuned for a web server: WAL so readers never block the writer,
 * NORMAL sync (safe with WAL), a 5 s busy timeout, and write transactions that
 * take the write lock up front (BEGIN IMMEDIATE), so two writers never deadlock
 * on a read-to-write lock upgrade.
 */
class MicroblogSqliteConnection extends SqliteConnection {
  override createKyselyDialect(options: Record<string, unknown>) {
    const dialect = super.createKyselyDialect(options);
    const createDriver = dialect.createDriver.bind(dialect);
    dialect.createDriver = () => {
      const driver = createDriver();
      driver.beginTransaction = async (connection) => {
        await connection.executeQuery(CompiledQuery.raw('begin immediate'));
      };
      return driver;
    };
    return dialect;
  }
}

export class MicroblogSqliteDriver extends AbstractSqlDriver<MicroblogSqliteConnection> {
  constructor(config: Configuration) {
    super(config, new SqlitePlatform(), MicroblogSqliteConnection, ['kysely', 'better-sqlite3']);
  }

  override getORMClass() {
    return MikroORM;
  }
}
