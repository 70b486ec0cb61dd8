import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mysql from 'mysql2/promise';
import pg from 'pg';

/** The databases the suite runs on; `scripts/test.ts` runs it once for each. */
export type TestDialect = 'sqlite' | 'postgresql' | 'mariadb';

/** Where each server's admin URL comes from; the suite creates its own databases there. */
export const SERVER_URL_VARIABLES = {
  postgresql: 'TEST_POSTGRES_URL',
  mariadb: 'TEST_MARIADB_URL',
} as const;

export function currentDialect(): TestDialect {
  const dialect = process.env.TEST_DATABASE ?? 'sqlite';
  if (dialect !== 'sqlite' && dialect !== 'postgresql' && dialect !== 'mariadb') {
    throw new Error(`TEST_DATABASE must be sqlite, postgresql or mariadb, not "${dialect}"`);
  }
  return dialect;
}

export interface TestDatabase {
  dialect: TestDialect;
  /** A DATABASE_URL for the new, empty database. */
  url: string;
  drop(): Promise<void>;
}

function serverUrl(dialect: 'postgresql' | 'mariadb'): URL {
  const value = process.env[SERVER_URL_VARIABLES[dialect]];
  if (!value) throw new Error(`${SERVER_URL_VARIABLES[dialect]} is not set`);
  return new URL(value);
}

/** A name no other run, process or test can be using at the same time. */
function uniqueName(): string {
  return `mbt_${Date.now().toString(36)}_${process.pid}_${randomBytes(3).toString('hex')}`;
}

function withDatabase(url: URL, name: string, scheme: string): string {
  const copy = new URL(url);
  copy.pathname = `/${name}`;
  return copy.toString().replace(/^[a-z]+:/, `${scheme}:`);
}

async function onPostgres<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: serverUrl('postgresql').toString() });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

async function onMariadb<T>(work: (connection: mysql.Connection) => Promise<T>): Promise<T> {
  const url = serverUrl('mariadb');
  const connection = await mysql.createConnection({
    host: url.hostname,
    port: Number(url.port || 3306),
    user: decodeURIComponent(url.username),
    password: decodeURIComponent(url.password),
  });
  try {
    return await work(connection);
  } finally {
    await connection.end();
  }
}

/** Creates a fresh, empty database on the dialect under test. */
export async function createTestDatabase(dialect = currentDialect()): Promise<TestDatabase> {
  if (dialect === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'microblog-test-'));
    return {
      dialect,
      url: `sqlite:///${join(dir, 'test.db')}`,
      drop: async () => rmSync(dir, { recursive: true, force: true }),
    };
  }
  const name = uniqueName();
  if (dialect === 'postgresql') {
    await onPostgres((client) => client.query(`create database "${name}"`));
    return {
      dialect,
      url: withDatabase(serverUrl(dialect), name, 'postgresql'),
      drop: () =>
        onPostgres((client) => client.query(`drop database if exists "${name}" with (force)`)).then(
          () => {},
        ),
    };
  }
  await onMariadb((connection) => connection.query(`create database \`${name}\``));
  return {
    dialect,
    url: withDatabase(serverUrl(dialect), name, 'mariadb'),
    drop: () =>
      onMariadb((connection) => connection.query(`drop database if exists \`${name}\``)).then(
        () => {},
      ),
  };
}

/** Why a server cannot be used for tests, or undefined when it answers. */
export async function serverProblem(
  dialect: 'postgresql' | 'mariadb',
): Promise<string | undefined> {
  if (!process.env[SERVER_URL_VARIABLES[dialect]])
    return `${SERVER_URL_VARIABLES[dialect]} is not set`;
  try {
    if (dialect === 'postgresql') await onPostgres((client) => client.query('select 1'));
    else await onMariadb((connection) => connection.query('select 1'));
    return undefined;
  } catch (error) {
    return `cannot connect: ${(error as Error).message}`;
  }
}
