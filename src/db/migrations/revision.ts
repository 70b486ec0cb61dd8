import { Migration } from '@mikro-orm/migrations';

/** The statements of one revision for one SQL dialect. */
export interface DialectScript {
  up: string[];
  down: string[];
  /**
   * False for SQLite table rebuilds: `pragma foreign_keys=off` only works outside a
   * transaction, so such a script manages its own `begin`/`commit` (decision 0002, rule 3).
   */
  transactional?: boolean;
}

/** Which block of a revision a platform runs. MariaDB shares MySQL's statements. */
export type ScriptDialect = 'sqlite' | 'postgresql' | 'mysql';

const PLATFORM_DIALECTS: Record<string, ScriptDialect> = {
  SqlitePlatform: 'sqlite',
  PostgreSqlPlatform: 'postgresql',
  MySqlPlatform: 'mysql',
  MariaDbPlatform: 'mysql',
};

/**
 * One revision of the schema history, holding the SQL of every dialect, so one history
 * upgrades and downgrades SQLite, PostgreSQL and MySQL/MariaDB alike.
 */
export abstract class Revision extends Migration {
  abstract readonly message: string;
  abstract readonly sqlite: DialectScript;
  abstract readonly postgresql: DialectScript;
  abstract readonly mysql: DialectScript;

  /**
   * Called by `db downgrade` for every revision it will revert, before it reverts any; throws
   * to refuse a downgrade that would lose data.
   */
  async checkDowngrade(): Promise<void> {}

  protected get dialect(): ScriptDialect {
    const name = this.driver.getPlatform().constructor.name;
    const dialect = PLATFORM_DIALECTS[name];
    if (!dialect) throw new Error(`No migration scripts for the ${name} platform`);
    return dialect;
  }

  private get script(): DialectScript {
    return this[this.dialect];
  }

  override up(): void {
    for (const sql of this.script.up) this.addSql(sql);
  }

  override down(): void {
    for (const sql of this.script.down) this.addSql(sql);
  }

  override isTransactional(): boolean {
    return this.script.transactional !== false;
  }
}
