import { chmodSync } from 'node:fs';
import Database from 'better-sqlite3';
import { writeAtomically } from './archive.ts';

/**
 * SQLite's own online copy: `VACUUM INTO` writes a compact copy of the database from one read
 * transaction, so writers carry on (WAL) and the copy is consistent. Unlike the online backup
 * API it never restarts when the site writes meanwhile.
 */
export async function nativeSqliteBackup(dbName: string, file: string): Promise<void> {
  await writeAtomically(file, async (temporary) => {
    const db = new Database(dbName, { readonly: true, fileMustExist: true });
    try {
      db.pragma('busy_timeout = 5000');
      db.prepare('vacuum into ?').run(temporary);
      // As private as the database: VACUUM INTO creates the copy with the default mode.
      chmodSync(temporary, 0o600);
    } finally {
      db.close();
    }
  });
}
