#!/usr/bin/env node
// The `microblog` command. It checks the Node.js version before loading anything native:
// better-sqlite3 13 crashes older versions with a bare "Segmentation fault".
const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 17)) {
  process.stderr.write(
    `microblog: Node.js 22.17 or later is needed (24 LTS recommended); this is ${process.version}\n`,
  );
  process.exit(1);
}

// The compiled JavaScript in dist/ when it is current; else the TypeScript sources through
// tsx (docs/decisions/0019-compiled-start.md). Writing revisions needs the sources.
const { buildIsCurrent } = await import('./build-state.js');
const root = new URL('..', import.meta.url).pathname;
const [command, subcommand] = process.argv.slice(2).filter((arg) => !arg.startsWith('-'));
const writesRevisions =
  command === 'db' &&
  (['migrate', 'init'].includes(subcommand) ||
    process.argv.some((arg) => arg === '-d' || arg.startsWith('--directory')));
if (!writesRevisions && buildIsCurrent(root)) {
  await import('../dist/src/cli/main.js');
} else {
  const { register } = await import('tsx/esm/api');
  register({ tsconfig: new URL('../tsconfig.json', import.meta.url).pathname });
  await import('../src/cli/main.ts');
}
