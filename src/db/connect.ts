import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { MikroORM } from '@mikro-orm/core';
import type { DatabaseConfig } from '../config.ts';
import { MigrationError } from './migrations/runner.ts';

/** Connects, creating a SQLite file's folder if needed; an unreachable database is one clear line. */
export async function connectOrFail(orm: MikroORM, database: DatabaseConfig): Promise<void> {
  if (database.dialect === 'sqlite' && database.dbName !== ':memory:') {
    mkdirSync(dirname(database.dbName), { recursive: true });
  }
  try {
    await orm.connect();
  } catch {
    // The check below gives the reason.
  }
  const check = await orm.checkConnection();
  if (!check.ok) {
    const reason = check.error?.message ?? check.reason;
    throw new MigrationError(`Cannot connect to ${database.displayUrl}: ${reason.split('\n')[0]}`);
  }
}
