import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Configuration } from '@mikro-orm/core';
import type { AbstractSqlDriver } from '@mikro-orm/sql';
import { Revision } from './revision.ts';

// Compiled, a revision is a .js file (docs/decisions/0019-compiled-start.md).
const REVISION_FILE = /^(\d{14})_([a-z0-9_]+)\.[jt]s$/;

type RevisionClass = new (driver: AbstractSqlDriver, config: Configuration) => Revision;

export interface RevisionInfo {
  /** The revision id: the timestamp the file name starts with. */
  rev: string;
  /** The file name without `.ts`; what the migrations table records. */
  name: string;
  message: string;
  path: string;
  cls: RevisionClass;
}

function revisionFiles(dir: string): string[] {
  let files: string[];
  try {
    files = readdirSync(dir);
  } catch {
    return [];
  }
  return files.filter((file) => REVISION_FILE.test(file)).sort();
}

/** Every revision in the migration repository, oldest first. */
export async function loadHistory(dir: string): Promise<RevisionInfo[]> {
  const history: RevisionInfo[] = [];
  for (const file of revisionFiles(dir)) {
    const path = join(dir, file);
    const module: Record<string, unknown> = await import(pathToFileURL(path).href);
    const cls = Object.values(module).find(
      (value): value is RevisionClass =>
        typeof value === 'function' && value.prototype instanceof Revision,
    );
    if (!cls) throw new Error(`${file} does not export a Revision class`);
    // The message is an instance field; reading it needs no driver.
    const message = Reflect.construct(cls, [undefined, undefined]).message;
    const [, rev] = REVISION_FILE.exec(file) ?? [];
    history.push({ rev, name: file.replace(/\.[jt]s$/, ''), message, path, cls });
  }
  return history;
}
