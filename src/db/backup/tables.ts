import type { MikroORM } from '@mikro-orm/core';
import type { Column, DatabaseSchema } from '@mikro-orm/sql';
import { introspectLiveSchema } from '../live-schema.ts';
import { HAND_WRITTEN_COLUMNS } from '../migrations/hand-written.ts';

/** How a column's values are written in an archive; every database kind reads them back. */
export type ValueType = 'integer' | 'double' | 'boolean' | 'datetime' | 'text';

export interface TableShape {
  name: string;
  columns: { name: string; type: ValueType }[];
  primaryKey: string[];
  /** In an archive's header: how many rows the table had when it was taken. */
  rows?: number;
}

/**
 * Booleans and datetimes as the entities declare them: SQLite declares a boolean `integer`
 * and a datetime holds epoch milliseconds there, so its own schema cannot tell them apart.
 */
function declaredTypes(orm: MikroORM): Map<string, ValueType> {
  const types = new Map<string, ValueType>();
  for (const meta of orm.getMetadata().getAll().values()) {
    for (const prop of meta.props) {
      const type =
        prop.runtimeType === 'Date'
          ? 'datetime'
          : prop.runtimeType === 'boolean'
            ? 'boolean'
            : null;
      if (type && prop.fieldNames?.length === 1) {
        types.set(`${meta.tableName}.${prop.fieldNames[0]}`, type);
      }
    }
  }
  return types;
}

/** A column the entities no longer describe (an older revision's), by its SQL type. */
function typeOfColumn(column: Column): ValueType {
  const sql = column.type.toLowerCase();
  if (/bool|tinyint\(1\)/.test(sql)) return 'boolean';
  if (/date|time/.test(sql)) return 'datetime';
  if (/int/.test(sql)) return 'integer';
  if (/double|real|float|numeric|decimal/.test(sql)) return 'double';
  return 'text';
}

/** Orders tables so that every table comes after the tables its foreign keys point to. */
function inDependencyOrder(schema: DatabaseSchema): string[] {
  const tables = new Map(schema.getTables().map((table) => [table.name, table]));
  const ordered: string[] = [];
  const visiting = new Set<string>();
  const visit = (name: string) => {
    if (ordered.includes(name) || visiting.has(name) || !tables.has(name)) return;
    visiting.add(name);
    for (const key of Object.values(tables.get(name)?.getForeignKeys() ?? {})) {
      visit(key.referencedTableName.split('.').pop() ?? '');
    }
    ordered.push(name);
  };
  for (const name of [...tables.keys()].sort()) visit(name);
  return ordered;
}

/**
 * The tables of the live database (whatever revision it is at), each with its columns and
 * primary key, parents before children. The migrations table is left out: an archive records
 * the revision instead.
 */
export async function describeTables(orm: MikroORM): Promise<TableShape[]> {
  const schema = await introspectLiveSchema(orm);
  const declared = declaredTypes(orm);
  return inDependencyOrder(schema).map((name) => {
    const table = schema.getTable(name);
    if (!table) throw new Error(`Table ${name} vanished while it was described`);
    // A hand-written column (MariaDB's generated search words) is derived: the target's own
    // revision computes it.
    const columns = table
      .getColumns()
      .filter((column) => !HAND_WRITTEN_COLUMNS.includes(column.name))
      .map((column) => ({
        name: column.name,
        type: declared.get(`${name}.${column.name}`) ?? typeOfColumn(column),
      }));
    const primaryKey = table.getPrimaryKey()?.columnNames ?? columns.map((column) => column.name);
    return { name, columns, primaryKey };
  });
}
