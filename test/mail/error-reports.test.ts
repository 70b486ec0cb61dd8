import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/app.ts';
import { ErrorMail } from '../../src/mail/error-reports.ts';
import { createMailer } from '../../src/mail/mailer.ts';
import { currentDialect, openTestDatabase, type TestContext, testConfig } from '../helpers.ts';
import { startSmtpServer, type TestSmtpServer, waitForMail } from '../support/smtp.ts';

const ADMIN = 'admin@example.com';

describe(`unexpected errors reach the admins, on ${currentDialect()}`, () => {
  let db: TestContext;
  let smtp: TestSmtpServer;
  before(async () => {
    db = await openTestDatabase();
    smtp = await startSmtpServer();
  });
  after(async () => {
    await smtp.close();
    await db.close();
  });

  /** The app with a route that always fails, and these settings. */
  async function failingApp(env: Record<string, string>): Promise<FastifyInstance> {
    const app = await buildApp(testConfig(db.database.url, env));
    app.get('/test/fail', async () => {
      throw new Error('the disk is on fire');
    });
    await app.ready();
    return app;
  }

  test('with ADMINS and MAIL_SERVER, an error is emailed and the page says so', async () => {
    smtp.messages.length = 0;
    const app = await failingApp({
      ADMINS: ADMIN,
      MAIL_SERVER: '127.0.0.1',
      MAIL_PORT: `${smtp.port}`,
    });
    try {
      const page = await app.inject('/test/fail');
      assert.equal(page.statusCode, 500);
      assert.match(page.body, /The administrator has been notified/);
      const mail = await waitForMail(smtp, ADMIN);
      assert.match(mail.raw, /Subject: \[Microblog\] Failure/);
      assert.match(mail.raw, /GET \/test\/fail/);
      assert.match(mail.raw, /the disk is on fire/);
      // A storm right after sends nothing more at once: it waits for the digest.
      for (let i = 0; i < 5; i++) await app.inject('/test/fail');
      await sleep(300);
      assert.equal(smtp.messages.length, 1);
    } finally {
      await app.close();
    }
    // Closing sends what was gathered, as one digest.
    const digest = smtp.messages.at(-1);
    assert.equal(smtp.messages.length, 2);
    assert.match(digest?.raw ?? '', /Subject: \[Microblog\] 5 failures/);
  });

  test('without ADMINS nobody is told, and the page does not claim otherwise', async () => {
    smtp.messages.length = 0;
    const app = await failingApp({ MAIL_SERVER: '127.0.0.1', MAIL_PORT: `${smtp.port}` });
    try {
      const page = await app.inject('/test/fail');
      assert.equal(page.statusCode, 500);
      assert.doesNotMatch(page.body, /notified/);
      assert.match(page.body, /It has been logged/);
      await sleep(200);
      assert.equal(smtp.messages.length, 0);
    } finally {
      await app.close();
    }
  });

  test('a digest lists 20 errors and counts the rest', async () => {
    smtp.messages.length = 0;
    const config = testConfig(db.database.url, {
      MAIL_SERVER: '127.0.0.1',
      MAIL_PORT: `${smtp.port}`,
    });
    const mailer = createMailer(config.mail, { info: () => {} });
    const reports = new ErrorMail(mailer, [ADMIN], { windowMs: 200 });
    const report = (n: number) =>
      reports.report({ time: new Date(), where: `GET /x/${n}`, details: `Error: number ${n}` });
    for (let n = 0; n < 30; n++) report(n);
    await sleep(500);
    assert.equal(smtp.messages.length, 2, 'the first at once, the rest in one digest');
    const digest = smtp.messages[1].raw;
    assert.match(digest, /Subject: \[Microblog\] 29 failures/);
    assert.match(digest, /GET \/x\/20/);
    assert.doesNotMatch(digest, /GET \/x\/21\b/);
    assert.match(digest, /and 9 more/);
    mailer.close();
  });
});
