/**
 * End to end in a real browser: Debian's Chromium, driven by playwright-core, against a
 * `microblog run` server, used the way a person uses it (labels, roles, visible text).
 * Screenshots of Home, Profile and Explore go to test-artifacts/screenshots/.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, afterEach, before, beforeEach, describe, test } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { projectRoot } from '../../src/config/load.ts';
import { currentDialect } from '../helpers.ts';
import { createTestDatabase, type TestDatabase } from '../support/databases.ts';
import { type RunningServer, startServer } from '../support/server.ts';
import { chromiumProblem, flashes, launchChromium, mainText, see } from './support.ts';

const screenshots = join(projectRoot, 'test-artifacts', 'screenshots');
const missingChromium = chromiumProblem();
const sqlitePass = currentDialect() === 'sqlite';

// CI (TEST_REQUIRE_ALL_DATABASES=1) must run the browser tests: there, no Chromium fails.
if (sqlitePass && missingChromium && process.env.TEST_REQUIRE_ALL_DATABASES === '1') {
  test('Chromium is installed for the browser tests', () => assert.fail(missingChromium));
}

const PASSWORD = 'correct horse battery staple';
const BOB_POST = 'Hello from bob, the first post of the day';
const ALICE_POST = 'Grüße aus Köln 👋 — ça marche';
const ABOUT_ALICE = 'Über mich: I like trains 🚆 and <b>tags</b> that stay text';

const skip = !sqlitePass ? 'runs in the SQLite pass' : (missingChromium ?? false);

// Each test starts a server of its own, so the suite as a whole takes a while.
describe('Microblog in Chromium', { skip, timeout: 300_000 }, () => {
  let browser: Browser;
  let database: TestDatabase;
  let scratch: string;
  let server: RunningServer;
  let context: BrowserContext;
  let page: Page;
  let problems: string[];

  before(async () => {
    browser = await launchChromium();
    mkdirSync(screenshots, { recursive: true });
  });
  after(() => browser?.close());

  // Each test starts from nobody: its own database, server and browser context.
  beforeEach(async () => {
    problems = [];
    database = await createTestDatabase();
    scratch = mkdtempSync(join(tmpdir(), 'microblog-e2e-'));
    server = await startServer({
      DATABASE_URL: database.url,
      SECRET_KEY: 'e2e-secret-key-of-at-least-32-characters',
      RATELIMIT_ENABLED: 'false',
      MAIL_OUTBOX_DIR: join(scratch, 'mail'),
      INSTANCE_DIR: join(scratch, 'instance'),
    });
    // A time zone far from UTC, so local times visibly differ from the server's fallback.
    context = await browser.newContext({
      baseURL: server.url,
      locale: 'en-GB',
      timezoneId: 'Asia/Kolkata',
    });
    page = await context.newPage();
    page.setDefaultTimeout(15_000);
    // Anything the browser complains about (CSP violations, script errors, broken assets).
    page.on('console', (message) => {
      if (message.type() === 'error')
        problems.push(`console: ${message.text()} ${message.location().url}`);
    });
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    page.on('response', (response) => {
      if (response.status() >= 400) problems.push(`${response.status()} ${response.url()}`);
    });
  });

  afterEach(async () => {
    // What the page still loads (the favicon, say) counts too.
    await page?.waitForLoadState('networkidle', { timeout: 5_000 }).catch(() => {});
    await context?.close();
    const code = await server?.stop();
    if (code !== undefined && code !== 0) console.error(server.output());
    await database?.drop();
    if (scratch) rmSync(scratch, { recursive: true, force: true });
    // Whatever a test did, the browser must not have complained about it.
    assert.deepEqual(problems, [], 'the browser reported no errors');
  });

  const nav = () => page.getByRole('navigation', { name: 'Main' });
  const heading = (name: string) => page.getByRole('heading', { name, exact: true });
  const article = (text: string) => page.getByRole('article').filter({ hasText: text });
  const button = (name: string) => page.getByRole('button', { name, exact: true });

  /** Registers `username` on the Register page; ends on Sign In. */
  async function register(username: string) {
    await page.goto('/auth/register');
    await see(heading('Register'), 'the Register page');
    await page.getByLabel('Username').fill(username);
    await page.getByLabel('Email').fill(`${username}@example.com`);
    await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
    await page.getByLabel('Repeat Password').fill(PASSWORD);
    await button('Register').click();
    await see(heading('Sign In'), 'the Sign In page after registering');
  }

  async function logIn(username: string) {
    await nav().getByRole('link', { name: 'Login' }).click();
    await page.getByLabel('Username or email').fill(username);
    await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
    await button('Sign In').click();
    await see(heading(`Hi, ${username}!`), `the greeting for ${username}`);
  }

  async function logOut() {
    await nav().getByRole('button', { name: 'Logout' }).click();
    await see(heading('Sign In'), 'the Sign In page');
    await see(nav().getByRole('link', { name: 'Login' }), 'the Login link');
    assert.equal(await nav().getByRole('button', { name: 'Logout' }).count(), 0);
  }

  async function say(text: string) {
    await page.getByLabel('Say something').fill(text);
    await button('Submit').click();
    await see(page.getByRole('status'), 'a flash message');
    assert.deepEqual(await flashes(page), ['Your post is now live!']);
    assert.equal(await article(text).locator('.body').textContent(), text);
  }

  async function openProfileOf(username: string) {
    await nav().getByRole('link', { name: 'Explore' }).click();
    await article(username).getByRole('link', { name: username, exact: true }).first().click();
    await see(heading(`User: ${username}`), `${username}'s profile`);
  }

  /** alice and bob have accounts; bob has posted and signed out. */
  async function bobHasPosted() {
    await register('alice');
    await register('bob');
    await logIn('bob');
    await say(BOB_POST);
    await logOut();
  }

  test('a visitor registers two accounts', async () => {
    await page.goto('/');
    // Home needs a login: the visitor lands on Sign In.
    await see(heading('Sign In'), 'the Sign In page');
    for (const name of ['alice', 'bob']) {
      await page.getByRole('link', { name: 'Click to Register!' }).click();
      await see(heading('Register'), 'the Register page');
      await page.getByLabel('Username').fill(name);
      await page.getByLabel('Email').fill(`${name}@example.com`);
      await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
      await page.getByLabel('Repeat Password').fill(PASSWORD);
      await button('Register').click();
      await see(heading('Sign In'), 'the Sign In page after registering');
      assert.deepEqual(await flashes(page), ['Congratulations, you are now a registered user!']);
    }
  });

  test('bob logs in, posts and logs out', async () => {
    await register('bob');
    await logIn('bob');
    await say(BOB_POST);
    await logOut();
  });

  test('alice logs in and posts non-ASCII text', async () => {
    await bobHasPosted();
    await logIn('alice');
    await say(ALICE_POST);
    // She follows nobody yet: bob's post is not on her Home.
    assert.equal(await article(BOB_POST).count(), 0, await mainText(page));
  });

  describe('once bob and then alice have posted, with alice signed in', () => {
    beforeEach(async () => {
      await bobHasPosted();
      await logIn('alice');
      await say(ALICE_POST);
    });

    test("the page's script shows dates in the reader's local time", async () => {
      const times = await page.locator('main time').allInnerTexts();
      assert.ok(times.length > 0, 'Home shows a <time>');
      for (const text of times) assert.doesNotMatch(text, /UTC\s*$/, `still UTC: "${text}"`);
      // The full date moves into the tooltip, in the reader's time zone (UTC+05:30).
      assert.doesNotMatch(
        (await page.locator('main time').first().getAttribute('title')) ?? '',
        /UTC/,
      );
    });

    test('alice follows bob from his profile and sees his post on Home', async () => {
      await openProfileOf('bob');
      await see(page.getByRole('link', { name: '0 followers' }), 'bob has 0 followers');
      await button('Follow').click();
      await see(button('Unfollow'), 'the Unfollow button');
      assert.deepEqual(await flashes(page), ['You are following bob!']);
      assert.equal(await button('Follow').count(), 0);
      await see(page.getByRole('link', { name: '1 follower', exact: true }), 'bob has 1 follower');

      await nav().getByRole('link', { name: 'Home', exact: true }).click();
      await see(article(BOB_POST), "bob's post on alice's Home");
      // Newest first: alice posted after bob.
      const bodies = await page.getByRole('article').locator('.body').allInnerTexts();
      assert.deepEqual(bodies, [ALICE_POST, BOB_POST]);
      await page.screenshot({ path: join(screenshots, 'home.png'), fullPage: true });
    });

    test('alice unfollows bob, and his post leaves her Home', async () => {
      await openProfileOf('bob');
      await button('Follow').click();
      await see(button('Unfollow'), 'the Unfollow button');
      await openProfileOf('bob');
      await button('Unfollow').click();
      await see(button('Follow'), 'the Follow button');
      assert.deepEqual(await flashes(page), ['You are not following bob.']);
      await see(page.getByRole('link', { name: '0 followers' }), 'bob has 0 followers again');

      await nav().getByRole('link', { name: 'Home', exact: true }).click();
      await see(article(ALICE_POST), "alice's own post");
      assert.equal(await article(BOB_POST).count(), 0, await mainText(page));
    });

    test('alice edits her profile and sees it on her profile page', async () => {
      await nav().getByRole('link', { name: 'Profile' }).click();
      await see(heading('User: alice'), "alice's profile");
      await page.getByRole('link', { name: 'Edit your profile' }).click();
      await see(heading('Edit Profile'), 'the Edit Profile page');
      assert.equal(await page.getByLabel('Username').inputValue(), 'alice');
      await page.getByLabel('About me').fill(ABOUT_ALICE);
      await button('Submit').click();
      await see(page.getByRole('status'), 'a flash message');
      assert.deepEqual(await flashes(page), ['Your changes have been saved.']);
      assert.equal(await page.getByLabel('About me').inputValue(), ABOUT_ALICE);

      await nav().getByRole('link', { name: 'Profile' }).click();
      await see(heading('User: alice'), "alice's profile");
      // Markup in the about-me stays text.
      await see(page.getByText(ABOUT_ALICE, { exact: true }), 'the new about me');
      assert.equal(await page.locator('main b').count(), 0);
      const lastSeen = await page.getByText('Last seen on:').locator('time').textContent();
      assert.doesNotMatch(lastSeen ?? '', /UTC\s*$/);
      await see(article(ALICE_POST), "alice's post on her profile");
      await page.screenshot({ path: join(screenshots, 'profile.png'), fullPage: true });
    });

    test('Explore shows every post, newest first', async () => {
      await nav().getByRole('link', { name: 'Explore' }).click();
      await see(heading('Explore'), 'the Explore page');
      const bodies = await page.getByRole('article').locator('.body').allInnerTexts();
      assert.deepEqual(bodies, [ALICE_POST, BOB_POST]);
      await page.screenshot({ path: join(screenshots, 'explore.png'), fullPage: true });
    });

    test('alice logs out with the Logout button', async () => {
      await logOut();
      // Her session is gone: Home asks for a login again.
      await nav().getByRole('link', { name: 'Home', exact: true }).click();
      await see(heading('Sign In'), 'the Sign In page');
    });

    test('the browser reported no errors (CSP, scripts, failed requests, favicon)', async () => {
      // Besides the pages the set-up went through: Home, profiles, Edit Profile, Explore, docs.
      await nav().getByRole('link', { name: 'Home', exact: true }).click();
      await see(article(ALICE_POST), "alice's post on her Home");
      await openProfileOf('bob');
      await nav().getByRole('link', { name: 'Profile' }).click();
      await page.getByRole('link', { name: 'Edit your profile' }).click();
      await see(heading('Edit Profile'), 'the Edit Profile page');
      await nav().getByRole('link', { name: 'Explore' }).click();
      await see(heading('Explore'), 'the Explore page');
      await page.goto('/api/docs');
      await see(page.locator('.opblock').first(), 'the first operation');
      await page.waitForLoadState('networkidle');
      assert.deepEqual(problems, []);
    });
  });

  test('/api/docs renders one block per operation of the OpenAPI document', async () => {
    const document = (await (await page.request.get('/api/docs/json')).json()) as {
      paths: Record<string, Record<string, unknown>>;
    };
    const operations = Object.values(document.paths).flatMap((path) => Object.keys(path));
    assert.ok(operations.length >= 20, `${operations.length} operations`);
    await page.goto('/api/docs');
    await see(page.getByRole('heading', { name: /Microblog API/ }), 'the docs title');
    await see(page.locator('.opblock').first(), 'the first operation');
    assert.equal(await page.locator('.opblock').count(), operations.length);
    await page.screenshot({ path: join(screenshots, 'api-docs.png'), fullPage: true });
  });
});
