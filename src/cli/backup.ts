import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import type { DatabaseConfig } from '../config/load.ts';
import { ConfigError, MigrationError } from '../errors.ts';
import { type DbOptions, withDatabase } from './db.ts';
import { createProgressBar } from './progress-bar.ts';

interface OutputOptions {
  json?: boolean;
}

/** Migration steps go to stderr, so that stdout holds only the result (JSON with --json). */
const toStderr = (line: string) => process.stderr.write(`${line}\n`);

function print(options: OutputOptions, result: unknown, line: string): void {
  console.log(options.json ? JSON.stringify(result) : line);
}

/** Runs long work with a progress bar on a terminal, ending its line whatever happens. */
async function withProgress<T>(
  work: (onProgress?: (stage: string, done: number, total: number) => void) => Promise<T>,
): Promise<T> {
  const bar = createProgressBar();
  try {
    return await work(bar?.update);
  } finally {
    bar?.end();
  }
}

const totalRows = (tables: Record<string, { rows: number }>) =>
  Object.values(tables).reduce((sum, table) => sum + table.rows, 0);

/** `microblog-backup-20261130T090000Z.jsonl.gz`, in the current folder. */
function defaultFile(extension: string): string {
  const stamp = new Date().toISOString().replace(/[-:]|\.\d+/g, '');
  return resolve(`microblog-backup-${stamp}${extension}`);
}

async function instanceSecretKey() {
  const { loadConfig } = await import('../config/load.ts');
  const { secretKeyFile } = await import('../config/secret-key.ts');
  return secretKeyFile(loadConfig().instanceDir);
}

/** The URL of `db copy --to`, its mistakes named after the option. */
async function targetDatabase(url: string): Promise<DatabaseConfig> {
  const [{ parseDatabaseUrl }, { projectRoot }] = await Promise.all([
    import('../config/database-url.ts'),
    import('../config/load.ts'),
  ]);
  try {
    return parseDatabaseUrl(url, projectRoot);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    throw new ConfigError(error.message.replace(/^DATABASE_URL/, '--to'));
  }
}

export function registerBackupCommands(db: Command): void {
  const opts = () => db.opts<DbOptions>();

  db.command('backup')
    .description('write a portable backup of the live database (gzip JSON lines) to FILE')
    .argument('[file]', 'where to write it (default: ./microblog-backup-<UTC time>.jsonl.gz)')
    .option('--native', "SQLite only: the database file itself, by SQLite's VACUUM INTO")
    .option('--with-secrets', 'also store the secret key of INSTANCE_DIR in the backup')
    .option('--json', 'print the result as JSON')
    .action(
      async (
        file: string | undefined,
        options: OutputOptions & { native?: boolean; withSecrets?: boolean },
      ) => {
        if (options.native) {
          if (options.withSecrets)
            throw new MigrationError('--with-secrets needs the portable format, not --native');
          const { loadConfig } = await import('../config/load.ts');
          const { database } = loadConfig();
          if (database.dialect !== 'sqlite' || database.dbName === ':memory:') {
            throw new MigrationError('--native needs a SQLite database file');
          }
          if (!existsSync(database.dbName))
            throw new MigrationError(`No SQLite database at ${database.dbName}`);
          const target = resolve(file ?? defaultFile('.sqlite3'));
          const { nativeSqliteBackup } = await import('../db/backup/native.ts');
          await nativeSqliteBackup(database.dbName, target);
          print(
            options,
            { file: target, native: true },
            `Backed up ${database.dbName} to ${target} (SQLite file).`,
          );
          return;
        }
        let secrets: { secretKey: string } | undefined;
        if (options.withSecrets) {
          const keyFile = await instanceSecretKey();
          if (!existsSync(keyFile)) {
            throw new MigrationError(
              `No secret key file at ${keyFile} (is SECRET_KEY set instead?)`,
            );
          }
          secrets = { secretKey: readFileSync(keyFile, 'utf8').trim() };
        }
        const target = resolve(file ?? defaultFile('.jsonl.gz'));
        const { backupDatabase } = await import('../db/backup/backup.ts');
        const result = await withDatabase(opts(), (context) =>
          withProgress((onProgress) => backupDatabase(context, target, { secrets, onProgress })),
        );
        const tables = Object.keys(result.tables).length;
        print(
          options,
          { ...result, secrets: Boolean(secrets) },
          `Backed up ${totalRows(result.tables)} rows of ${tables} tables at revision ${result.revision ?? 'base'} to ${target} (${result.bytes} bytes).`,
        );
      },
    );

  db.command('restore')
    .description('restore a backup into the database (empty unless --force), then upgrade it')
    .argument('<file>', 'a backup written by `microblog db backup`')
    .option('--force', 'delete what the database holds first')
    .option('--json', 'print the result as JSON')
    .action(async (file: string, options: OutputOptions & { force?: boolean }) => {
      const { restoreBackup } = await import('../db/backup/restore.ts');
      const result = await withDatabase(
        opts(),
        (context) =>
          withProgress((onProgress) =>
            restoreBackup(context, resolve(file), { force: options.force, onProgress }),
          ),
        { create: true, log: toStderr },
      );
      const { secrets, ...shown } = result;
      if (secrets) {
        const keyFile = await instanceSecretKey();
        writeFileSync(keyFile, `${secrets.secretKey}\n`, { mode: 0o600 });
        // `mode` applies only to a new file: an existing key file is made private too.
        chmodSync(keyFile, 0o600);
      }
      print(
        options,
        { ...shown, secrets: Boolean(secrets) },
        `Restored ${totalRows(result.tables)} rows of ${Object.keys(result.tables).length} tables taken at revision ${result.revision ?? 'base'}; the database is at ${result.upgradedTo ?? 'base'}${secrets ? '; secret key restored' : ''}.`,
      );
    });

  db.command('copy')
    .description('copy the whole database into another (any kind), ids included, and verify it')
    .requiredOption('--to <url>', 'the target database URL (empty unless --force)')
    .option('--force', 'delete what the target holds first')
    .option('--json', 'print the result as JSON')
    .action(async (options: OutputOptions & { to: string; force?: boolean }) => {
      const target = await targetDatabase(options.to);
      const { copyDatabase } = await import('../db/backup/copy.ts');
      const result = await withDatabase(opts(), (source) =>
        withDatabase(
          opts(),
          (destination) =>
            withProgress((onProgress) =>
              copyDatabase(source, destination, { force: options.force, onProgress }),
            ),
          { create: true, database: target, log: toStderr },
        ),
      );
      print(
        options,
        { ...result, to: target.displayUrl },
        `Copied ${totalRows(result.tables)} rows of ${Object.keys(result.tables).length} tables at revision ${result.revision ?? 'base'} to ${target.displayUrl}; counts and checksums match.`,
      );
    });
}
