#!/usr/bin/env node
// Compiles src/ and migrations/ to plain JavaScript in dist/, so `microblog run` starts
// without compiling TypeScript at run time (docs/decisions/0019-compiled-start.md). Run by
// `npm install` (prepare) and `npm start` (prestart); it does nothing while dist/ is current,
// and nothing where the compiler is not installed (a production install without dev
// dependencies runs the sources through tsx instead).
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, readdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { buildIsCurrent, STAMP } from '../bin/build-state.js';

const root = new URL('..', import.meta.url).pathname;
if (buildIsCurrent(root)) process.exit(0);
let tsc;
try {
  const manifest = createRequire(import.meta.url).resolve('typescript/package.json');
  tsc = join(dirname(manifest), 'bin', 'tsc');
} catch {
  process.exit(0);
}
if (!existsSync(tsc)) process.exit(0);
execFileSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { cwd: root, stdio: 'inherit' });
// `db check` compares the models with the committed snapshots, beside the revisions.
for (const file of readdirSync(`${root}migrations`)) {
  if (file.startsWith('.snapshot-'))
    copyFileSync(`${root}migrations/${file}`, `${root}dist/migrations/${file}`);
}
writeFileSync(`${root}${STAMP}`, `${new Date().toISOString()}\n`);
