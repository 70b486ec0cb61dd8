import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, test } from 'node:test';
import type { MailConfig } from '../../src/config/load.ts';
import { createMailer } from '../../src/mail/mailer.ts';
import { headersOf, mimePart, startSmtpServer, type TestSmtpServer } from '../support/smtp.ts';

const secretLink = `http://localhost:5000/reset_password/${'x'.repeat(90)}.sig`;
// Non-ASCII and a long line force quoted-printable with soft line breaks.
const message = {
  to: 'zoe@example.com',
  subject: '[Microblog] Reset Your Password',
  text: `Dear Zoë,\r\n\r\nTo reset your password click on the following link: ${secretLink}\r\n`,
  html: `<p>Dear Zoë,</p><p>To reset your password <a href="${secretLink}">click here</a>.</p>`,
};

function mailConfig(extra: Partial<MailConfig> = {}): MailConfig {
  return {
    server: undefined,
    username: undefined,
    password: undefined,
    port: 25,
    useTls: false,
    defaultSender: 'Microblog <no-reply@microblog.test>',
    outboxDir: join(mkdtempSync(join(tmpdir(), 'microblog-mail-')), 'outbox'),
    ...extra,
  };
}

function captureLog() {
  const lines: { obj: object; msg: string }[] = [];
  return { lines, info: (obj: object, msg: string) => lines.push({ obj, msg }) };
}

describe('mailer over SMTP', () => {
  let smtp: TestSmtpServer;
  // A server of its own for each test: its messages and logins are that test's only.
  beforeEach(async () => {
    smtp = await startSmtpServer();
  });
  afterEach(() => smtp.close());

  test('delivers the text and HTML alternatives to the recipient', async () => {
    const log = captureLog();
    const mailer = createMailer(mailConfig({ server: '127.0.0.1', port: smtp.port }), log);
    await mailer.send(message);
    mailer.close();

    assert.equal(smtp.messages.length, 1);
    const [received] = smtp.messages;
    assert.equal(received.from, 'no-reply@microblog.test');
    assert.deepEqual(received.to, ['zoe@example.com']);
    assert.equal(received.user, undefined);
    const headers = headersOf(received.raw);
    assert.match(headers, /^Subject: \[Microblog\] Reset Your Password$/m);
    assert.match(headers, /^From: Microblog <no-reply@microblog\.test>$/m);
    assert.match(headers, /^Content-Type: multipart\/alternative;/m);
    const text = mimePart(received.raw, 'text/plain');
    const html = mimePart(received.raw, 'text/html');
    assert.ok(text !== undefined && html !== undefined, received.raw);
    assert.ok(text.startsWith('Dear Zoë,\r\n'), text);
    assert.ok(text.includes(`following link: ${secretLink}`), text);
    assert.ok(!text.includes('<p>'), 'the text part holds no HTML');
    assert.ok(html.includes(`<a href="${secretLink}">click here</a>`), html);
    // The long link was folded on the wire; the decoding above undid it.
    assert.ok(!received.raw.includes(secretLink), 'sent as quoted-printable');
    assert.equal(log.lines.length, 1);
    assert.equal(JSON.stringify(log.lines).includes(secretLink), false);
  });

  test('logs in when a user name is configured', async () => {
    const before = smtp.messages.length;
    const config = { server: '127.0.0.1', port: smtp.port, username: 'mailer', password: 'pw' };
    const mailer = createMailer(mailConfig(config), captureLog());
    await mailer.send({ ...message, to: 'bob@example.com' });
    mailer.close();

    assert.deepEqual(smtp.logins, ['mailer:pw']);
    assert.equal(smtp.messages.length, before + 1);
    assert.equal(smtp.messages[before].user, 'mailer');
    assert.deepEqual(smtp.messages[before].to, ['bob@example.com']);
  });

  test('with MAIL_USE_TLS, refuses to send when the server cannot STARTTLS', async () => {
    const before = smtp.messages.length;
    const config = { server: '127.0.0.1', port: smtp.port, useTls: true };
    const mailer = createMailer(mailConfig(config), captureLog());
    await assert.rejects(mailer.send(message), /STARTTLS/);
    mailer.close();
    assert.equal(smtp.messages.length, before, 'nothing was sent in plain text');
  });
});

describe('mailer without MAIL_SERVER', () => {
  test('writes an .eml file to a new outbox folder and logs its path, not the body', async () => {
    const config = mailConfig();
    const log = captureLog();
    const mailer = createMailer(config, log);
    await mailer.send(message);
    mailer.close();

    const files = readdirSync(config.outboxDir);
    assert.equal(files.length, 1);
    assert.match(files[0], /\.eml$/);
    const path = join(config.outboxDir, files[0]);
    assert.equal(statSync(path).mode & 0o777, 0o600);
    const raw = readFileSync(path, 'utf8');
    const headers = headersOf(raw);
    assert.match(headers, /^Subject: \[Microblog\] Reset Your Password$/m);
    assert.match(headers, /^To: /m);
    assert.match(headers, /^From: Microblog <no-reply@microblog\.test>$/m);
    assert.ok(raw.includes('\r\n'), 'RFC 822 line endings');
    assert.ok(mimePart(raw, 'text/plain')?.includes(`following link: ${secretLink}`));
    assert.ok(mimePart(raw, 'text/html')?.includes(`<a href="${secretLink}">`));

    assert.equal(log.lines.length, 1);
    const [line] = log.lines;
    assert.deepEqual(line.obj, { to: message.to, subject: message.subject, path });
    const logged = JSON.stringify(line);
    assert.ok(!logged.includes(secretLink) && !logged.includes('Dear'), logged);
  });

  test('a second message gets its own file', async () => {
    const config = mailConfig();
    const mailer = createMailer(config, captureLog());
    await mailer.send(message);
    await mailer.send({ ...message, subject: 'Second' });
    mailer.close();
    const subjects = readdirSync(config.outboxDir)
      .map((file) => readFileSync(join(config.outboxDir, file), 'utf8'))
      .map((raw) => /^Subject: (.*)$/m.exec(headersOf(raw))?.[1])
      .sort();
    assert.deepEqual(subjects, ['Second', '[Microblog] Reset Your Password']);
  });
});
