import { MigrationError } from '../../errors.ts';
import {
  currentRevision,
  downgrade,
  type MigrationContext,
  upgrade,
} from '../migrations/runner.ts';
import { countRows } from './rows.ts';
import { inSession } from './session.ts';
import { describeTables, type TableShape } from './tables.ts';

/**
 * Brings the target of a restore or copy to `revision` with no rows in it. A database that
 * holds rows is refused unless `force`, which deletes them first (children before parents).
 */
export async function prepareTarget(
  context: MigrationContext,
  revision: string | null,
  force: boolean,
): Promise<void> {
  const { orm, database, history } = context;
  const current = await currentRevision(context);
  if (current) {
    const tables = await describeTables(orm);
    const counts = await inSession(orm, database.dialect, 'write', (session) =>
      countRows(session, tables),
    );
    const rows = [...counts.values()].reduce((sum, count) => sum + count, 0);
    if (rows > 0) {
      if (!force) {
        throw new MigrationError(
          `${database.displayUrl} is not empty (${rows} rows): add --force to replace its content`,
        );
      }
      await inSession(orm, database.dialect, 'write', async (session) => {
        for (const table of [...tables].reverse()) {
          await session.query(`delete from ${session.quote(table.name)}`);
        }
      });
    }
  }
  const at = current ? history.indexOf(current) : -1;
  const wanted = revision === null ? -1 : history.findIndex((r) => r.rev === revision);
  if (wanted < at) await downgrade(context, revision ?? 'base');
  else if (wanted > at) await upgrade(context, revision ?? 'head');
}

/** Refuses a target whose tables differ from the source's: nothing would load right. */
export function checkShapes(source: TableShape[], target: TableShape[], where: string): void {
  const describe = (tables: TableShape[]) =>
    tables
      .map((table) => `${table.name}(${table.columns.map((column) => column.name).sort()})`)
      .sort()
      .join(' ');
  if (describe(source) !== describe(target)) {
    throw new MigrationError(
      `The tables of ${where} differ from the source's at the same revision`,
    );
  }
}
