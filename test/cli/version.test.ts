import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { projectRoot } from '../../src/config/load.ts';
import { currentDialect, runCli } from '../helpers.ts';

/** A Node.js older than 22.17 on this machine (Debian's is 20), or why there is none. */
function oldNode(): { path?: string; problem?: string } {
  const path = '/usr/bin/node';
  if (!existsSync(path)) return { problem: `no Node.js at ${path}` };
  const version = spawnSync(path, ['-p', 'process.versions.node'], { encoding: 'utf8' }).stdout;
  const [major, minor] = version.trim().split('.').map(Number);
  if (major > 22 || (major === 22 && minor >= 17)) return { problem: `${path} is ${version}` };
  return { path };
}

describe('the microblog command and its version', {
  skip: currentDialect() !== 'sqlite' && 'dialect-independent',
}, () => {
  test('--version prints the version of package.json', async () => {
    const { version } = JSON.parse(readFileSync(join(projectRoot, 'package.json'), 'utf8'));
    for (const flag of ['--version', '-V']) {
      const result = await runCli([flag]);
      assert.equal(result.code, 0);
      assert.equal(result.stdout, `${version}\n`);
    }
  });

  const old = oldNode();
  test('an older Node.js gets one line saying which is needed, before anything native loads', {
    skip: old.problem && `needs an old Node.js: ${old.problem}`,
  }, () => {
    const node = old.path ?? 'node';
    for (const args of [['run'], ['--help'], ['db', 'upgrade']]) {
      const result: { status: number | null; stdout: string; stderr: string } = spawnSync(
        node,
        [join(projectRoot, 'bin', 'microblog.js'), ...args],
        {
          encoding: 'utf8',
          env: { ...process.env, DATABASE_URL: 'sqlite://' },
        },
      );
      assert.equal(result.status, 1, args.join(' '));
      assert.equal(result.stdout, '');
      assert.match(
        result.stderr,
        /^microblog: Node\.js 22\.17 or later is needed .*; this is v\d+\.\d+\.\d+\n$/,
      );
    }
  });
});
