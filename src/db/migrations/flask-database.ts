import type { Transaction } from '@mikro-orm/core';
import type { AbstractSqlConnection } from '@mikro-orm/sql';
import { MigrationError } from '../../errors.ts';
import { copyStatements } from './flask-copy.ts';
import type { MigrationContext } from './runner.ts';

export const ALEMBIC_TABLE = 'alembic_version';
/** PostgreSQL moves the Flask tables into this schema; the others rename them with it as a prefix. */
const STASH = 'flask_microblog';

/**
 * A database the Flask Microblog created, seen from our side while we take it over: where its
 * tables are set aside, and the statements that move them and their rows.
 */
export class FlaskDatabase {
  readonly connection: AbstractSqlConnection;
  readonly dialect: MigrationContext['database']['dialect'];

  constructor({ orm, database }: MigrationContext) {
    this.connection = orm.em.getConnection() as AbstractSqlConnection;
    this.dialect = database.dialect;
  }

  quote(name: string): string {
    return this.dialect === 'mysql' || this.dialect === 'mariadb' ? `\`${name}\`` : `"${name}"`;
  }

  /** Where a Flask table is while ours are created. */
  stashed(table: string): string {
    return this.dialect === 'postgresql'
      ? `${this.quote(STASH)}.${this.quote(table)}`
      : this.quote(`${STASH}_${table}`);
  }

  query<T>(sql: string, tx?: Transaction, params: unknown[] = []): Promise<T[]> {
    return this.connection.execute<T[]>(sql, params, 'all', tx);
  }

  async run(statements: string[], tx: Transaction): Promise<void> {
    for (const sql of statements) await this.connection.execute(sql, [], 'run', tx);
  }

  async tableExists(name: string, tx?: Transaction, schema?: string): Promise<boolean> {
    const sql = {
      sqlite: `select name from sqlite_master where type = 'table' and name = ?`,
      postgresql: `select table_name from information_schema.tables where table_name = ? and table_schema = coalesce(?, current_schema())`,
      mysql: `select table_name from information_schema.tables where table_name = ? and table_schema = database()`,
    }[this.dialect === 'mariadb' ? 'mysql' : this.dialect];
    const params = this.dialect === 'postgresql' ? [name, schema ?? null] : [name];
    return (await this.query(sql, tx, params)).length > 0;
  }

  /** Whether an earlier, interrupted adoption already set the Flask tables aside. */
  async isStashed(schema: Map<string, string[]>, tx?: Transaction): Promise<boolean> {
    const [first] = schema.keys();
    if (first === undefined) return false;
    return this.dialect === 'postgresql'
      ? this.tableExists(first, tx, STASH)
      : this.tableExists(`${STASH}_${first}`, tx);
  }

  /** Our usernames are unique whatever their case (revision 20261126223000); Flask's were not. */
  async refuseCaseOnlyDuplicates(schema: Map<string, string[]>, tx: Transaction) {
    if (!schema.has('user')) return;
    const rows = await this.query<{ names: string }>(
      `select lower(username) as names from ${this.quote('user')} group by lower(username) having count(*) > 1`,
      tx,
    );
    if (rows.length > 0) {
      throw new MigrationError(
        `Usernames must differ in more than case, and some do not (${rows.map((row) => row.names).join(', ')}, in any case): rename all but one of each in the Flask database first`,
      );
    }
  }

  /** Moves the Flask tables out of the way of ours, indexes and all. */
  async stash(schema: Map<string, string[]>, tx: Transaction): Promise<void> {
    const tables = [...schema.keys()];
    if (tables.length === 0) return;
    if (this.dialect === 'postgresql') {
      await this.run(
        [
          `create schema ${this.quote(STASH)}`,
          ...tables.map(
            (table) => `alter table ${this.quote(table)} set schema ${this.quote(STASH)}`,
          ),
        ],
        tx,
      );
      return;
    }
    if (this.dialect === 'sqlite') {
      // SQLite's index names are per database, and ours reuse Flask's (decision 0017).
      const indexes = await this.query<{ name: string }>(
        `select name from sqlite_master where type = 'index' and sql is not null and tbl_name in (${tables.map(() => '?').join(', ')})`,
        tx,
        tables,
      );
      await this.run(
        indexes.map(({ name }) => `drop index ${this.quote(name)}`),
        tx,
      );
      await this.run(
        tables.map((table) => `alter table ${this.quote(table)} rename to ${this.stashed(table)}`),
        tx,
      );
      return;
    }
    // One statement, so MariaDB renames all the tables or none.
    await this.run(
      [
        `rename table ${tables.map((table) => `${this.quote(table)} to ${this.stashed(table)}`).join(', ')}`,
      ],
      tx,
    );
  }

  /** Copies every row into our tables, unless an interrupted adoption already did. */
  async copy(schema: Map<string, string[]>, tx: Transaction): Promise<void> {
    if (!schema.has('user')) return;
    const [{ count }] = await this.query<{ count: number | string }>(
      `select count(*) as count from ${this.quote('user')}`,
      tx,
    );
    if (Number(count) > 0) return;
    const source = {
      dialect: this.dialect,
      quote: (name: string) => this.quote(name),
      stashed: (table: string) => this.stashed(table),
    };
    await this.run(copyStatements(source, schema), tx);
  }

  /**
   * Drops the Flask tables (children first), then the Alembic version table, which marks
   * an adoption as unfinished until then.
   */
  async dropStash(schema: Map<string, string[]>, tx: Transaction): Promise<void> {
    const statements =
      this.dialect === 'postgresql'
        ? [`drop schema if exists ${this.quote(STASH)} cascade`]
        : [...schema.keys()]
            .reverse()
            .map((table) => `drop table if exists ${this.stashed(table)}`);
    statements.push(`drop table ${this.quote(ALEMBIC_TABLE)}`);
    await this.run(statements, tx);
  }
}
