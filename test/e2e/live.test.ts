/**
 * Live notifications in Debian's Chromium, with two server processes sharing one database
 * and one Redis, each user on a different process: a message sent through one process shows
 * in the other user's badge within two seconds, without a reload; an export started on the
 * first process runs on the second (the only one with a worker), its progress reaches the
 * page to 100%, and the email arrives at a real SMTP server.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { Redis } from 'ioredis';
import type { Browser, Page } from 'playwright-core';
import { currentDialect, TEST_SECRET_KEY } from '../helpers.ts';
import { createTestDatabase, type TestDatabase } from '../support/databases.ts';
import { type RunningServer, startServer } from '../support/server.ts';
import { mimePart, startSmtpServer, type TestSmtpServer, waitForMail } from '../support/smtp.ts';
import { chromiumProblem, launchChromium, see } from './support.ts';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379/0';
const PASSWORD = 'correct horse battery staple';
const skip =
  currentDialect() !== 'sqlite' ? 'runs in the SQLite pass' : (chromiumProblem() ?? false);

describe('live notifications across two processes, in Chromium', { skip, timeout: 120_000 }, () => {
  let database: TestDatabase;
  let servers: RunningServer[] = [];
  let browser: Browser;
  let smtp: TestSmtpServer;
  // The export's email is its last step: holding it keeps the task running while the page
  // loads, so the page is there to see the progress reach 100.
  let releaseMail = () => {};
  const mailHeld = new Promise<void>((resolve) => {
    releaseMail = resolve;
  });
  const prefix = `{mbtest-e2e-${process.pid}-${randomBytes(3).toString('hex')}}`;

  before(async () => {
    database = await createTestDatabase();
    smtp = await startSmtpServer({ holdMail: mailHeld });
    const env = {
      DATABASE_URL: database.url,
      SECRET_KEY: TEST_SECRET_KEY,
      REDIS_URL,
      REDIS_PREFIX: prefix,
      RATELIMIT_ENABLED: 'false',
      MAIL_SERVER: '127.0.0.1',
      MAIL_PORT: String(smtp.port),
    };
    // The first one migrates the database before the second starts. Only the second runs
    // jobs, so work started on the first crosses processes.
    servers = [await startServer({ ...env, IN_PROCESS_WORKER: 'false' })];
    servers.push(await startServer(env));
    browser = await launchChromium();
  });

  after(async () => {
    releaseMail();
    await browser?.close();
    for (const server of servers) await server.stop();
    await database?.drop();
    await smtp?.close();
    const redis = new Redis(REDIS_URL);
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length > 0) await redis.del(...keys);
    redis.disconnect();
  });

  /** A new browser (its own cookies) signed up and in as `name` on `server`. */
  async function user(name: string, server: RunningServer): Promise<Page> {
    const context = await browser.newContext({ baseURL: server.url });
    const page = await context.newPage();
    await page.goto('/auth/register');
    await page.getByLabel('Username').fill(name);
    await page.getByLabel('Email').fill(`${name}@example.com`);
    await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
    await page.getByLabel('Repeat Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Register' }).click();
    await page.getByLabel('Username or email').fill(name);
    await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign In' }).click();
    await see(page.getByRole('heading', { name: `Hi, ${name}!` }), `${name}'s home`);
    return page;
  }

  test("a message sent on one process lights the other's badge within two seconds", async () => {
    const ann = await user('ann', servers[0]);
    const ben = await user('ben', servers[1]);
    await ben.goto('/explore');
    const badge = ben.locator('#message_count');
    assert.ok(await badge.isHidden(), 'no unread messages yet');
    // The stream is open before anything is sent.
    await ben.locator('html[data-notifications="stream"]').waitFor({ state: 'attached' });
    const loadedAt = await ben.evaluate(() => performance.timeOrigin);
    await ann.goto('/send_message/ben');
    await ann.getByLabel('Message').fill('Hello from the other process');
    const sentAt = Date.now();
    await ann.getByRole('button', { name: 'Submit' }).click();
    await see(ann.getByText('Your message has been sent.'), 'the confirmation');
    await badge.waitFor({ state: 'visible', timeout: 2000 });
    assert.equal(await badge.textContent(), '1');
    assert.ok(Date.now() - sentAt < 2500, 'within about two seconds of sending');
    assert.equal(await ben.evaluate(() => performance.timeOrigin), loadedAt, 'no reload');
    // Reading the messages clears it on ben's other pages too.
    const benElsewhere = await ben.context().newPage();
    await benElsewhere.goto('/explore');
    await ben.goto('/messages');
    await see(ben.getByText('Hello from the other process'), 'the message in the inbox');
    await benElsewhere.locator('#message_count').waitFor({ state: 'hidden', timeout: 2000 });
  });

  test('an export started on one process runs on the other, shows 100% and emails the posts', async () => {
    const cyd = await user('cyd', servers[0]);
    await cyd.getByLabel('Say something').fill('A post worth keeping');
    await cyd.getByRole('button', { name: 'Submit' }).click();
    await see(cyd.getByText('Your post is now live!'), 'the post');
    await cyd.goto('/user/cyd');
    await cyd.getByRole('button', { name: 'Export your posts' }).click();
    const task = cyd.locator('.alert.task');
    await see(task, 'the running task');
    assert.match((await task.textContent()) ?? '', /Exporting posts… 99%/);
    await cyd.locator('html[data-notifications="stream"]').waitFor({ state: 'attached' });
    releaseMail();
    await task.locator('span').filter({ hasText: /^100$/ }).waitFor({ timeout: 10_000 });
    const mail = await waitForMail(smtp, 'cyd@example.com');
    const exported = JSON.parse(mimePart(mail.raw, 'application/json') ?? '');
    assert.deepEqual(
      exported.posts.map((post: { body: string }) => post.body),
      ['A post worth keeping'],
    );
  });
});
