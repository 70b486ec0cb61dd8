import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError } from '../errors.ts';

/** Where the generated key is kept (backed up only with `db backup --with-secrets`). */
export function secretKeyFile(instanceDir: string): string {
  return join(instanceDir, 'secret_key');
}

/**
 * Without SECRET_KEY, a key is generated once and kept in the instance folder (mode 0600),
 * so that restarts do not sign everyone out.
 */
export function loadOrCreateSecretKey(instanceDir: string): string {
  const file = secretKeyFile(instanceDir);
  if (existsSync(file)) {
    const key = readFileSync(file, 'utf8').trim();
    if (key.length < 32) {
      throw new ConfigError(
        `${file} holds no usable key (under 32 characters): delete it or set SECRET_KEY`,
      );
    }
    // Keep it private even if someone loosened it.
    if ((statSync(file).mode & 0o077) !== 0) chmodSync(file, 0o600);
    return key;
  }
  mkdirSync(instanceDir, { recursive: true, mode: 0o700 });
  const key = randomBytes(32).toString('hex');
  try {
    writeFileSync(file, `${key}\n`, { mode: 0o600, flag: 'wx' });
  } catch (error) {
    // Two first starts raced: the other one's key wins.
    if ((error as NodeJS.ErrnoException).code === 'EEXIST')
      return loadOrCreateSecretKey(instanceDir);
    throw error;
  }
  chmodSync(file, 0o600);
  return key;
}
