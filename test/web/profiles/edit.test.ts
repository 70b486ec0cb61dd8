import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { User } from '../../../src/db/entities/index.ts';
import { currentDialect, type TestContext } from '../../helpers.ts';
import { fieldError, inputValue, profileOf, textareaValue } from '../../support/html.ts';
import { findUser, setUpPageTest, signIn } from '../../support/pages.ts';
import { flashes, WebClient } from '../../support/web-client.ts';

describe(`profile editing and last seen on ${currentDialect()}`, () => {
  let db: TestContext;
  let app: FastifyInstance;
  setUpPageTest({ POSTS_PER_PAGE: '3' }, (opened) => {
    ({ db, app } = opened);
  });

  // --- edit profile ---

  test('editing the profile needs a login', async () => {
    const visitor = new WebClient(app);
    const page = await visitor.get('/edit_profile');
    assert.equal(page.headers.location, '/auth/login?next=%2Fedit_profile');
    assert.deepEqual(flashes((await visitor.get('/auth/login')).body), [
      'Please log in to access this page.',
    ]);
    const post = await visitor.post('/edit_profile', { username: 'hacker', about_me: 'pwned' });
    assert.equal(post.headers.location, '/auth/login');
    assert.equal(await findUser(db, 'hacker'), null);
    assert.equal(await db.em().count(User, { aboutMe: 'pwned' }), 0);
  });

  test('the edit form is filled in; saving keeps your own name and changes about me', async () => {
    const ed = await signIn(app, 'eddie');
    await db.em().nativeUpdate(User, { username: 'eddie' }, { aboutMe: 'old text' });
    const form = await ed.get('/edit_profile');
    assert.equal(form.statusCode, 200);
    assert.match(
      form.body,
      /<form method="post" action="\/edit_profile"[^>]*><input type="hidden" name="_csrf" value="[^"]+"\/>/,
    );
    assert.equal(inputValue(form.body, 'username'), 'eddie');
    assert.equal(textareaValue(form.body, 'about_me'), 'old text');
    const saved = await ed.post('/edit_profile', {
      username: 'eddie',
      about_me: 'Ich heiße Ed 👋',
    });
    assert.equal(saved.headers.location, '/edit_profile');
    assert.equal((await findUser(db, 'eddie'))?.aboutMe, 'Ich heiße Ed 👋');
    const again = await ed.get('/edit_profile');
    assert.deepEqual(flashes(again.body), ['Your changes have been saved.']);
    assert.equal(textareaValue(again.body, 'about_me'), 'Ich heiße Ed 👋');
    assert.equal(profileOf((await ed.get('/user/eddie')).body).aboutMe, 'Ich heiße Ed 👋');
  });

  test('changing the username moves the profile; the session stays signed in', async () => {
    const ren = await signIn(app, 'ren');
    const id = (await findUser(db, 'ren'))?.id;
    await ren.get('/edit_profile');
    assert.equal(
      (await ren.post('/edit_profile', { username: 'Renamed', about_me: '' })).headers.location,
      '/edit_profile',
    );
    const row = await db.em().findOneOrFail(User, id as number);
    assert.equal(row.username, 'Renamed');
    assert.equal(row.aboutMe, null);
    assert.equal((await ren.get('/user/ren')).statusCode, 404);
    const profile = await ren.get('/user/Renamed');
    assert.equal(profileOf(profile.body).heading, 'User: Renamed');
    assert.equal(profileOf(profile.body).editLink, true, 'still signed in as the same user');
    // A change of case of your own name is not a clash with yourself.
    assert.equal(
      (await ren.post('/edit_profile', { username: 'renamed', about_me: '' })).headers.location,
      '/edit_profile',
    );
    assert.equal((await db.em().findOneOrFail(User, id as number)).username, 'renamed');
  });

  test("taking another user's name, in any case, is a field error and changes nothing", async () => {
    const kai = await signIn(app, 'kai');
    const em = db.em();
    em.create(User, { username: 'susan', email: 'susan@example.com' });
    await em.flush();
    await db.em().nativeUpdate(User, { username: 'kai' }, { aboutMe: 'unchanged' });
    await kai.get('/edit_profile');
    for (const username of ['susan', 'SUSAN', 'Susan']) {
      const response = await kai.post('/edit_profile', { username, about_me: 'changed' });
      assert.equal(response.statusCode, 400, username);
      assert.equal(fieldError(response.body, 'username'), 'Please use a different username.');
      assert.equal(inputValue(response.body, 'username'), username, 'the input is kept');
      assert.equal(textareaValue(response.body, 'about_me'), 'changed');
    }
    for (const username of ['ab', '1kai', 'kai kai', 'x'.repeat(65)]) {
      const response = await kai.post('/edit_profile', { username, about_me: 'changed' });
      assert.equal(response.statusCode, 400, username);
      assert.match(fieldError(response.body, 'username') ?? '', /^Use 3 to 64 letters/);
    }
    const row = await findUser(db, 'kai');
    assert.equal(row?.aboutMe, 'unchanged');
    assert.equal(await db.em().count(User, { username: 'susan' }), 1);
    assert.equal(profileOf((await kai.get('/user/kai')).body).heading, 'User: kai');
  });

  test('about me: 140 characters (emoji too) are fine, 141 are a field error', async () => {
    const amelia = await signIn(app, 'amelia');
    await amelia.get('/edit_profile');
    const longest = '😀'.repeat(140);
    assert.equal(
      (await amelia.post('/edit_profile', { username: 'amelia', about_me: longest })).statusCode,
      302,
    );
    assert.equal((await findUser(db, 'amelia'))?.aboutMe, longest);
    for (const tooLong of ['😀'.repeat(141), 'a'.repeat(141)]) {
      const response = await amelia.post('/edit_profile', {
        username: 'amelia',
        about_me: tooLong,
      });
      assert.equal(response.statusCode, 400);
      assert.equal(fieldError(response.body, 'about_me'), 'Use at most 140 characters.');
      assert.equal(textareaValue(response.body, 'about_me'), tooLong);
    }
    assert.equal((await findUser(db, 'amelia'))?.aboutMe, longest);
  });

  test('an about me with markup is stored verbatim and always shown escaped', async () => {
    const xss = await signIn(app, 'xss');
    await xss.get('/edit_profile');
    const about = `<script>alert("x")</script> "'><img src=x onerror=alert(1)>`;
    assert.equal(
      (await xss.post('/edit_profile', { username: 'xss', about_me: about })).statusCode,
      302,
    );
    assert.equal((await findUser(db, 'xss'))?.aboutMe, about);
    const profile = await new WebClient(app).get('/user/xss');
    assert.equal(profileOf(profile.body).aboutMe, about);
    const form = await xss.get('/edit_profile');
    assert.equal(textareaValue(form.body, 'about_me'), about);
    for (const html of [profile.body, form.body]) {
      assert.ok(!html.includes('<script>alert'));
      assert.ok(!html.includes('<img src=x'));
      assert.ok(!html.includes(`"'>`));
    }
  });

  test('the about-me textarea lets a browser enter 140 emoji (maxlength counts UTF-16 units)', {}, async () => {
    const max = await signIn(app, 'maxabout');
    const html = (await max.get('/edit_profile')).body;
    const maxlength = /<textarea id="field-about_me"[^>]* maxlength="(\d+)"/.exec(html)?.[1];
    assert.ok(maxlength === undefined || Number(maxlength) >= 280, `maxlength="${maxlength}"`);
    assert.equal((await findUser(db, 'maxabout'))?.aboutMe, null);
  });

  test('a NUL character in about me is a field error, never a 500', {}, async () => {
    const nul = await signIn(app, 'nulabout');
    await nul.get('/edit_profile');
    const response = await nul.post('/edit_profile', {
      username: 'nulabout',
      about_me: 'a\u0000b',
    });
    assert.equal(response.statusCode, 400);
    assert.ok(fieldError(response.body, 'about_me'));
    assert.equal((await findUser(db, 'nulabout'))?.aboutMe, null);
  });

  // --- last seen ---

  test('last seen is written on a request after a minute, and not again within it', async () => {
    const lee = await signIn(app, 'lee');
    const twoMinutesAgo = new Date(Date.now() - 120_000);
    await db.em().nativeUpdate(User, { username: 'lee' }, { lastSeen: twoMinutesAgo });
    const started = Date.now();
    const page = await lee.get('/explore');
    assert.equal(page.statusCode, 200);
    const updated = (await findUser(db, 'lee'))?.lastSeen as Date;
    assert.ok(
      updated.getTime() >= started - 1000 && updated.getTime() <= Date.now() + 1000,
      `moved to now: ${updated.toISOString()}`,
    );

    const profile = profileOf((await lee.get('/user/lee')).body);
    assert.equal(profile.lastSeen, updated.toISOString());
    await lee.get('/index');
    assert.equal(
      (await findUser(db, 'lee'))?.lastSeen?.getTime(),
      updated.getTime(),
      'no write within the minute',
    );

    // A visitor's requests write nobody's last seen.
    await db.em().nativeUpdate(User, { username: 'lee' }, { lastSeen: twoMinutesAgo });
    await new WebClient(app).get('/user/lee');
    assert.equal((await findUser(db, 'lee'))?.lastSeen?.getTime(), twoMinutesAgo.getTime());
  });
});
