import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { projectRoot } from '../src/config.ts';
import { currentDialect } from './helpers.ts';
import { createTestDatabase, type TestDatabase } from './support/databases.ts';

/** Starts `microblog run` on a free port and resolves with its URL once it listens. */
function startServer(databaseUrl: string) {
  const child = spawn(
    process.execPath,
    [join(projectRoot, 'bin', 'microblog.js'), 'run', '--host', '127.0.0.1', '--port', '0'],
    {
      env: {
        ...process.env,
        DATABASE_URL: databaseUrl,
        SECRET_KEY: 'test-secret-key',
        LOG_LEVEL: 'info',
      },
    },
  );
  let output = '';
  const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
  const listening = new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (chunk) => {
      output += chunk;
      const match = /Server listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
      if (match) resolve(match[1]);
    });
    child.stderr.on('data', (chunk) => {
      output += chunk;
    });
    exited.then(() => reject(new Error(`the server exited: ${output}`)));
  });
  return { child, listening, exited, output: () => output };
}

describe(`microblog run on ${currentDialect()}`, () => {
  let database: TestDatabase;
  before(async () => {
    database = await createTestDatabase();
  });
  after(() => database.drop());

  test('start-up creates the database, migrates it, serves, and SIGTERM closes it cleanly', async () => {
    const server = startServer(database.url);
    const url = await server.listening;
    assert.match(server.output(), /Running upgrade {2}-> \d{14}, users table/);
    const page = await fetch(`${url}/explore`);
    assert.equal(page.status, 200);
    assert.match(await page.text(), /No posts yet/);
    assert.deepEqual(await (await fetch(`${url}/healthz`)).json(), {
      status: 'ok',
      database: 'ok',
    });
    server.child.kill('SIGTERM');
    assert.equal(await server.exited, 0);
    assert.match(server.output(), /SIGTERM received: closing/);
    if (database.dialect === 'sqlite') {
      const file = database.url.replace('sqlite:///', '');
      assert.ok(existsSync(file));
      // A clean close checkpoints the WAL and removes it.
      assert.ok(!existsSync(`${file}-wal`) || statSync(`${file}-wal`).size === 0);
    }
  });

  test('a restart finds nothing to migrate', async () => {
    const server = startServer(database.url);
    await server.listening;
    assert.doesNotMatch(server.output(), /Running upgrade/);
    server.child.kill('SIGINT');
    assert.equal(await server.exited, 0);
  });
});
