import assert from 'node:assert/strict';
import { existsSync, statSync } from 'node:fs';
import { afterEach, beforeEach, describe, test } from 'node:test';
import { currentDialect, TEST_SECRET_KEY } from '../helpers.ts';
import { createTestDatabase, type TestDatabase } from '../support/databases.ts';
import { startServer } from '../support/server.ts';

describe(`microblog run on ${currentDialect()}`, () => {
  let database: TestDatabase;
  // A new database for each test, which the server creates and migrates on start-up.
  beforeEach(async () => {
    database = await createTestDatabase();
  });
  afterEach(() => database.drop());
  const serverEnv = () => ({ DATABASE_URL: database.url, SECRET_KEY: TEST_SECRET_KEY });

  test('start-up creates the database, migrates it, serves, and SIGTERM closes it cleanly', async () => {
    const server = await startServer(serverEnv());
    const { url } = server;
    assert.match(server.output(), /Running upgrade {2}-> \d{14}, users table/);
    const page = await fetch(`${url}/explore`);
    assert.equal(page.status, 200);
    assert.match(await page.text(), /No posts yet/);
    assert.deepEqual(await (await fetch(`${url}/readyz`)).json(), {
      status: 'ok',
      database: 'ok',
    });
    assert.equal(await server.stop('SIGTERM'), 0);
    assert.match(server.output(), /SIGTERM received: closing/);
    if (database.dialect === 'sqlite') {
      const file = database.url.replace('sqlite:///', '');
      assert.ok(existsSync(file));
      // A clean close checkpoints the WAL and removes it.
      assert.ok(!existsSync(`${file}-wal`) || statSync(`${file}-wal`).size === 0);
    }
  });

  test('a restart finds nothing to migrate', async () => {
    const first = await startServer(serverEnv());
    assert.match(first.output(), /Running upgrade/, 'the first start migrates');
    assert.equal(await first.stop('SIGTERM'), 0);
    const server = await startServer(serverEnv());
    assert.doesNotMatch(server.output(), /Running upgrade/);
    assert.equal(await server.stop('SIGINT'), 0);
  });
});
