import { MigrationError } from '../../errors.ts';
import type { RevisionInfo } from '../migrations/history.ts';
import { type MigrationContext, upgrade } from '../migrations/runner.ts';
import { type ArchiveHeader, readArchive, type TableEnd } from './archive.ts';
import { loadTables, type Progress } from './load.ts';
import { READ_BATCH } from './rows.ts';
import { inSession } from './session.ts';
import { describeTables, type TableShape } from './tables.ts';
import { checkShapes, prepareTarget } from './target.ts';
import type { ArchiveValue, TableSummary } from './values.ts';

type ArchiveLines = AsyncGenerator<ArchiveHeader | ArchiveValue[] | TableEnd>;

export interface RestoreResult {
  revision: string | null;
  /** The revision the database was upgraded to after the rows went in. */
  upgradedTo: string | null;
  secrets?: ArchiveHeader['secrets'];
  tables: Record<string, TableSummary>;
}

/** Refuses a backup taken at a revision this code does not have. */
function checkRevision(history: RevisionInfo[], revision: string | null): void {
  if (revision === null || history.some((r) => r.rev === revision)) return;
  const head = history.at(-1)?.rev ?? 'base';
  if (revision > head) {
    throw new MigrationError(
      `The backup was taken at revision ${revision}, newer than this Microblog's head ${head}: restore it with a newer Microblog`,
    );
  }
  throw new MigrationError(
    `The backup was taken at revision ${revision}, which is not in migrations/`,
  );
}

/** One table's rows from the archive, in batches, up to and including its end line. */
async function* tableRows(
  lines: ArchiveLines,
  table: TableShape,
  file: string,
  ends: Map<string, TableSummary>,
): AsyncGenerator<ArchiveValue[][]> {
  let batch: ArchiveValue[][] = [];
  for (;;) {
    const { value, done } = await lines.next();
    if (done) throw new MigrationError(`${file} is truncated: table ${table.name} is incomplete`);
    if (Array.isArray(value)) {
      if (value.length !== table.columns.length) {
        throw new MigrationError(`${file} is damaged: a row of ${table.name} has the wrong length`);
      }
      batch.push(value);
      if (batch.length >= READ_BATCH) {
        yield batch;
        batch = [];
      }
      continue;
    }
    const end = value as Partial<TableEnd>;
    if (end.table !== table.name) {
      throw new MigrationError(`${file} is damaged: expected the end of table ${table.name}`);
    }
    ends.set(table.name, { rows: Number(end.rows), sha256: String(end.sha256) });
    if (batch.length > 0) yield batch;
    return;
  }
}

/**
 * Restores an archive into the database of `context`, whatever its kind: brings it to the
 * revision the backup was taken at, loads every table in one transaction (checked against the
 * archive's checksums and read back), then upgrades it to the latest revision.
 */
export async function restoreBackup(
  context: MigrationContext,
  file: string,
  { force = false, onProgress }: { force?: boolean; onProgress?: Progress } = {},
): Promise<RestoreResult> {
  const lines: ArchiveLines = readArchive(file);
  try {
    const header = (await lines.next()).value as ArchiveHeader;
    checkRevision(context.history, header.revision);
    await prepareTarget(context, header.revision, force);
    checkShapes(header.tables, await describeTables(context.orm), 'this database');
    const ends = new Map<string, TableSummary>();
    const totals = new Map(header.tables.map((table) => [table.name, table.rows ?? 0]));
    const tables = await inSession(
      context.orm,
      context.database.dialect,
      'write',
      async (session) => {
        const loaded = await loadTables(
          session,
          header.tables,
          (table) => tableRows(lines, table, file, ends),
          { totals, onProgress, expected: (table) => ends.get(table.name) },
        );
        if (!(await lines.next()).done)
          throw new MigrationError(`${file} is damaged: it goes on after the last table`);
        return loaded;
      },
    );
    if (header.revision !== context.history.at(-1)?.rev) await upgrade(context, 'head');
    return {
      revision: header.revision,
      upgradedTo: context.history.at(-1)?.rev ?? null,
      secrets: header.secrets,
      tables: Object.fromEntries(tables),
    };
  } finally {
    await lines.return(undefined);
  }
}
