/**
 * A client on another origin works against a server started with nothing but its database:
 * a page served from a second origin calls the API with credentials and loads every URL the
 * API returned, as react-microblog does. In Debian's Chromium.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { projectRoot } from '../../src/config/load.ts';
import { currentDialect } from '../helpers.ts';
import { createTestDatabase, type TestDatabase } from '../support/databases.ts';
import { type RunningServer, startServer } from '../support/server.ts';
import { chromiumProblem, launchChromium } from './support.ts';

const skip =
  currentDialect() !== 'sqlite' ? 'runs in the SQLite pass' : (chromiumProblem() ?? false);

describe('an API client on another origin, in Chromium', { skip, timeout: 60_000 }, () => {
  let database: TestDatabase;
  let api: RunningServer;
  let client: Server;
  let browser: Browser;

  before(async () => {
    database = await createTestDatabase();
    api = await startServer({ DATABASE_URL: database.url });
    const script = readFileSync(join(projectRoot, 'test/e2e/cross-origin/client.js'));
    client = createServer((request, response) => {
      if (request.url === '/client.js') {
        response.writeHead(200, { 'content-type': 'text/javascript' }).end(script);
        return;
      }
      response
        .writeHead(200, { 'content-type': 'text/html' })
        .end(
          `<!doctype html><html data-api="${api.url}"><script src="/client.js"></script></html>`,
        );
    });
    await new Promise<void>((resolve) => client.listen(0, '127.0.0.1', resolve));
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    client?.close();
    await api?.stop();
    await database?.drop();
  });

  test('registers, logs in, posts, loads every returned URL and refreshes its token', async () => {
    const page = await browser.newPage();
    const { port } = client.address() as AddressInfo;
    assert.notEqual(new URL(api.url).port, String(port), 'two origins');
    await page.goto(`http://127.0.0.1:${port}/`);
    await page.waitForFunction(() => 'result' in window, undefined, { timeout: 30_000 });
    const result = (await page.evaluate(
      () => (window as unknown as { result: unknown }).result,
    )) as {
      ok: boolean;
      log: string[];
      loaded?: { url: string; ok: boolean }[];
      refreshed?: number;
      error?: string;
    };
    assert.ok(result.ok, `${result.error}\n${result.log.join('\n')}`);
    assert.ok(result.log.includes('POST /api/users 201'), result.log.join('\n'));
    const loaded = result.loaded ?? [];
    const avatars = loaded.filter(({ url }) => url.includes('/avatar/'));
    assert.ok(avatars.length > 0, 'some avatars were shown');
    for (const { url } of loaded) assert.ok(url.startsWith(api.url), `${url} is the API's`);
    assert.deepEqual(
      loaded.filter(({ ok }) => !ok),
      [],
      'every URL the API returned loads from the other origin',
    );
    assert.equal(result.refreshed, 200, 'the refresh cookie was kept and sent');
  });
});
