import type { MikroORM } from '@mikro-orm/core';
import type { SqlEntityManager } from '@mikro-orm/sql';
import type { Config } from '../config/load.ts';
import type { ProgressListener } from '../domain/progress.ts';
import { MigrationError } from '../errors.ts';
import { createProgressBar } from './progress-bar.ts';

/**
 * Opens the configured database for a command, refusing one that is not at the latest
 * revision. Loaded on demand, with the modules it needs, so `--help` stays fast.
 */
export async function openDatabase(): Promise<{ config: Config; orm: MikroORM }> {
  const [{ loadConfig }, { openOrm, migrationsDir }, { connectOrFail }, { loadHistory }, runner] =
    await Promise.all([
      import('../config/load.ts'),
      import('../db/orm.ts'),
      import('../db/connect.ts'),
      import('../db/migrations/history.ts'),
      import('../db/migrations/runner.ts'),
    ]);
  const config = loadConfig();
  const orm = await openOrm(config);
  try {
    await connectOrFail(orm, config.database);
    const history = await loadHistory(migrationsDir);
    const context = { orm, database: config.database, history, log: () => {} };
    if ((await runner.pendingRevisions(context)).length > 0) {
      throw new MigrationError('The database is not up to date: run "microblog db upgrade" first');
    }
    return { config, orm };
  } catch (error) {
    await orm.close();
    throw error;
  }
}

/** Runs `work` on the configured database, with a progress bar on a terminal. */
export async function withEntityManager<T>(
  work: (em: SqlEntityManager, progress?: ProgressListener) => Promise<T>,
): Promise<T> {
  const { orm } = await openDatabase();
  const bar = createProgressBar();
  try {
    return await work(orm.em.fork() as SqlEntityManager, bar?.update);
  } finally {
    bar?.end();
    await orm.close();
  }
}
