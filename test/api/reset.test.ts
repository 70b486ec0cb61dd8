import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { Token } from '../../src/db/entities/index.ts';
import { currentDialect, type TestContext } from '../helpers.ts';
import { openMailTest, seedUser } from '../support/pages.ts';
import { mimePart, type TestSmtpServer, waitForMail } from '../support/smtp.ts';

describe(`API password reset on ${currentDialect()}`, () => {
  let db: TestContext;
  let app: FastifyInstance;
  let close: () => Promise<void>;
  let smtp: TestSmtpServer;
  before(async () => {
    ({ db, app, smtp, close } = await openMailTest({
      PASSWORD_RESET_URL: 'https://client.example/reset',
    }));
    await seedUser(db, 'rita', 'old password');
  });
  after(() => close());
  // Each test waits for its own mail, not one an earlier test left in the inbox.
  beforeEach(() => {
    smtp.messages.length = 0;
  });

  const basic = (password: string) => `Basic ${Buffer.from(`rita:${password}`).toString('base64')}`;
  const login = (password: string) =>
    app.inject({ method: 'POST', url: '/api/tokens', headers: { authorization: basic(password) } });
  const request = (payload: Record<string, unknown>) =>
    app.inject({ method: 'POST', url: '/api/tokens/reset', payload });
  const reset = (payload: Record<string, unknown>) =>
    app.inject({ method: 'PUT', url: '/api/tokens/reset', payload });

  test('a request answers 204 for any address, and mails a link to the client only when it exists', async () => {
    const unknown = await request({ email: 'nobody@example.com' });
    assert.equal(unknown.statusCode, 204);
    assert.equal(unknown.body, '');
    const known = await request({ email: 'rita@example.com' });
    assert.equal(known.statusCode, 204);
    const mail = await waitForMail(smtp, 'rita@example.com');
    assert.match(
      mimePart(mail.raw, 'text/plain') ?? '',
      /https:\/\/client\.example\/reset\?token=[\w.-]+/,
    );
    assert.ok(!smtp.messages.some((message) => message.to.includes('nobody@example.com')));
  });

  test('the token sets a new password once, and ends the old tokens', async () => {
    const old = JSON.parse((await login('old password')).body).access_token as string;
    await request({ email: 'rita@example.com' });
    const text = mimePart((await waitForMail(smtp, 'rita@example.com')).raw, 'text/plain') ?? '';
    const token = new URL(
      /https:\/\/client\.example\/reset\?token=[\w.-]+/.exec(text)?.[0] ?? '',
    ).searchParams.get('token');
    const done = await reset({ token, new_password: 'new password' });
    assert.equal(done.statusCode, 204);
    assert.equal((await login('old password')).statusCode, 401);
    assert.equal((await login('new password')).statusCode, 200);
    const me = await app.inject({ url: '/api/me', headers: { authorization: `Bearer ${old}` } });
    assert.equal(me.statusCode, 401, 'tokens from before the reset are revoked');
    const again = await reset({ token, new_password: 'third password' });
    assert.equal(again.statusCode, 400);
    assert.deepEqual(JSON.parse(again.body).errors, {
      json: { token: ['The token is invalid or has expired.'] },
    });
    assert.ok((await db.em().count(Token, {})) >= 1);
  });

  test('bad bodies are 400 Validation Errors; a garbage token is a 400', async () => {
    const badEmail = await request({ email: 'not an email' });
    assert.equal(badEmail.statusCode, 400);
    assert.ok(JSON.parse(badEmail.body).errors.json.email);
    const garbage = await reset({ token: 'garbage', new_password: 'whatever' });
    assert.equal(garbage.statusCode, 400);
    // microblog-api's bare 400, with the field error clients show.
    assert.equal(JSON.parse(garbage.body).message, 'Bad Request');
    assert.ok(JSON.parse(garbage.body).errors.json.token, 'a field error clients can show');
    const short = await reset({ token: 'garbage', new_password: 'ab' });
    assert.ok(JSON.parse(short.body).errors.json.new_password);
  });
});
