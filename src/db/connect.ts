import { existsSync } from 'node:fs';
import { dirname } from 'node:path';
import type { MikroORM } from '@mikro-orm/core';
import type { DatabaseConfig } from '../config/load.ts';
import { ConnectionError } from '../errors.ts';

/**
 * Connects, or fails in one clear line. A SQLite file is created only when `create`
 * is set (upgrade and run), so a mistyped path in a read-only command is reported
 * rather than answered with an empty database.
 */
export async function connectOrFail(
  orm: MikroORM,
  database: DatabaseConfig,
  { create = true }: { create?: boolean } = {},
): Promise<void> {
  if (database.dialect === 'sqlite' && database.dbName !== ':memory:') {
    const folder = dirname(database.dbName);
    if (!existsSync(folder))
      throw new ConnectionError(`The folder of the SQLite database does not exist: ${folder}`);
    if (!create && !existsSync(database.dbName)) {
      throw new ConnectionError(
        `No SQLite database at ${database.dbName}: run "microblog db upgrade" to create it`,
      );
    }
  }
  try {
    await orm.connect();
  } catch {
    // The check below gives the reason.
  }
  const check = await orm.checkConnection();
  if (!check.ok) {
    const reason = check.error?.message ?? check.reason;
    throw new ConnectionError(`Cannot connect to ${database.displayUrl}: ${reason.split('\n')[0]}`);
  }
}
