import { MigrationError } from '../../errors.ts';
import { withMigrationLock } from '../migrations/lock.ts';
import { currentRevision, type MigrationContext } from '../migrations/runner.ts';
import { databaseIdentity } from './identity.ts';
import { loadTables, type Progress } from './load.ts';
import { countRows, readRows } from './rows.ts';
import { inSession } from './session.ts';
import { describeTables } from './tables.ts';
import { checkShapes, prepareTarget } from './target.ts';
import type { TableSummary } from './values.ts';

export interface CopyResult {
  revision: string | null;
  tables: Record<string, TableSummary>;
}

/**
 * Copies a whole database into another, of any kind, ids included, batch by batch: one
 * snapshot of the source streams into one write transaction on the target, which is read
 * back and checked before it commits. The target ends at the source's revision.
 */
export async function copyDatabase(
  source: MigrationContext,
  target: MigrationContext,
  { force = false, onProgress }: { force?: boolean; onProgress?: Progress } = {},
): Promise<CopyResult> {
  if ((await databaseIdentity(source)) === (await databaseIdentity(target))) {
    throw new MigrationError('The target of a copy must be another database than the source');
  }
  return withMigrationLock(source.orm, source.database, async () => {
    const revision = (await currentRevision(source))?.rev ?? null;
    const tables = await describeTables(source.orm);
    await prepareTarget(target, revision, force);
    checkShapes(tables, await describeTables(target.orm), target.database.displayUrl);
    const summaries = await inSession(
      source.orm,
      source.database.dialect,
      'snapshot',
      async (reader) => {
        const totals = await countRows(reader, tables);
        return inSession(target.orm, target.database.dialect, 'write', (writer) =>
          loadTables(writer, tables, (table) => readRows(reader, table), { totals, onProgress }),
        );
      },
    );
    return { revision, tables: Object.fromEntries(summaries) };
  });
}
