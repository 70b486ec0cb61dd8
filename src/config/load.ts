import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseDotenv } from 'dotenv';
import { ConfigError } from '../errors.ts';
import { loadOrCreateSecretKey } from './secret-key.ts';
import { SETTINGS, type Setting, type Settings } from './settings.ts';

export type { DatabaseConfig, Dialect } from './database-url.ts';
export type { RateLimit } from './parsers.ts';

/**
 * The project folder, where package.json is: where `.env` is read and every relative path
 * resolves, whether this module runs from src/ or compiled in dist/.
 */
export const projectRoot = (() => {
  let folder = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(folder, 'package.json'))) {
    const parent = dirname(folder);
    if (parent === folder) throw new Error('package.json not found above src/config');
    folder = parent;
  }
  return folder;
})();

export type Config = Readonly<
  Omit<Settings, 'secretKey'> & {
    secretKey: string;
    /** Set when SECRET_KEY was generated rather than configured, so start-up can warn. */
    secretKeyGenerated: boolean;
  }
>;

export type MailConfig = Config['mail'];
export type TokenConfig = Config['tokens'];
export type RateLimitConfig = Config['rateLimits'];

type Table = { [key: string]: Setting<unknown> | Table };

const isSetting = (entry: Setting<unknown> | Table): entry is Setting<unknown> =>
  typeof entry.read === 'function';

/** Reads every setting of a (nested) table, freezing each level. */
function readTable(table: Table, vars: Record<string, string | undefined>, base: string) {
  const values: Record<string, unknown> = {};
  for (const [key, entry] of Object.entries(table)) {
    values[key] = isSetting(entry)
      ? entry.read(vars[entry.env]?.trim(), base)
      : readTable(entry, vars, base);
  }
  return Object.freeze(values);
}

/** Every setting, from the table, in the order the README lists them. */
export function allSettings(table: Table = SETTINGS): Setting<unknown>[] {
  return Object.values(table).flatMap((entry) => (isSetting(entry) ? [entry] : allSettings(entry)));
}

/**
 * Reads the environment, and `.env` in `root` without overriding variables already set,
 * once; validates every setting and returns them typed and frozen. A bad value is a
 * ConfigError naming the variable.
 */
export function loadConfig(
  env: Record<string, string | undefined> = process.env,
  root = projectRoot,
): Config {
  const dotenv = join(root, '.env');
  const vars = { ...(existsSync(dotenv) ? parseDotenv(readFileSync(dotenv)) : {}), ...env };
  const settings = readTable(SETTINGS, vars, root) as Settings;
  // Only PostgreSQL's replicas are supported (docs/decisions/0035-read-replicas.md).
  const replicas = settings.databaseReplicas ?? [];
  if (replicas.length > 0 && settings.database.dialect !== 'postgresql') {
    throw new ConfigError('DATABASE_REPLICA_URLS needs a PostgreSQL DATABASE_URL');
  }
  if (replicas.some((replica) => replica.dialect !== 'postgresql')) {
    throw new ConfigError('DATABASE_REPLICA_URLS must name PostgreSQL databases');
  }
  return Object.freeze({
    ...settings,
    secretKey: settings.secretKey ?? loadOrCreateSecretKey(settings.instanceDir),
    secretKeyGenerated: settings.secretKey === undefined,
  });
}
