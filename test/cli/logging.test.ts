import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { currentDialect, TEST_SECRET_KEY } from '../helpers.ts';
import { startServer } from '../support/server.ts';

test('LOG_FILE: logs also go to a rotating file', {
  skip: currentDialect() !== 'sqlite' && 'dialect-independent',
}, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'microblog-logs-'));
  const server = await startServer({
    DATABASE_URL: `sqlite:///${join(dir, 'app.db')}`,
    SECRET_KEY: TEST_SECRET_KEY,
    LOG_FILE: join(dir, 'logs', 'microblog.log'),
  });
  try {
    assert.equal((await fetch(`${server.url}/explore`)).status, 200);
  } finally {
    assert.equal(await server.stop(), 0);
  }
  // The transport writes from its own thread; give it a moment after the exit.
  let text = '';
  for (let tries = 0; tries < 20 && !text.includes('/explore'); tries++) {
    const files = readdirSync(join(dir, 'logs')).filter((name) => /^microblog\..*log$/.test(name));
    text = files.map((name) => readFileSync(join(dir, 'logs', name), 'utf8')).join('');
    await sleep(100);
  }
  const lines = text
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line));
  assert.ok(
    lines.some((line) => /Server listening/.test(line.msg)),
    text,
  );
  assert.ok(
    lines.some((line) => line.req?.url === '/explore'),
    'requests are logged there too',
  );
  // The console still gets its JSON lines.
  assert.match(server.output(), /Server listening/);
});
