import { once } from 'node:events';
import {
  closeSync,
  createReadStream,
  createWriteStream,
  existsSync,
  fsyncSync,
  openSync,
} from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { finished } from 'node:stream/promises';
import { createGunzip, createGzip } from 'node:zlib';
import { MigrationError } from '../../errors.ts';
import type { TableShape } from './tables.ts';
import type { ArchiveValue, TableSummary } from './values.ts';

export const ARCHIVE_FORMAT = 'microblog-backup';
export const ARCHIVE_VERSION = 1;

/**
 * The first line of an archive. Then, for each table in `tables` order, its rows (one JSON
 * array per line, values in `columns` order) and a `TableEnd` line
 * (docs/decisions/0025-portable-backups.md).
 */
export interface ArchiveHeader {
  format: typeof ARCHIVE_FORMAT;
  version: typeof ARCHIVE_VERSION;
  /** The schema revision the rows were taken at; null for a database at base. */
  revision: string | null;
  createdAt: string;
  /** The kind of database it was taken from, for information. */
  source: string;
  tables: TableShape[];
  /** Only with `--with-secrets`. */
  secrets?: { secretKey: string };
}

export interface TableEnd extends TableSummary {
  table: string;
}

/** Flushes a file or folder to disk. */
function fsyncPath(path: string): void {
  const fd = openSync(path, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/**
 * Writes a file so that it only ever appears complete: into a temporary file beside it, which
 * is flushed to disk and then renamed over the final name (and the folder flushed too).
 */
export async function writeAtomically(
  file: string,
  write: (temporary: string) => Promise<void>,
): Promise<void> {
  const folder = dirname(file);
  if (!existsSync(folder)) throw new MigrationError(`The folder ${folder} does not exist`);
  const temporary = join(folder, `.${basename(file)}.${process.pid}.partial`);
  try {
    await write(temporary);
    fsyncPath(temporary);
    await rename(temporary, file);
    fsyncPath(folder);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}

/** A gzip'd JSON-lines writer with back-pressure; `write` takes lines already joined. */
export class ArchiveWriter {
  private readonly gzip = createGzip();
  private readonly done: Promise<void>;

  constructor(path: string) {
    // Password hashes, emails, private messages (and with --with-secrets the secret key):
    // for the owner's eyes only.
    const out = createWriteStream(path, { mode: 0o600 });
    this.gzip.pipe(out);
    this.done = finished(out);
    // An error is reported by `close`; this keeps it from being unhandled meanwhile.
    this.done.catch(() => {});
  }

  async write(lines: unknown[]): Promise<void> {
    const text = lines.map((line) => `${JSON.stringify(line)}\n`).join('');
    if (!this.gzip.write(text)) await once(this.gzip, 'drain');
  }

  async close(): Promise<void> {
    this.gzip.end();
    await this.done;
  }
}

/** Why a file is no usable archive, as one line. */
function unreadable(file: string, why: string): MigrationError {
  return new MigrationError(`${file} is not a readable Microblog backup: ${why}`);
}

/** The lines of an archive, parsed; the first is checked to be a header this code reads. */
export async function* readArchive(
  file: string,
): AsyncGenerator<ArchiveHeader | ArchiveValue[] | TableEnd> {
  if (!existsSync(file)) throw new MigrationError(`No backup file at ${file}`);
  const gunzip = createGunzip();
  const input = createReadStream(file).on('error', (error) => gunzip.destroy(error));
  const lines = createInterface({ input: input.pipe(gunzip), crlfDelay: Number.POSITIVE_INFINITY });
  let first = true;
  try {
    for await (const line of lines) {
      let value: unknown;
      try {
        value = JSON.parse(line);
      } catch {
        throw unreadable(file, 'a line is not JSON');
      }
      if (first) {
        const header = value as Partial<ArchiveHeader> | null;
        if (header?.format !== ARCHIVE_FORMAT) throw unreadable(file, 'no backup header');
        if (header.version !== ARCHIVE_VERSION) {
          throw unreadable(
            file,
            `format version ${header.version} (this Microblog reads ${ARCHIVE_VERSION})`,
          );
        }
        first = false;
      }
      yield value as ArchiveHeader | ArchiveValue[] | TableEnd;
    }
  } catch (error) {
    if (error instanceof MigrationError) throw error;
    throw unreadable(file, (error as Error).message);
  } finally {
    input.destroy();
  }
  if (first) throw unreadable(file, 'it is empty');
}
