import { statSync } from 'node:fs';
import { withMigrationLock } from '../migrations/lock.ts';
import { currentRevision, type MigrationContext } from '../migrations/runner.ts';
import {
  ARCHIVE_FORMAT,
  ARCHIVE_VERSION,
  type ArchiveHeader,
  ArchiveWriter,
  writeAtomically,
} from './archive.ts';
import type { Progress } from './load.ts';
import { countRows, readRows } from './rows.ts';
import { inSession } from './session.ts';
import { describeTables } from './tables.ts';
import { TableChecksum, type TableSummary } from './values.ts';

export interface BackupOptions {
  secrets?: ArchiveHeader['secrets'];
  onProgress?: Progress;
}

export interface BackupResult {
  file: string;
  revision: string | null;
  bytes: number;
  tables: Record<string, TableSummary>;
}

/**
 * Writes a portable archive of the whole database as it was at one moment, while the site
 * keeps running: every table read in one snapshot transaction, streamed in batches into a
 * gzip'd JSON-lines file that appears only once complete. The migration lock is held
 * meanwhile, so no revision changes the tables under it.
 */
export async function backupDatabase(
  context: MigrationContext,
  file: string,
  { secrets, onProgress }: BackupOptions = {},
): Promise<BackupResult> {
  const { orm, database } = context;
  return withMigrationLock(orm, database, async () => {
    const revision = (await currentRevision(context))?.rev ?? null;
    const tables = await describeTables(orm);
    const summaries: Record<string, TableSummary> = {};
    await writeAtomically(file, async (temporary) => {
      const writer = new ArchiveWriter(temporary);
      try {
        await inSession(orm, database.dialect, 'snapshot', async (session) => {
          const totals = await countRows(session, tables);
          const header: ArchiveHeader = {
            format: ARCHIVE_FORMAT,
            version: ARCHIVE_VERSION,
            revision,
            createdAt: new Date().toISOString(),
            source: database.dialect,
            tables: tables.map((table) => ({ ...table, rows: totals.get(table.name) ?? 0 })),
            ...(secrets ? { secrets } : {}),
          };
          await writer.write([header]);
          for (const table of tables) {
            const checksum = new TableChecksum();
            const total = totals.get(table.name) ?? 0;
            for await (const batch of readRows(session, table)) {
              for (const row of batch) checksum.add(row);
              await writer.write(batch);
              onProgress?.(table.name, checksum.rows, Math.max(total, checksum.rows));
            }
            summaries[table.name] = checksum.summary();
            await writer.write([{ table: table.name, ...summaries[table.name] }]);
          }
        });
      } finally {
        await writer.close();
      }
    });
    return { file, revision, bytes: statSync(file).size, tables: summaries };
  });
}
