import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, test } from 'node:test';
import { sign } from '@fastify/cookie';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { Session, type User } from '../../../src/db/entities/index.ts';
import { sessionKey } from '../../../src/domain/sessions.ts';
import { SESSION_COOKIE } from '../../../src/plugins/session.ts';
import { deriveKey } from '../../../src/security/keys.ts';
import { currentDialect, type TestContext } from '../../helpers.ts';
import { alertText, formAction, heading } from '../../support/html.ts';
import { logIn, seedUser, setUpPageTest } from '../../support/pages.ts';
import { signedInAs, WebClient } from '../../support/web-client.ts';

const PASSWORD = 'correct horse battery';
const DAY_MS = 24 * 60 * 60 * 1000;

/** The session cookie a response leaves set (the last Set-Cookie for it wins), if any. */
function sessionCookie(response: LightMyRequestResponse) {
  return response.cookies.findLast((cookie) => cookie.name === SESSION_COOKIE);
}

/** The `session` table's key for a session cookie (a hash of the unsigned id). */
function sessionRowId(cookie: string): string {
  return sessionKey(cookie.slice(0, cookie.lastIndexOf('.')));
}

/** A new browser holding only `cookie` as its session cookie. */
function browserWith(app: FastifyInstance, cookie: string): WebClient {
  const client = new WebClient(app);
  client.cookies.set(SESSION_COOKIE, cookie);
  return client;
}

describe(`login on ${currentDialect()}`, () => {
  let db: TestContext;
  let app: FastifyInstance;
  let mary: User;
  setUpPageTest({}, async (opened) => {
    ({ db, app } = opened);
    mary = await seedUser(db, 'mary', PASSWORD);
  });

  const sessionsOf = (user: User) => db.em().find(Session, { user: user.id });

  test('by username: redirects home with a new session row for that user', async () => {
    const before = (await sessionsOf(mary)).length;
    const client = new WebClient(app);
    const page = await client.get('/auth/login');
    assert.equal(heading(page.body), 'Sign In');
    const response = await client.post('/auth/login', { username: 'mary', password: PASSWORD });
    assert.equal(response.statusCode, 302);
    assert.equal(response.headers.location, '/index');
    const cookie = sessionCookie(response);
    assert.ok(cookie, 'a session cookie');
    assert.equal(cookie.httpOnly, true);
    assert.equal(cookie.sameSite, 'Lax');
    assert.equal(await signedInAs(client), 'mary');
    assert.equal((await sessionsOf(mary)).length, before + 1);
  });

  test('by email, in any case', async () => {
    const client = new WebClient(app);
    const response = await client.login('Mary@Example.COM', PASSWORD);
    assert.equal(response.statusCode, 302);
    assert.equal(await signedInAs(client), 'mary');
    const row = await db.em().findOne(Session, {
      id: sessionRowId(client.cookies.get(SESSION_COOKIE) ?? ''),
    });
    assert.equal(row?.user?.id, mary.id);
  });

  test('a wrong password and an unknown user get the same generic answer', async () => {
    const before = (await db.em().find(Session, {})).length;
    const answers = [];
    for (const [username, password] of [
      ['mary', 'wrong password'],
      ['mary@example.com', 'wrong password'],
      ['nobody', PASSWORD],
      ['nobody@example.com', PASSWORD],
    ]) {
      const client = new WebClient(app);
      const response = await client.login(username, password);
      assert.equal(sessionCookie(response), undefined, 'no session');
      assert.equal(heading(response.body), 'Sign In');
      assert.doesNotMatch(response.body, /invalid-feedback/, 'no field is singled out');
      assert.match(response.body, new RegExp(`name="username"[^>]*value="${username}"`));
      assert.ok(!response.body.includes(password), 'the password is not echoed');
      assert.equal(await signedInAs(client), null);
      answers.push({ status: response.statusCode, alert: alertText(response.body) });
    }
    for (const answer of answers) {
      assert.deepEqual(answer, { status: 401, alert: 'Invalid username or password' });
    }
    assert.equal((await db.em().find(Session, {})).length, before, 'no session row');
  });

  const loginWithNext = async (next: string) => {
    const client = new WebClient(app);
    const url = `/auth/login?next=${encodeURIComponent(next)}`;
    const page = await client.get(url);
    assert.equal(formAction(page.body), url, 'the form posts `next` back');
    const response = await client.post(url, { username: 'mary', password: PASSWORD });
    assert.equal(response.statusCode, 302, next);
    assert.equal(await signedInAs(client), 'mary');
    return response.headers.location;
  };

  test('`next` is followed when it is a local path', async () => {
    assert.equal(await loginWithNext('/user/mary'), '/user/mary');
    assert.equal(await loginWithNext('/explore?page=2'), '/explore?page=2');
    assert.ok((await sessionsOf(mary)).length >= 2);
  });

  for (const next of ['//evil.com', 'https://evil.com', '/\\evil.com', 'javascript:alert(1)']) {
    test(`\`next\` ${next} is replaced with /index`, async () => {
      assert.equal(await loginWithNext(next), '/index');
      assert.ok((await sessionsOf(mary)).length >= 1);
    });
  }

  for (const next of ['/.//evil.com', '/..//evil.com']) {
    test(`\`next\` ${next} is replaced with /index`, async () => {
      assert.equal(await loginWithNext(next), '/index');
    });
  }

  test('remember me makes the session cookie and row last 30 days; otherwise it ends with the browser', async () => {
    const remembered = await new WebClient(app).login('mary', PASSWORD, { remember_me: 'y' });
    const forgotten = await new WebClient(app).login('mary', PASSWORD);
    const persistent = sessionCookie(remembered);
    assert.ok(persistent);
    // @fastify/session writes Expires (not Max-Age); either makes the cookie persistent.
    const lifetime =
      persistent.maxAge !== undefined
        ? persistent.maxAge * 1000
        : new Date(persistent.expires ?? 0).getTime() - Date.now();
    assert.ok(Math.abs(lifetime - 30 * DAY_MS) < 60_000, `lifetime ${lifetime} ms`);
    const browserOnly = sessionCookie(forgotten);
    assert.ok(browserOnly);
    assert.equal(browserOnly.maxAge, undefined);
    assert.equal(browserOnly.expires, undefined);
    assert.doesNotMatch(String(forgotten.headers['set-cookie']), /session=[^,]*(Max-Age|Expires)/i);

    const expiry = async (cookie: string) => {
      const row = await db.em().findOneOrFail(Session, { id: sessionRowId(cookie) });
      assert.equal(row.user?.id, mary.id);
      return row.expiresAt.getTime() - Date.now();
    };
    assert.ok(Math.abs((await expiry(persistent.value)) - 30 * DAY_MS) < 60_000);
    assert.ok((await expiry(browserOnly.value)) <= DAY_MS);
  });

  test('logging in rotates the session id: a planted session cookie stops working', async () => {
    // An attacker's session id, fixed in the victim's browser before the victim signs in.
    const plantedId = randomBytes(24).toString('base64url');
    const em = db.em();
    const cookie = { originalMaxAge: null, expires: null, path: '/', httpOnly: true };
    em.create(Session, {
      id: sessionKey(plantedId),
      user: null,
      data: JSON.stringify({ cookie }),
      expiresAt: new Date(Date.now() + DAY_MS),
    });
    await em.flush();
    const planted = sign(plantedId, deriveKey(db.config.secretKey, 'sessions'));
    const victim = browserWith(app, planted);
    assert.equal(await signedInAs(victim), null);
    const response = await victim.login('mary', PASSWORD);
    assert.equal(response.statusCode, 302);
    const issued = sessionCookie(response)?.value;
    assert.ok(issued);
    assert.notEqual(issued, planted);
    assert.equal(await signedInAs(victim), 'mary');
    assert.equal(
      await signedInAs(browserWith(app, planted)),
      null,
      'the planted id is not signed in',
    );
    assert.equal(await db.em().count(Session, { id: sessionKey(plantedId) }), 0);
  });

  test('a signed-in user visiting login or register is sent home', async () => {
    const client = new WebClient(app);
    await client.login('mary', PASSWORD);
    const rows = (await sessionsOf(mary)).length;
    for (const url of ['/auth/login', '/auth/register']) {
      const response = await client.get(url);
      assert.equal(response.statusCode, 302, url);
      assert.equal(response.headers.location, '/index');
    }
    const again = await client.post('/auth/login', { username: 'mary', password: PASSWORD });
    assert.equal(again.headers.location, '/index');
    assert.equal(sessionCookie(again), undefined, 'no new session');
    assert.equal(await signedInAs(client), 'mary');
    assert.equal((await sessionsOf(mary)).length, rows);
  });
});

