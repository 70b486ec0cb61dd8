import { MigrationError } from '../../errors.ts';
import { insertRows, resetSequences, summarize } from './rows.ts';
import type { Session } from './session.ts';
import type { TableShape } from './tables.ts';
import { type ArchiveValue, TableChecksum, type TableSummary } from './values.ts';

/** Told how far a long job has come: `done` rows of `total` in table `stage`. */
export type Progress = (stage: string, done: number, total: number) => void;

export interface LoadOptions {
  /** How many rows each table should have, for the progress bar. */
  totals: Map<string, number>;
  onProgress?: Progress;
  /** What the source says a table holds, checked once its rows are in (an archive's own sums). */
  expected?: (table: TableShape) => TableSummary | undefined;
}

const same = (a: TableSummary, b: TableSummary | undefined) =>
  a.rows === b?.rows && a.sha256 === b.sha256;

/**
 * Inserts every table's rows, parents first, in the caller's write transaction; moves the
 * sequences past the inserted ids; then reads every table back and checks its count and
 * checksum against the rows that went in, so a value the target changed (a datetime's
 * milliseconds, a character it could not store) fails the load before it commits.
 */
export async function loadTables(
  session: Session,
  tables: TableShape[],
  rowsOf: (table: TableShape) => AsyncIterable<ArchiveValue[][]>,
  { totals, onProgress, expected }: LoadOptions,
): Promise<Map<string, TableSummary>> {
  const loaded = new Map<string, TableSummary>();
  for (const table of tables) {
    const checksum = new TableChecksum();
    const total = totals.get(table.name) ?? 0;
    for await (const batch of rowsOf(table)) {
      for (const row of batch) checksum.add(row);
      await insertRows(session, table, batch);
      onProgress?.(table.name, checksum.rows, Math.max(total, checksum.rows));
    }
    const summary = checksum.summary();
    const promised = expected?.(table);
    if (expected && !same(summary, promised)) {
      throw new MigrationError(
        `Table ${table.name} does not match its checksum in the backup (${summary.rows} rows read, ${promised?.rows} written): the file is damaged`,
      );
    }
    loaded.set(table.name, summary);
  }
  await resetSequences(session, tables);
  const stored = await summarize(session, tables);
  for (const table of tables) {
    const want = loaded.get(table.name);
    const got = stored.get(table.name);
    if (!got || !same(got, want)) {
      throw new Error(
        `Verification failed for table ${table.name}: ${want?.rows} rows loaded, ${got?.rows} read back, checksums ${got?.sha256 === want?.sha256 ? 'equal' : 'differ'}`,
      );
    }
  }
  return stored;
}
