import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MigrationError } from '../../errors.ts';
import { EMPTY_SNAPSHOT, SCRIPT_DIALECTS, snapshotPath } from './snapshots.ts';

const BASE_CLASS = fileURLToPath(new URL('./revision.ts', import.meta.url));

/**
 * Creates a migration repository: the folder, a `revision.ts` that wires revisions to
 * the base class, and one empty snapshot per dialect. Returns the files it wrote.
 */
export function initRepository(dir: string): string[] {
  if (existsSync(dir) && readdirSync(dir).length > 0) {
    throw new MigrationError(`Directory ${dir} already exists and is not empty`);
  }
  mkdirSync(dir, { recursive: true });
  let target = relative(dir, BASE_CLASS).split('\\').join('/');
  if (!target.startsWith('.')) target = `./${target}`;
  const files = [join(dir, 'revision.ts')];
  writeFileSync(files[0], `export { Revision } from '${target}';\n`);
  for (const dialect of SCRIPT_DIALECTS) {
    const file = snapshotPath(dir, dialect);
    writeFileSync(file, EMPTY_SNAPSHOT);
    files.push(file);
  }
  return files;
}

export function assertRepository(dir: string): void {
  // Compiled (dist/migrations), the wiring is revision.js.
  if (!['revision.ts', 'revision.js'].some((file) => existsSync(join(dir, file)))) {
    throw new MigrationError(`No migration repository at ${dir}: run "microblog db init" first`);
  }
}
