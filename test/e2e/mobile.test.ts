/** On a phone-sized screen the navigation folds behind a toggle, under the site's CSP. */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { currentDialect, TEST_SECRET_KEY } from '../helpers.ts';
import { createTestDatabase, type TestDatabase } from '../support/databases.ts';
import { type RunningServer, startServer } from '../support/server.ts';
import { chromiumProblem, launchChromium } from './support.ts';

const skip =
  currentDialect() !== 'sqlite' ? 'runs in the SQLite pass' : (chromiumProblem() ?? false);

describe('the navigation bar on a narrow screen, in Chromium', { skip, timeout: 60_000 }, () => {
  let database: TestDatabase;
  let server: RunningServer;
  let browser: Browser;
  before(async () => {
    database = await createTestDatabase();
    server = await startServer({ DATABASE_URL: database.url, SECRET_KEY: TEST_SECRET_KEY });
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
    await database?.drop();
  });

  test('one row, links behind a toggle that opens and closes them', async () => {
    const page = await browser.newPage({ viewport: { width: 375, height: 740 } });
    const problems: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(message.text());
    });
    page.on('pageerror', (error) => problems.push(error.message));
    await page.goto(`${server.url}/explore`);
    const navbar = page.getByRole('navigation', { name: 'Main' });
    const explore = navbar.getByRole('link', { name: 'Explore' });
    const toggle = navbar.getByRole('button', { name: 'Show the navigation' });
    assert.ok(await toggle.isVisible(), 'the toggle shows on a narrow screen');
    assert.ok(!(await explore.isVisible()), 'the links are folded away');
    const closedHeight = (await navbar.boundingBox())?.height ?? 0;
    assert.ok(closedHeight < 70, `one row: ${closedHeight}px`);
    await toggle.click();
    await explore.waitFor({ state: 'visible' });
    assert.equal(await toggle.getAttribute('aria-expanded'), 'true');
    // Bootstrap ignores clicks while the panel is still sliding open.
    await page.locator('#main-navigation.show:not(.collapsing)').waitFor();
    await toggle.click();
    await explore.waitFor({ state: 'hidden' });
    // On a wide screen there is no toggle, and the links show in one row.
    await page.setViewportSize({ width: 1200, height: 800 });
    assert.ok(!(await toggle.isVisible()));
    assert.ok(await explore.isVisible());
    assert.deepEqual(problems, [], 'no script or CSP errors');
  });
});
