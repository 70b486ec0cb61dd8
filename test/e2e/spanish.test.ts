/**
 * A Spanish-speaking visitor in Debian's Chromium: the whole site in Spanish with Spanish
 * times in their own time zone, an English post translated in place (through a local
 * server speaking LibreTranslate's protocol), and a user's popover opened with the keyboard.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { currentDialect, TEST_SECRET_KEY } from '../helpers.ts';
import { createTestDatabase, type TestDatabase } from '../support/databases.ts';
import { type RunningServer, startServer } from '../support/server.ts';
import { type FakeTranslator, startFakeTranslator } from '../support/translators.ts';
import { axeViolations, chromiumProblem, launchChromium, mainText, see } from './support.ts';

const PASSWORD = 'correct horse battery staple';
const ENGLISH_POST = 'The weather in London is lovely today, and the parks are full of people.';
const skip =
  currentDialect() !== 'sqlite' ? 'runs in the SQLite pass' : (chromiumProblem() ?? false);

describe('a Spanish-speaking visitor, in Chromium', { skip, timeout: 120_000 }, () => {
  let database: TestDatabase;
  let translator: FakeTranslator;
  let server: RunningServer;
  let browser: Browser;
  let page: Page;
  const problems: string[] = [];

  before(async () => {
    database = await createTestDatabase();
    translator = await startFakeTranslator('libretranslate');
    server = await startServer({
      DATABASE_URL: database.url,
      SECRET_KEY: TEST_SECRET_KEY,
      RATELIMIT_ENABLED: 'false',
      LIBRETRANSLATE_URL: translator.url,
    });
    browser = await launchChromium();
    // alice writes in English, from an English browser.
    const english = await browser.newPage({ baseURL: server.url, locale: 'en-US' });
    await signUp(english, 'alice', 'Register', 'Sign In');
    await english.getByLabel('Say something').fill(ENGLISH_POST);
    await english.getByRole('button', { name: 'Submit' }).click();
    await see(english.getByRole('article').filter({ hasText: ENGLISH_POST }), "alice's post");
    await english.context().close();
    // The visitor's browser speaks Spanish and lives in Mexico City (UTC-6).
    const context = await browser.newContext({
      baseURL: server.url,
      locale: 'es-MX',
      timezoneId: 'America/Mexico_City',
    });
    page = await context.newPage();
    page.setDefaultTimeout(15_000);
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(`console: ${message.text()}`);
    });
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
    await translator?.close();
    await database?.drop();
  });

  /** Registers `name` on the Register page and signs in, in the page's language. */
  async function signUp(on: Page, name: string, register: string, signIn: string) {
    await on.goto('/auth/register');
    await on.locator('#field-username').fill(name);
    await on.locator('#field-email').fill(`${name}@example.com`);
    await on.locator('#field-password').fill(PASSWORD);
    await on.locator('#field-password2').fill(PASSWORD);
    await on.getByRole('button', { name: register, exact: true }).click();
    await see(on.getByRole('heading', { name: signIn, exact: true }), 'the sign-in page');
    await on.locator('#field-username').fill(name);
    await on.locator('#field-password').fill(PASSWORD);
    await on.getByRole('button', { name: signIn, exact: true }).click();
    await on.waitForURL((url) => url.pathname === '/index' || url.pathname === '/');
  }

  test('reads in Spanish, searches, signs up, translates a post and follows from a popover', async () => {
    await seesSpanishWithSpanishTimes();
    assert.deepEqual(await axeViolations(page), [], 'axe finds nothing wrong on a Spanish page');
    await searches();
    await signsUpAndTranslates();
    await followsFromAPopoverByKeyboard();
    assert.deepEqual(problems, [], 'the browser reported no errors');
  });

  async function seesSpanishWithSpanishTimes() {
    await page.goto('/explore');
    assert.equal(await page.locator('html').getAttribute('lang'), 'es');
    const navbar = page.getByRole('navigation', { name: 'Principal' });
    await see(navbar.getByRole('link', { name: 'Explorar' }), 'Explorar in the navbar');
    await see(navbar.getByRole('link', { name: 'Iniciar sesión' }), 'the Spanish login link');
    const post = page.getByRole('article').filter({ hasText: ENGLISH_POST });
    // Written a moment ago: relative, in Spanish ("hace 5 segundos", "ahora").
    const time = post.locator('time');
    await see(time, "the post's time");
    assert.match((await time.textContent()) ?? '', /^(hace |ahora)/, await mainText(page));
    // The full date in its tooltip is Mexico City's, in Spanish ("30 nov 2026, 2:13").
    const written = new Date((await time.getAttribute('datetime')) ?? '');
    const local = new Intl.DateTimeFormat('es', {
      dateStyle: 'medium',
      timeStyle: 'short',
      timeZone: 'America/Mexico_City',
    }).format(written);
    assert.equal(await time.getAttribute('title'), local);
  }

  async function searches() {
    const box = page.getByRole('search').getByLabel('Buscar publicaciones');
    await box.fill('¿WEATHER en london?');
    await box.press('Enter');
    await see(
      page.getByRole('heading', { name: 'Resultados de búsqueda de «¿WEATHER en london?»' }),
      'the Spanish results heading',
    );
    assert.equal(new URL(page.url()).pathname, '/search');
    // "en" is in no post: every word must match, so only a search without it finds alice's.
    await see(page.getByText('Ninguna publicación coincide con tu búsqueda.'), 'no results');
    await box.fill('london WEATHER');
    await box.press('Enter');
    await see(page.getByRole('article').filter({ hasText: ENGLISH_POST }), 'the post found');
    assert.deepEqual(await axeViolations(page), [], 'axe finds nothing wrong on the search page');
  }

  async function signsUpAndTranslates() {
    await signUp(page, 'lucia', 'Registrarse', 'Iniciar sesión');
    await see(page.getByRole('heading', { name: '¡Hola, lucia!' }), 'the Spanish greeting');
    await page.getByRole('navigation').getByRole('link', { name: 'Explorar' }).click();
    const post = page.getByRole('article').filter({ hasText: ENGLISH_POST });
    await post.getByRole('link', { name: 'Traducir' }).click();
    await see(post.getByText(`[es] ${ENGLISH_POST}`), 'the translation in place of the link');
    assert.deepEqual(
      translator.received.map(({ body }) => body),
      [{ q: ENGLISH_POST, source: 'en', target: 'es', format: 'text' }],
    );
  }

  async function followsFromAPopoverByKeyboard() {
    await page.goto('/explore');
    const post = page.getByRole('article').filter({ hasText: ENGLISH_POST });
    const link = post.getByRole('link', { name: 'alice', exact: true });
    await link.focus();
    const popover = page.locator('.popover');
    await see(popover.getByText('alice'), "alice's card");
    await see(popover.getByText(/0 seguidores/), 'her followers, in Spanish');
    assert.deepEqual(await axeViolations(page), [], 'axe finds nothing wrong with an open popover');
    // Tab moves into the card: its follow button comes next after the link.
    const follow = popover.getByRole('button', { name: 'Seguir', exact: true });
    for (
      let step = 0;
      step < 5 && !(await follow.evaluate((b) => b === document.activeElement));
      step++
    )
      await page.keyboard.press('Tab');
    assert.ok(await follow.evaluate((button) => button === document.activeElement));
    await page.keyboard.press('Enter');
    await see(page.getByRole('status').filter({ hasText: 'alice' }), 'the flash after following');
    await page.goto('/user/alice');
    await see(page.getByRole('link', { name: '1 seguidor' }), 'alice now has 1 follower');
    // Escape closes a card.
    await page.goto('/explore');
    await page.getByRole('article').getByRole('link', { name: 'alice', exact: true }).focus();
    await see(page.locator('.popover'), 'the card again');
    await page.keyboard.press('Escape');
    await page.locator('.popover').waitFor({ state: 'detached' });
  }
});
