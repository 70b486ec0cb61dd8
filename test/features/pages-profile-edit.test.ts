import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { buildApp } from '../../src/app.ts';
import { User } from '../../src/db/entities/index.ts';
import { currentDialect, openTestDatabase, type TestContext, testConfig } from '../helpers.ts';
import { flashes, WebClient } from '../support/web-client.ts';

// --- reading the rendered HTML (Preact's output is regular: one element per pattern) ---

const decode = (text: string) =>
  text.replace(/&(lt|gt|quot|#39|amp);/g, (_, name: string) =>
    name === 'lt' ? '<' : name === 'gt' ? '>' : name === 'quot' ? '"' : name === '#39' ? "'" : '&',
  );

const one = (pattern: RegExp, html: string) => {
  const match = pattern.exec(html);
  return match ? decode(match[1]) : undefined;
};

/** The profile header: everything the section about the user shows. */
function profileOf(html: string) {
  const section =
    /<section class="[^"]*\bprofile\b[^"]*" aria-label="Profile">(.*?)<\/section>/s.exec(html)?.[1];
  assert.ok(section, 'a profile section');
  const forms = [...section.matchAll(/<form method="post" action="([^"]*)">(.*?)<\/form>/gs)].map(
    ([, action, inner]) => ({
      action: decode(action),
      csrf: /<input type="hidden" name="_csrf" value="[^"]+"\/>/.test(inner),
      button: one(/<button type="submit"[^>]*>(.*?)<\/button>/, inner),
    }),
  );
  return {
    heading: one(/<h1 class="h3">(.*?)<\/h1>/, section),
    aboutMe: one(/<p class="about-me">(.*?)<\/p>/s, section),
    lastSeen: one(/<p class="last-seen">Last seen on: <time datetime="([^"]+)"/, section),
    lastSeenText: one(/<p class="last-seen">Last seen on: <time [^>]*>(.*?)<\/time>/, section),
    followers: one(/<a href="[^"]*\/followers">(\d+) followers<\/a>/, section),
    following: one(/<a href="[^"]*\/following">(\d+) following<\/a>/, section),
    avatar: one(/<img src="([^"]*)" width="128" height="128" alt="Avatar of [^"]*"/, section),
    editLink: section.includes('<a href="/edit_profile">Edit your profile</a>'),
    forms,
  };
}

const fieldError = (html: string, name: string) =>
  one(new RegExp(`<div id="field-${name}-error" class="invalid-feedback">(.*?)</div>`), html);
const inputValue = (html: string, name: string) =>
  one(new RegExp(`<input id="field-${name}" name="${name}"[^>]* value="([^"]*)"`), html);
const textareaValue = (html: string, name: string) =>
  one(new RegExp(`<textarea id="field-${name}" name="${name}"[^>]*>(.*?)</textarea>`, 's'), html);

