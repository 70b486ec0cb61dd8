import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MikroORM } from '@mikro-orm/core';
import type { SqlEntityManager } from '@mikro-orm/sql';
import { type Config, loadConfig, projectRoot } from '../src/config/load.ts';
import { connectOrFail } from '../src/db/connect.ts';
import { loadHistory } from '../src/db/migrations/history.ts';
import { type MigrationContext, upgrade } from '../src/db/migrations/runner.ts';
import { migrationsDir, openOrm } from '../src/db/orm.ts';
import {
  createTestDatabase,
  currentDialect,
  type TestDatabase,
  type TestDialect,
} from './support/databases.ts';

export { currentDialect } from './support/databases.ts';

/** Signs the test servers' sessions and tokens (SECRET_KEY needs 32 characters). */
export const TEST_SECRET_KEY = 'test-secret-key-of-at-least-32-characters';

/** A config for tests: no `.env`, a throwaway instance folder and a fixed secret. */
export function testConfig(
  databaseUrl: string,
  extra: Record<string, string> = {},
): Readonly<Config> {
  const root = mkdtempSync(join(tmpdir(), 'microblog-config-'));
  return loadConfig({ DATABASE_URL: databaseUrl, SECRET_KEY: TEST_SECRET_KEY, ...extra }, root);
}

export interface TestContext {
  database: TestDatabase;
  config: Readonly<Config>;
  orm: MikroORM;
  /** Migration context for runner calls; its log collects the lines. */
  migrations: MigrationContext & { lines: string[] };
  em(): SqlEntityManager;
  close(): Promise<void>;
}

/** A fresh database on the dialect under test (or another), optionally upgraded to head. */
export async function openTestDatabase({
  migrate = true,
  dialect = currentDialect(),
}: {
  migrate?: boolean;
  dialect?: TestDialect;
} = {}): Promise<TestContext> {
  const database = await createTestDatabase(dialect);
  const config = testConfig(database.url);
  const orm = await openOrm(config);
  await connectOrFail(orm, config.database);
  const lines: string[] = [];
  const migrations = {
    orm,
    database: config.database,
    history: await loadHistory(migrationsDir),
    log: (line: string) => lines.push(line),
    lines,
  };
  if (migrate) await upgrade(migrations);
  return {
    database,
    config,
    orm,
    migrations,
    em: () => orm.em.fork() as SqlEntityManager,
    close: async () => {
      await orm.close();
      await database.drop();
    },
  };
}

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the real `microblog` bin as a child process. */
export function runCli(
  args: string[],
  env: Record<string, string> = {},
  input?: string,
): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(projectRoot, 'bin', 'microblog.js'), ...args], {
      cwd: projectRoot,
      env: { ...process.env, SECRET_KEY: TEST_SECRET_KEY, ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
    });
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(input);
  });
}
