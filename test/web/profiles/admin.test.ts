import assert from 'node:assert/strict';
import { beforeEach, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { Session, Token, User } from '../../../src/db/entities/index.ts';
import { currentDialect, type TestContext } from '../../helpers.ts';
import { apiToken, basicAuth } from '../../support/api.ts';
import { alertText } from '../../support/html.ts';
import { logIn, seedUser, setUpPageTest, userNamed } from '../../support/pages.ts';
import { flashes, signedInAs, WebClient } from '../../support/web-client.ts';

const PASSWORD = 'correct horse';

/** The Disable/Enable form of a profile page: where it posts and what its button says. */
function accountControl(html: string) {
  const form =
    /<form method="post" action="([^"]+)" class="account-status[^"]*">([\s\S]*?)<\/form>/.exec(
      html,
    );
  if (!form) return null;
  return {
    action: form[1],
    button: /<button[^>]*>([^<]*)<\/button>/.exec(form[2])?.[1],
    badge: /<span class="badge[^"]*">([^<]*)<\/span>/.exec(form[2])?.[1] ?? null,
  };
}

describe(`an admin's account controls on profiles, on ${currentDialect()}`, () => {
  let db: TestContext;
  let app: FastifyInstance;
  setUpPageTest({}, async (opened) => {
    ({ db, app } = opened);
    await seedUser(db, 'boss', PASSWORD);
    await seedUser(db, 'mary', PASSWORD);
    await seedUser(db, 'susan', PASSWORD);
    const em = db.em();
    (await em.findOneOrFail(User, { username: 'boss' })).isAdmin = true;
    await em.flush();
  });
  // Each test starts with susan enabled and signed in nowhere.
  beforeEach(async () => {
    const susan = await userNamed(db, 'susan');
    await db.em().nativeUpdate(User, susan.id, { disabledAt: null });
    await db.em().nativeDelete(Session, { user: susan.id });
  });

  const tokensAccepted = async (token: string) =>
    (
      await app.inject({
        method: 'GET',
        url: '/api/me',
        headers: { authorization: `Bearer ${token}` },
      })
    ).statusCode;

  test('only an admin sees the control, and not on their own profile', async () => {
    const boss = await logIn(app, 'boss');
    assert.deepEqual(accountControl((await boss.get('/user/susan')).body), {
      action: '/user/susan/disable',
      button: 'Disable',
      badge: null,
    });
    assert.equal(accountControl((await boss.get('/user/boss')).body), null);
    const mary = await logIn(app, 'mary');
    assert.equal(accountControl((await mary.get('/user/susan')).body), null);
    assert.equal(accountControl((await new WebClient(app).get('/user/susan')).body), null);
  });

  test('disabling ends the account at once: session, API token, web and API login', async () => {
    const susanBrowser = await logIn(app, 'susan');
    const susanToken = await apiToken(app, 'susan', PASSWORD);
    const susan = await userNamed(db, 'susan');
    const refresh = await app.inject({
      method: 'POST',
      url: '/api/tokens',
      headers: { authorization: basicAuth('susan', PASSWORD) },
    });
    const pair = {
      access_token: String(JSON.parse(refresh.body).access_token),
      refresh_token: String(refresh.cookies.find((c) => c.name === 'refresh_token')?.value),
    };
    assert.equal(await tokensAccepted(susanToken), 200);

    const boss = await logIn(app, 'boss');
    await boss.get('/user/susan');
    const done = await boss.post('/user/susan/disable');
    assert.equal(done.statusCode, 302);
    assert.equal(done.headers.location, '/user/susan');
    const page = await boss.get('/user/susan');
    assert.deepEqual(flashes(page.body), [
      'susan is disabled: their sessions and tokens have ended.',
    ]);
    assert.deepEqual(accountControl(page.body), {
      action: '/user/susan/enable',
      button: 'Enable',
      badge: 'This account is disabled.',
    });
    assert.ok((await userNamed(db, 'susan')).disabledAt instanceof Date);
    assert.equal(await db.em().count(Session, { user: susan.id }), 0);
    assert.equal(await db.em().count(Token, { user: susan.id }), 0);

    assert.equal(await signedInAs(susanBrowser), null, 'her open session has ended');
    assert.equal(await tokensAccepted(susanToken), 401);
    const rotated = await app.inject({
      method: 'PUT',
      url: '/api/tokens',
      payload: pair,
    });
    assert.equal(rotated.statusCode, 401);

    // Logging in fails exactly as a wrong password does: nothing confirms the password.
    const wrong = await new WebClient(app).login('susan', 'not her password');
    const right = await new WebClient(app).login('susan', PASSWORD);
    assert.equal(right.statusCode, 401);
    assert.equal(alertText(right.body), alertText(wrong.body));
    assert.equal(alertText(right.body), 'Invalid username or password');
    const apiLogin = (password: string) =>
      app.inject({
        method: 'POST',
        url: '/api/tokens',
        headers: { authorization: basicAuth('susan@example.com', password) },
      });
    const [apiRight, apiWrong] = [await apiLogin(PASSWORD), await apiLogin('nope')];
    assert.equal(apiRight.statusCode, 401);
    assert.equal(apiRight.body, apiWrong.body);
    assert.equal(await db.em().count(Session, { user: susan.id }), 0);

    // Enabling lets her log in again, with a new session.
    await boss.get('/user/susan');
    await boss.post('/user/susan/enable');
    assert.deepEqual(flashes((await boss.get('/user/susan')).body), ['susan can log in again.']);
    assert.equal((await userNamed(db, 'susan')).disabledAt, null);
    assert.equal(await signedInAs(await logIn(app, 'susan')), 'susan');
  });

  test('a session that outlives the disabling signs nobody in', async () => {
    const susanBrowser = await logIn(app, 'susan');
    // As if a request in flight had saved her session again just after it was deleted.
    await db.em().nativeUpdate(User, { username: 'susan' }, { disabledAt: new Date() });
    assert.equal(await db.em().count(Session, { user: { username: 'susan' } }), 1);
    assert.equal(await signedInAs(susanBrowser), null);
    assert.equal(await db.em().count(Session, { user: { username: 'susan' } }), 0);
  });

  test('a non-admin posting the form gets a 403 and changes nothing', async () => {
    const mary = await logIn(app, 'mary');
    await mary.get('/user/susan');
    const response = await mary.post('/user/susan/disable');
    assert.equal(response.statusCode, 403);
    assert.match(response.body, /Only administrators can do this\./);
    assert.equal((await userNamed(db, 'susan')).disabledAt, null);
    const visitor = new WebClient(app);
    await visitor.get('/user/susan');
    const anonymous = await visitor.post('/user/susan/disable');
    assert.equal(anonymous.statusCode, 302);
    assert.match(String(anonymous.headers.location), /^\/auth\/login/);
    assert.equal((await userNamed(db, 'susan')).disabledAt, null);
  });

  test('the form needs its CSRF token; an admin cannot disable themself or nobody', async () => {
    const boss = await logIn(app, 'boss');
    await boss.get('/user/susan');
    const forged = await boss.post('/user/susan/disable', { _csrf: 'forged' });
    assert.equal(forged.statusCode, 403);
    assert.equal((await userNamed(db, 'susan')).disabledAt, null);

    await boss.post('/user/boss/disable');
    assert.deepEqual(flashes((await boss.get('/user/boss')).body), [
      'You cannot disable your own account.',
    ]);
    assert.equal((await userNamed(db, 'boss')).disabledAt, null);
    assert.equal(await signedInAs(boss), 'boss');

    assert.equal((await boss.post('/user/nobody/disable')).statusCode, 404);
  });

  test('the control speaks Spanish on Spanish pages', async () => {
    const boss = await logIn(app, 'boss');
    const page = await boss.get('/user/susan', { 'accept-language': 'es' });
    assert.equal(accountControl(page.body)?.button, 'Desactivar');
  });
});