describe(`profile editing and last seen on ${currentDialect()}`, () => {
  let db: TestContext;
  let app: Awaited<ReturnType<typeof buildApp>>;

  before(async () => {
    db = await openTestDatabase();
    app = await buildApp(
      testConfig(db.database.url, { POSTS_PER_PAGE: '3', RATELIMIT_ENABLED: 'false' }),
    );
    await app.ready();
  });
  after(async () => {
    await app.close();
    await db.close();
  });

  async function signIn(username: string): Promise<WebClient> {
    const client = new WebClient(app);
    assert.equal((await client.register(username)).headers.location, '/auth/login');
    assert.equal(
      (await client.login(username)).headers.location,
      '/index',
      `${username} is signed in`,
    );
    return client;
  }

  const userNamed = (username: string) => db.em().findOne(User, { username });

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
    assert.equal(await userNamed('hacker'), null);
    assert.equal(await db.em().count(User, { aboutMe: 'pwned' }), 0);
  });

  test('the edit form is filled in; saving keeps your own name and changes about me', async () => {
    const ed = await signIn('eddie');
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
    assert.equal((await userNamed('eddie'))?.aboutMe, 'Ich heiße Ed 👋');
    const again = await ed.get('/edit_profile');
    assert.deepEqual(flashes(again.body), ['Your changes have been saved.']);
    assert.equal(textareaValue(again.body, 'about_me'), 'Ich heiße Ed 👋');
    assert.equal(profileOf((await ed.get('/user/eddie')).body).aboutMe, 'Ich heiße Ed 👋');
  });

  test('changing the username moves the profile; the session stays signed in', async () => {
    const ren = await signIn('ren');
    const id = (await userNamed('ren'))?.id;
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
    const kai = await signIn('kai');
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
    const row = await userNamed('kai');
    assert.equal(row?.aboutMe, 'unchanged');
    assert.equal(await db.em().count(User, { username: 'susan' }), 1);
    assert.equal(profileOf((await kai.get('/user/kai')).body).heading, 'User: kai');
  });

  test('about me: 140 characters (emoji too) are fine, 141 are a field error', async () => {
    const amelia = await signIn('amelia');
    await amelia.get('/edit_profile');
    const longest = '😀'.repeat(140);
    assert.equal(
      (await amelia.post('/edit_profile', { username: 'amelia', about_me: longest })).statusCode,
      302,
    );
    assert.equal((await userNamed('amelia'))?.aboutMe, longest);
    for (const tooLong of ['😀'.repeat(141), 'a'.repeat(141)]) {
      const response = await amelia.post('/edit_profile', {
        username: 'amelia',
        about_me: tooLong,
      });
      assert.equal(response.statusCode, 400);
      assert.equal(fieldError(response.body, 'about_me'), 'Use at most 140 characters.');
      assert.equal(textareaValue(response.body, 'about_me'), tooLong);
    }
    assert.equal((await userNamed('amelia'))?.aboutMe, longest);
  });

  test('an about me with markup is stored verbatim and always shown escaped', async () => {
    const xss = await signIn('xss');
    await xss.get('/edit_profile');
    const about = `<script>alert("x")</script> "'><img src=x onerror=alert(1)>`;
    assert.equal(
      (await xss.post('/edit_profile', { username: 'xss', about_me: about })).statusCode,
      302,
    );
    assert.equal((await userNamed('xss'))?.aboutMe, about);
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
    const max = await signIn('maxabout');
    const html = (await max.get('/edit_profile')).body;
    const maxlength = /<textarea id="field-about_me"[^>]* maxlength="(\d+)"/.exec(html)?.[1];
    assert.ok(maxlength === undefined || Number(maxlength) >= 280, `maxlength="${maxlength}"`);
    assert.equal((await userNamed('maxabout'))?.aboutMe, null);
  });

  test('a NUL character in about me is a field error, never a 500', {}, async () => {
    const nul = await signIn('nulabout');
    await nul.get('/edit_profile');
    const response = await nul.post('/edit_profile', {
      username: 'nulabout',
      about_me: 'a\u0000b',
    });
    assert.equal(response.statusCode, 400);
    assert.ok(fieldError(response.body, 'about_me'));
    assert.equal((await userNamed('nulabout'))?.aboutMe, null);
  });

  // --- last seen ---

  test('last seen is written on a request after a minute, and not again within it', async () => {
    const lee = await signIn('lee');
    const twoMinutesAgo = new Date(Date.now() - 120_000);
    await db.em().nativeUpdate(User, { username: 'lee' }, { lastSeen: twoMinutesAgo });
    const started = Date.now();
    const page = await lee.get('/explore');
    assert.equal(page.statusCode, 200);
    const updated = (await userNamed('lee'))?.lastSeen as Date;
    assert.ok(
      updated.getTime() >= started - 1000 && updated.getTime() <= Date.now() + 1000,
      `moved to now: ${updated.toISOString()}`,
    );

    const profile = profileOf((await lee.get('/user/lee')).body);
    assert.equal(profile.lastSeen, updated.toISOString());
    await lee.get('/index');
    assert.equal(
      (await userNamed('lee'))?.lastSeen?.getTime(),
      updated.getTime(),
      'no write within the minute',
    );

    // A visitor's requests write nobody's last seen.
    await db.em().nativeUpdate(User, { username: 'lee' }, { lastSeen: twoMinutesAgo });
    await new WebClient(app).get('/user/lee');
    assert.equal((await userNamed('lee'))?.lastSeen?.getTime(), twoMinutesAgo.getTime());
  });
});
