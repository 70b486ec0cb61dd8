import type { Session } from './session.ts';
import type { TableShape } from './tables.ts';
import {
  type ArchiveValue,
  TableChecksum,
  type TableSummary,
  toArchive,
  toParameter,
} from './values.ts';

/** Rows per read: enough to keep round trips few, few enough to keep memory flat. */
export const READ_BATCH = 5000;
// Parameters per insert statement: well under every kind's limit (SQLite's is 32,766).
const PARAMETERS_PER_INSERT = 10_000;

/**
 * "Comes after this key" for a primary key of one or more columns, written out as
 * `a > ? or (a = ? and b > ?)`: every kind's planner turns that into an index range, which
 * MariaDB does not do for a row-value comparison `(a, b) > (?, ?)`.
 */
function afterKey(table: TableShape, session: Session, last: unknown[]) {
  const quoted = table.primaryKey.map(session.quote);
  const terms: string[] = [];
  const params: unknown[] = [];
  quoted.forEach((column, index) => {
    const equal = quoted.slice(0, index).map((earlier) => `${earlier} = ?`);
    terms.push(`(${[...equal, `${column} > ?`].join(' and ')})`);
    params.push(...last.slice(0, index), last[index]);
  });
  return { where: ` where ${terms.join(' or ')}`, params };
}

/**
 * The rows of a table in primary-key order, in batches, as archive values: one query per
 * batch (keyset pagination), so memory stays flat however large the table.
 */
export async function* readRows(
  session: Session,
  table: TableShape,
): AsyncGenerator<ArchiveValue[][]> {
  const q = session.quote;
  const columns = table.columns.map((column) => q(column.name)).join(', ');
  const order = table.primaryKey.map(q).join(', ');
  let last: unknown[] | undefined;
  for (;;) {
    const { where, params } = last ? afterKey(table, session, last) : { where: '', params: [] };
    const rows = await session.query(
      `select ${columns} from ${q(table.name)}${where} order by ${order} limit ${READ_BATCH}`,
      params,
    );
    if (rows.length > 0) {
      yield rows.map((row) =>
        table.columns.map((column) => toArchive(column.type, row[column.name])),
      );
    }
    if (rows.length < READ_BATCH) return;
    const final = rows[rows.length - 1];
    last = table.primaryKey.map((column) => final[column]);
  }
}

/** Inserts archived rows, their ids included, in as few statements as the limits allow. */
export async function insertRows(
  session: Session,
  table: TableShape,
  rows: ArchiveValue[][],
): Promise<void> {
  const q = session.quote;
  const perStatement = Math.max(1, Math.floor(PARAMETERS_PER_INSERT / table.columns.length));
  const tuple = `(${table.columns.map(() => '?').join(', ')})`;
  const head = `insert into ${q(table.name)} (${table.columns.map((c) => q(c.name)).join(', ')}) values `;
  for (let start = 0; start < rows.length; start += perStatement) {
    const chunk = rows.slice(start, start + perStatement);
    const params = chunk.flatMap((row) =>
      row.map((value, index) => toParameter(table.columns[index].type, value, session.dialect)),
    );
    await session.query(`${head}${chunk.map(() => tuple).join(', ')}`, params);
  }
}

/** Every table's row count. */
export async function countRows(session: Session, tables: TableShape[]) {
  const counts = new Map<string, number>();
  for (const table of tables) {
    const [row] = await session.query<{ n: unknown }>(
      `select count(*) as n from ${session.quote(table.name)}`,
    );
    counts.set(table.name, Number(row.n));
  }
  return counts;
}

/** Counts and checksums of the tables as they now are in `session`'s database. */
export async function summarize(session: Session, tables: TableShape[]) {
  const summaries = new Map<string, TableSummary>();
  for (const table of tables) {
    const checksum = new TableChecksum();
    for await (const batch of readRows(session, table)) for (const row of batch) checksum.add(row);
    summaries.set(table.name, checksum.summary());
  }
  return summaries;
}

/**
 * After rows were inserted with their ids, PostgreSQL's sequences still start at 1: move each
 * past the largest id. SQLite (`sqlite_sequence`) and MariaDB (InnoDB's counter) move on
 * their own when an explicit id is inserted.
 */
export async function resetSequences(session: Session, tables: TableShape[]): Promise<void> {
  if (session.dialect !== 'postgresql') return;
  for (const table of tables) {
    if (table.primaryKey.length !== 1) continue;
    const [key] = table.primaryKey;
    const [row] = await session.query<{ sequence: string | null }>(
      'select pg_get_serial_sequence(?, ?) as sequence',
      [session.quote(table.name), key],
    );
    if (!row?.sequence) continue;
    await session.query(
      `select setval(?, coalesce((select max(${session.quote(key)}) from ${session.quote(table.name)}), 0) + 1, false)`,
      [row.sequence],
    );
  }
}