describe(`logout on ${currentDialect()}`, () => {
  let db: TestContext;
  let app: FastifyInstance;
  setUpPageTest({}, async (opened) => {
    ({ db, app } = opened);
    await seedUser(db, 'susan', PASSWORD);
  });

  const signedIn = async () => {
    const client = await logIn(app, 'susan', PASSWORD);
    const cookie = client.cookies.get(SESSION_COOKIE);
    assert.ok(cookie);
    return { client, cookie, row: sessionRowId(cookie) };
  };
  const rowExists = async (id: string) => (await db.em().count(Session, { id })) === 1;

  test('GET /auth/logout only shows the logout button, and signs nobody out', async () => {
    const { client, row } = await signedIn();
    const response = await client.get('/auth/logout');
    assert.equal(response.statusCode, 200);
    assert.equal(heading(response.body), 'Log out');
    assert.equal(await signedInAs(client), 'susan');
    assert.ok(await rowExists(row));
  });

  test('POST without the CSRF token is a 403 and signs nobody out', async () => {
    const { client, row } = await signedIn();
    for (const token of ['', 'forged-token']) {
      const response = await client.post('/auth/logout', { _csrf: token });
      assert.equal(response.statusCode, 403);
      assert.equal(heading(response.body), 'Forbidden');
    }
    assert.equal(await signedInAs(client), 'susan');
    assert.ok(await rowExists(row));
  });

  test('POST with the token destroys the session row; the old cookie is dead', async () => {
    const { client, cookie, row } = await signedIn();
    const other = await signedIn();
    const page = await client.get('/index');
    assert.match(page.body, /<form method="post" action="\/auth\/logout" class="d-inline">/);
    const response = await client.post('/auth/logout');
    assert.equal(response.statusCode, 302);
    assert.equal(response.headers.location, '/index');
    assert.equal(await rowExists(row), false);
    assert.equal(await signedInAs(client), null);
    const replayed = browserWith(app, cookie);
    const home = await replayed.get('/index');
    assert.equal(home.statusCode, 302);
    assert.equal(home.headers.location, '/auth/login?next=%2Findex');
    assert.equal(await signedInAs(replayed), null);
    // Only this browser is signed out.
    assert.equal(await signedInAs(other.client), 'susan');
    assert.ok(await rowExists(other.row));
  });
});
