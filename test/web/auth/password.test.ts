import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { Session, User } from '../../../src/db/entities/index.ts';
import { SESSION_COOKIE } from '../../../src/plugins/session.ts';
import { createResetToken } from '../../../src/security/reset-tokens.ts';
import { currentDialect, type TestContext } from '../../helpers.ts';
import { apiToken } from '../../support/api.ts';
import { fieldErrors, formAction, heading } from '../../support/html.ts';
import { logIn, openMailTest, seedUser } from '../../support/pages.ts';
import {
  headersOf,
  mimePart,
  type ReceivedMail,
  type TestSmtpServer,
  waitForMail,
} from '../../support/smtp.ts';
import { flashes, signedInAs, WebClient } from '../../support/web-client.ts';

const PASSWORD = 'correct horse battery';
const NEW_PASSWORD = 'a brand new password';

/** Asserts a redirect and follows it, returning the page it leads to. */
async function follow(client: WebClient, response: LightMyRequestResponse, location: string) {
  assert.equal(response.statusCode, 302);
  assert.equal(response.headers.location, location);
  return client.get(location);
}

describe(`password reset and change on ${currentDialect()}`, () => {
  let db: TestContext;
  let app: FastifyInstance;
  let close: () => Promise<void>;
  let smtp: TestSmtpServer;
  before(async () => {
    ({ db, app, smtp, close } = await openMailTest());
  });
  after(() => close());

  const createUser = (username: string) => seedUser(db, username, PASSWORD);
  const reload = (user: User) => db.em().findOneOrFail(User, user.id);
  const sessionsOf = (user: User) => db.em().count(Session, { user: user.id });
  const signIn = (username: string, password = PASSWORD) => logIn(app, username, password);
  /** An API access token of `username`, and whether it still works. */
  const apiTokenOf = (username: string) => apiToken(app, username, PASSWORD);
  const tokenWorks = async (token: string) =>
    (await app.inject({ url: '/api/me', headers: { authorization: `Bearer ${token}` } }))
      .statusCode === 200;

  const mailTo = (to: string): Promise<ReceivedMail> => waitForMail(smtp, to);

  const requestReset = async (email: string) => {
    const client = new WebClient(app);
    const page = await client.get('/auth/reset_password_request');
    assert.equal(heading(page.body), 'Reset Password');
    const response = await client.post('/auth/reset_password_request', { email });
    const login = await follow(client, response, '/auth/login');
    return flashes(login.body);
  };

  const INVALID_LINK = 'That password reset link is invalid or has expired.';
  /** Asserts that `path` (a reset link) is refused, by GET and by POST, changing nothing. */
  const assertRefused = async (path: string, user: User) => {
    const hash = (await reload(user)).passwordHash;
    const client = new WebClient(app);
    const page = await follow(client, await client.get(path), '/auth/reset_password_request');
    assert.deepEqual(flashes(page.body), [INVALID_LINK]);
    assert.equal(heading(page.body), 'Reset Password');
    const form = { password: 'hijacked password', password2: 'hijacked password' };
    const posted = await follow(
      client,
      await client.post(path, form),
      '/auth/reset_password_request',
    );
    assert.deepEqual(flashes(posted.body), [INVALID_LINK]);
    assert.equal((await reload(user)).passwordHash, hash, 'the password is unchanged');
  };

  test('the request form answers the same for a known and an unknown address', async () => {
    const user = await createUser('uma');
    const unknown = await requestReset('nobody@example.com');
    const known = await requestReset('UMA@example.com');
    assert.deepEqual(unknown, ['Check your email for the instructions to reset your password.']);
    assert.deepEqual(known, unknown);
    const mail = await mailTo(user.email);
    assert.deepEqual(mail.to, ['uma@example.com']);
    assert.ok(!smtp.messages.some((message) => message.to.includes('nobody@example.com')));
    assert.match(headersOf(mail.raw), /^Subject: \[Microblog\] Reset Your Password$/m);
  });

  test('the emailed link resets the password once, and signs every session out', async () => {
    const user = await createUser('rita');
    const elsewhere = await signIn('rita');
    const resetter = await signIn('rita');
    assert.equal(await sessionsOf(user), 2);
    const token = await apiTokenOf('rita');
    assert.ok(await tokenWorks(token));
    await requestReset('rita@example.com');

    const mail = await mailTo('rita@example.com');
    const text = mimePart(mail.raw, 'text/plain') ?? '';
    const html = mimePart(mail.raw, 'text/html') ?? '';
    const link = /https?:\/\/[^\s/]+(\/auth\/reset_password\/[\w.-]+)/.exec(text);
    assert.ok(link, `a reset link in the text part: ${text}`);
    const path = link[1];
    assert.match(text, /^Dear rita,/);
    assert.ok(html.includes(`<a href="${link[0]}">`), 'the HTML part links to the same URL');

    const visitor = new WebClient(app);
    const page = await visitor.get(path);
    assert.equal(page.statusCode, 200);
    assert.equal(heading(page.body), 'Reset Your Password');
    assert.equal(formAction(page.body), path);

    const mismatch = await visitor.post(path, { password: NEW_PASSWORD, password2: 'typo' });
    assert.equal(mismatch.statusCode, 400);
    assert.deepEqual(fieldErrors(mismatch.body), { password2: 'Passwords must match.' });
    assert.ok(await (await reload(user)).checkPassword(PASSWORD), 'unchanged after a mismatch');

    const done = await visitor.post(path, { password: NEW_PASSWORD, password2: NEW_PASSWORD });
    const login = await follow(visitor, done, '/auth/login');
    assert.deepEqual(flashes(login.body), ['Your password has been reset.']);
    const stored = await reload(user);
    assert.ok(await stored.checkPassword(NEW_PASSWORD));
    assert.ok(!(await stored.checkPassword(PASSWORD)));

    assert.equal(await sessionsOf(user), 0, 'every session row is gone');
    assert.equal(await tokenWorks(token), false, 'API tokens end too');
    assert.equal(await signedInAs(elsewhere), null);
    assert.equal(await signedInAs(resetter), null);

    const old = await new WebClient(app).login('rita', PASSWORD);
    assert.equal(old.statusCode, 401);
    assert.match(old.body, /Invalid username or password/);
    const fresh = await signIn('rita', NEW_PASSWORD);
    assert.equal(await signedInAs(fresh), 'rita');

    await assertRefused(path, user);
  });

  test('an expired link and a garbage or tampered one are refused with a flash', async () => {
    const user = await createUser('xena');
    const secret = db.config.secretKey;
    const expired = createResetToken(user, secret, Date.now() - 16 * 60 * 1000);
    await assertRefused(`/auth/reset_password/${expired}`, user);
    await assertRefused('/auth/reset_password/garbage', user);
    const valid = createResetToken(user, secret);
    const tampered = `${valid.slice(0, -1)}${valid.endsWith('A') ? 'B' : 'A'}`;
    await assertRefused(`/auth/reset_password/${tampered}`, user);
    const forged = createResetToken(user, 'some other secret');
    await assertRefused(`/auth/reset_password/${forged}`, user);
    // The fresh, valid one does work: the refusals above are not a broken route.
    const page = await new WebClient(app).get(`/auth/reset_password/${valid}`);
    assert.equal(page.statusCode, 200);
    assert.equal(heading(page.body), 'Reset Your Password');
  });

  test('change password requires a signed-in user', async () => {
    const user = await createUser('nina');
    const hash = user.passwordHash;
    const client = new WebClient(app);
    const page = await client.get('/auth/change_password');
    const login = await follow(client, page, '/auth/login?next=%2Fauth%2Fchange_password');
    assert.deepEqual(flashes(login.body), ['Please log in to access this page.']);
    const form = { current_password: PASSWORD, password: NEW_PASSWORD, password2: NEW_PASSWORD };
    const referer = { referer: 'http://localhost/auth/change_password' };
    const posted = await client.post('/auth/change_password', form, referer);
    assert.equal(posted.statusCode, 302);
    assert.equal(posted.headers.location, '/auth/login?next=%2Fauth%2Fchange_password');
    assert.equal((await reload(user)).passwordHash, hash);
  });

  test('a wrong current password is a field error and changes nothing', async () => {
    const user = await createUser('walt');
    const client = await signIn('walt');
    const other = await signIn('walt');
    const hash = user.passwordHash;
    await client.get('/auth/change_password');
    const response = await client.post('/auth/change_password', {
      current_password: 'not my password',
      password: NEW_PASSWORD,
      password2: NEW_PASSWORD,
    });
    assert.equal(response.statusCode, 400);
    assert.equal(heading(response.body), 'Change Password');
    assert.deepEqual(fieldErrors(response.body), {
      current_password: 'Your current password is not correct.',
    });
    assert.ok(!response.body.includes('not my password'), 'not echoed');
    assert.equal((await reload(user)).passwordHash, hash);
    assert.equal(await sessionsOf(user), 2);
    assert.equal(await signedInAs(other), 'walt');
  });

  test('success keeps this browser signed in with a new cookie and signs the others out', async () => {
    const user = await createUser('carl');
    const client = await signIn('carl');
    const other = await signIn('carl');
    const token = await apiTokenOf('carl');
    const before = client.cookies.get(SESSION_COOKIE);
    assert.ok(before);
    const page = await client.get('/auth/change_password');
    assert.equal(heading(page.body), 'Change Password');
    const response = await client.post('/auth/change_password', {
      current_password: PASSWORD,
      password: NEW_PASSWORD,
      password2: NEW_PASSWORD,
    });
    const profile = await follow(client, response, '/user/carl');
    assert.deepEqual(flashes(profile.body), [
      'Your password has been changed. Other sessions were signed out.',
    ]);
    const after = client.cookies.get(SESSION_COOKIE);
    assert.ok(after);
    assert.notEqual(after, before, 'the session cookie was rotated');

    const stored = await reload(user);
    assert.ok(await stored.checkPassword(NEW_PASSWORD));
    assert.ok(!(await stored.checkPassword(PASSWORD)));
    assert.equal(await sessionsOf(user), 1, 'only this session is left');
    assert.equal(await tokenWorks(token), false, 'API tokens end too');

    assert.equal(await signedInAs(client), 'carl');
    const home = await other.get('/index');
    assert.equal(home.statusCode, 302, 'the other browser is anonymous now');
    assert.equal(home.headers.location, '/auth/login?next=%2Findex');
    assert.equal(await signedInAs(other), null);
    const replay = new WebClient(app);
    replay.cookies.set(SESSION_COOKIE, before);
    assert.equal(await signedInAs(replay), null, 'the pre-rotation cookie is dead');
  });
});
