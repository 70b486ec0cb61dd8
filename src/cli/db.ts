import { resolve } from 'node:path';
import type { Command } from 'commander';
import { MigrationError } from '../errors.ts';

export interface DbOptions {
  directory?: string;
}

/** Loaded on first use, so `microblog --help` stays fast. */
async function migrationsDirectory(options: DbOptions): Promise<string> {
  if (options.directory) return resolve(options.directory);
  return (await import('../db/orm.ts')).migrationsDir;
}

interface OpenOptions {
  /** Create a SQLite file that does not exist yet. */
  create?: boolean;
  /** Another database than DATABASE_URL's (`db copy --to`). */
  database?: import('../config/load.ts').DatabaseConfig;
  /** Where migration steps are reported; stdout by default. */
  log?: (line: string) => void;
}

/** Opens a database for a `db` command, failing in one line if it is unreachable. */
export async function withDatabase<T>(
  options: DbOptions,
  work: (context: import('../db/migrations/runner.ts').MigrationContext) => Promise<T>,
  { create = false, database, log = (line) => console.log(line) }: OpenOptions = {},
): Promise<T> {
  const [{ loadConfig }, { openOrm }, { loadHistory }, { assertRepository }, { connectOrFail }] =
    await Promise.all([
      import('../config/load.ts'),
      import('../db/orm.ts'),
      import('../db/migrations/history.ts'),
      import('../db/migrations/repository.ts'),
      import('../db/connect.ts'),
    ]);
  const directory = await migrationsDirectory(options);
  assertRepository(directory);
  const target = database ?? loadConfig().database;
  const orm = await openOrm({ database: target }, { migrationsPath: directory });
  try {
    await connectOrFail(orm, target, { create });
    const history = await loadHistory(directory);
    return await work({ orm, database: target, history, log });
  } finally {
    await orm.close();
  }
}

/** Registers `microblog db …`; returns the `db` command, for other files to add theirs. */
export function registerDbCommands(program: Command): Command {
  const db = program
    .command('db')
    .description(
      'database migrations (init, migrate, upgrade, downgrade, current, history, check) and backups',
    )
    .option('-d, --directory <dir>', "migration repository (default: the project's migrations/)");
  const opts = () => db.opts<DbOptions>();

  db.command('init')
    .description('create the migration repository (refuses to overwrite one)')
    .action(async () => {
      const { initRepository } = await import('../db/migrations/repository.ts');
      for (const file of initRepository(await migrationsDirectory(opts()))) {
        console.log(`  Generating ${file} ... done`);
      }
    });

  db.command('migrate')
    .description('autogenerate a revision from model changes (offline: needs no database)')
    .requiredOption('-m, --message <message>', 'what the revision does, e.g. "users table"')
    .action(async ({ message }: { message: string }) => {
      if (!message.trim()) throw new MigrationError('db migrate needs a non-empty -m/--message');
      const { assertRepository } = await import('../db/migrations/repository.ts');
      const { generateRevision } = await import('../db/migrations/generate.ts');
      const directory = await migrationsDirectory(opts());
      assertRepository(directory);
      const { file, detected } = await generateRevision(message.trim(), directory);
      if (!file) {
        console.log('No changes in schema detected.');
        return;
      }
      for (const line of detected) console.log(line);
      console.log(`  Generating ${resolve(directory, file)} ... done`);
    });

  db.command('upgrade')
    .description('apply pending revisions up to TARGET (head, a revision, or +N)')
    .argument('[target]', 'revision to stop at', 'head')
    .action(async (target: string) => {
      const { upgrade } = await import('../db/migrations/runner.ts');
      await withDatabase(opts(), (context) => upgrade(context, target), { create: true });
    });

  db.command('downgrade')
    .description('revert the last revision, or down to TARGET (a revision, -N, or base)')
    .argument('[target]', 'revision to go back to')
    .action(async (target?: string) => {
      const { downgrade } = await import('../db/migrations/runner.ts');
      await withDatabase(opts(), (context) => downgrade(context, target));
    });

  db.command('current')
    .description('show the revision the database is at')
    .action(async () => {
      const { currentRevision } = await import('../db/migrations/runner.ts');
      await withDatabase(opts(), async (context) => {
        const current = await currentRevision(context);
        const head = context.history.at(-1);
        if (!current) console.log('base');
        else console.log(`${current.rev}${current === head ? ' (head)' : ''}, ${current.message}`);
      });
    });

  db.command('history')
    .description('list the revisions, newest first')
    .action(async () => {
      const { loadHistory } = await import('../db/migrations/history.ts');
      const { assertRepository } = await import('../db/migrations/repository.ts');
      const directory = await migrationsDirectory(opts());
      assertRepository(directory);
      const history = await loadHistory(directory);
      history.reverse().forEach((revision, index, newestFirst) => {
        const previous = newestFirst[index + 1]?.rev ?? '<base>';
        const head = index === 0 ? ' (head)' : '';
        console.log(`${previous} -> ${revision.rev}${head}, ${revision.message}`);
      });
    });

  db.command('check')
    .description('exit non-zero unless models, revisions and the database all agree')
    .action(async () => {
      const { checkEverything } = await import('../db/migrations/check.ts');
      const directory = await migrationsDirectory(opts());
      const problems = await withDatabase(opts(), (context) => checkEverything(context, directory));
      if (problems.length === 0) {
        console.log('No changes in schema detected: models, revisions and database agree.');
        return;
      }
      for (const problem of problems) console.error(problem);
      process.exitCode = 1;
    });
  return db;
}
