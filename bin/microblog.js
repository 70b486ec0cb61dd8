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

// tsx runs the TypeScript sources, with the project's tsconfig wherever the command runs.
const { register } = await import('tsx/esm/api');
register({ tsconfig: new URL('../tsconfig.json', import.meta.url).pathname });
await import('../src/cli/main.ts');
