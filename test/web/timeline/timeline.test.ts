import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { Post, Session } from '../../../src/db/entities/index.ts';
import { currentDialect, type TestContext } from '../../helpers.ts';
import { fieldError, pagerOf, postsOf, textareaValue } from '../../support/html.ts';
import {
  expectedIds,
  postCount,
  seedFollowing,
  seedPosts,
  seedUsers,
  setUpPageTest,
  signIn,
  userNamed,
} from '../../support/pages.ts';
import { flashes, WebClient } from '../../support/web-client.ts';

describe(`home and posting on ${currentDialect()}`, () => {
  let db: TestContext;
  let app: FastifyInstance;
  setUpPageTest({ POSTS_PER_PAGE: '3' }, (opened) => {
    ({ db, app } = opened);
  });

  test('home needs a login: / and /index redirect with a flash, and store no session', async () => {
    const sessions = await db.em().count(Session);
    const client = new WebClient(app);
    for (const [path, next] of [
      ['/index', '%2Findex'],
      ['/', '%2F'],
      ['/index?page=2', '%2Findex%3Fpage%3D2'],
    ]) {
      const response = await client.get(path);
      assert.equal(response.statusCode, 302, path);
      assert.equal(response.headers.location, `/auth/login?next=${next}`);
      const login = await client.get(response.headers.location as string);
      assert.deepEqual(flashes(login.body), ['Please log in to access this page.']);
      assert.ok(!login.body.includes('action="/index"'), 'no post form on the login page');
    }
    assert.equal(await db.em().count(Session), sessions, 'a visitor gets no session row');
  });

  test('an anonymous post is redirected to login and stores nothing', async () => {
    const client = new WebClient(app);
    await client.get('/auth/login'); // a CSRF token, as a signed-out browser would have
    const before = await db.em().count(Post);
    const response = await client.post(
      '/index',
      { post: 'sneaky' },
      { referer: 'http://localhost/index' },
    );
    assert.equal(response.statusCode, 302);
    // Back to the page that held the form, not to the POST-only address.
    assert.equal(response.headers.location, '/auth/login?next=%2Findex');
    const foreign = await client.post(
      '/index',
      { post: 'sneaky' },
      { referer: 'https://evil.example/index' },
    );
    assert.equal(foreign.headers.location, '/auth/login');
    assert.equal(await db.em().count(Post), before);
  });

  test('home shows the post form and only own and followed posts, newest first', async () => {
    const mary = await signIn(app, 'mary');
    const [susan, david] = await seedUsers(db, 'susan', 'david');
    const me = await userNamed(db, 'mary');
    await seedFollowing(db, me, [susan]);
    const at = (minute: number) => new Date(Date.UTC(2025, 0, 1, 12, minute, 0, 123));
    await seedPosts(db, [
      { author: me, body: 'mary first', timestamp: at(1) },
      { author: susan, body: 'susan first', timestamp: at(2) },
      { author: david, body: 'david is not followed', timestamp: at(3) },
      { author: me, body: 'mary second', timestamp: at(4) },
      { author: susan, body: 'susan second', timestamp: at(5) },
    ]);
    const response = await mary.get('/index');
    assert.equal(response.statusCode, 200);
    assert.match(response.body, /<title>Home - Microblog<\/title>/);
    assert.match(response.body, /<h1 class="h3">Hi, mary!<\/h1>/);
    const form = /<form method="post" action="\/index"[^>]*>(.*?)<\/form>/s.exec(
      response.body,
    )?.[1];
    assert.ok(form, 'a post form');
    assert.match(form, /<input type="hidden" name="_csrf" value="[^"]+"\/>/);
    assert.match(form, /<label for="field-post" class="form-label">Say something<\/label>/);
    assert.match(form, /<textarea id="field-post" name="post"/);
    const posts = postsOf(response.body);
    assert.deepEqual(
      posts.map((post) => post.body),
      ['susan second', 'mary second', 'susan first'],
    );
    assert.deepEqual(
      posts.map((post) => post.author),
      ['susan', 'mary', 'susan'],
    );
    assert.equal(posts[0].datetime, '2025-01-01T12:05:00.123Z');
    assert.deepEqual(
      posts.map((post) => post.id),
      (await expectedIds(db, [me, susan])).slice(0, 3),
    );
    assert.ok(!response.body.includes('david is not followed'));
    assert.deepEqual(pagerOf(response.body), { newer: null, older: '/index?page=2' });
    const rest = postsOf((await mary.get('/index?page=2')).body);
    assert.deepEqual(
      rest.map((post) => post.body),
      ['mary first'],
    );
    // The root URL serves the same page.
    assert.deepEqual(postsOf((await mary.get('/')).body), posts);
  });

  test('posting redirects to /index with a flash once, and stores the post', async () => {
    const ann = await signIn(app, 'ann');
    await ann.get('/index');
    const started = Date.now();
    const response = await ann.post('/index', { post: 'Hello, world!' });
    assert.equal(response.statusCode, 302);
    assert.equal(response.headers.location, '/index');
    const rows = await db.em().find(Post, { author: { username: 'ann' } });
    assert.equal(rows.length, 1);
    assert.equal(rows[0].body, 'Hello, world!');
    assert.ok(Math.abs(rows[0].timestamp.getTime() - started) < 60_000, 'stamped now');
    const page = await ann.get('/index');
    assert.deepEqual(flashes(page.body), ['Your post is now live!']);
    assert.deepEqual(
      postsOf(page.body).map(({ id, body, author }) => ({ id, body, author })),
      [{ id: rows[0].id, body: 'Hello, world!', author: 'ann' }],
    );
    // Reloading the page (the GET it was redirected to) neither posts again nor flashes.
    const again = await ann.get('/index');
    assert.deepEqual(flashes(again.body), []);
    assert.equal(await postCount(db, 'ann'), 1);
  });

  test('non-ASCII text and emoji are stored and shown intact', async () => {
    const zoe = await signIn(app, 'zoe');
    const text = 'Grüße aus Köln — 日本語のテキスト, ¿qué tal? 🎉👩‍👩‍👧 ﷽';
    await zoe.get('/index');
    assert.equal((await zoe.post('/index', { post: text })).headers.location, '/index');
    const [row] = await db.em().find(Post, { author: { username: 'zoe' } });
    assert.equal(row.body, text);
    assert.equal(postsOf((await zoe.get('/index')).body)[0].body, text);
    assert.equal(postsOf((await zoe.get('/explore')).body)[0].body, text);
  });

  test('140 characters are accepted even when they are 280 UTF-16 units; 141 are not', async () => {
    const eve = await signIn(app, 'eve');
    await eve.get('/index');
    const longest = '😀'.repeat(140);
    assert.equal(longest.length, 280);
    assert.equal((await eve.post('/index', { post: longest })).headers.location, '/index');
    const [row] = await db.em().find(Post, { author: { username: 'eve' } });
    assert.equal(row.body, longest);
    assert.equal(postsOf((await eve.get('/index')).body)[0].body, longest);

    for (const tooLong of ['😀'.repeat(141), 'x'.repeat(141), `${'é'.repeat(140)}!`]) {
      const response = await eve.post('/index', { post: tooLong });
      assert.equal(response.statusCode, 400);
      assert.equal(fieldError(response.body, 'post'), 'Say something in 1 to 140 characters.');
      assert.match(
        response.body,
        /<textarea id="field-post" name="post" class="form-control is-invalid" aria-invalid="true"/,
      );
      assert.equal(
        textareaValue(response.body, 'post'),
        tooLong,
        'the text is kept for correcting',
      );
      assert.equal(await postCount(db, 'eve'), 1, 'nothing stored');
    }
    assert.equal((await eve.post('/index', { post: 'x'.repeat(140) })).statusCode, 302);
    assert.equal(await postCount(db, 'eve'), 2);
  });

  test('an empty, blank or missing post is refused with a field error and stores nothing', async () => {
    const tom = await signIn(app, 'tom');
    await tom.get('/index');
    const forms: Record<string, string>[] = [
      { post: '' },
      { post: '   ' },
      { post: ' \n\t\r\n ' },
      {},
    ];
    for (const form of forms) {
      const response = await tom.post('/index', form);
      assert.equal(response.statusCode, 400, JSON.stringify(form));
      assert.equal(fieldError(response.body, 'post'), 'Say something in 1 to 140 characters.');
      assert.deepEqual(flashes(response.body), []);
    }
    assert.equal(await postCount(db, 'tom'), 0);
  });

  test('a post without a CSRF token is a 403 and stores nothing', async () => {
    const kim = await signIn(app, 'kim');
    const response = await kim.post('/index', { post: 'forged', _csrf: '' });
    assert.equal(response.statusCode, 403);
    assert.match(response.body, /<h1>Forbidden<\/h1>/);
    assert.equal(await postCount(db, 'kim'), 0);
  });

  test('post bodies are HTML-escaped wherever they are shown', async () => {
    const bob = await signIn(app, 'bob');
    await bob.get('/index');
    const bodies = [
      '<script>alert("x")</script>',
      '" onmouseover="x',
      "'><img src=x onerror=alert(1)>",
    ];
    for (const body of bodies)
      assert.equal((await bob.post('/index', { post: body })).statusCode, 302);
    const stored = await db
      .em()
      .find(Post, { author: { username: 'bob' } }, { orderBy: { id: 'desc' } });
    assert.deepEqual(
      stored.map((post) => post.body),
      bodies.toReversed(),
    );
    for (const url of ['/index', '/explore', '/user/bob']) {
      const html = (await bob.get(url)).body;
      assert.deepEqual(
        postsOf(html)
          .filter((post) => post.author === 'bob')
          .map((post) => post.body),
        bodies.toReversed(),
        url,
      );
      assert.ok(!html.includes('<script>alert'), `${url}: no raw script`);
      assert.ok(!html.includes('" onmouseover="x'), `${url}: no attribute break-out`);
      assert.ok(!html.includes('<img src=x'), `${url}: no injected image`);
    }
    // A refused post comes back inside the textarea, where it must not close it.
    const attack = `</textarea><script>alert(1)</script>${'x'.repeat(140)}`;
    const refused = await bob.post('/index', { post: attack });
    assert.equal(refused.statusCode, 400);
    assert.equal(textareaValue(refused.body, 'post'), attack);
    assert.ok(!refused.body.includes('</textarea><script>'));
    assert.equal(await postCount(db, 'bob'), 3);
  });

  test('a NUL character in a post is a 400 with a field error, never a 500', {}, async () => {
    const nul = await signIn(app, 'nul');
    await nul.get('/index');
    const response = await nul.post('/index', { post: 'a\u0000b' });
    assert.equal(response.statusCode, 400);
    assert.ok(fieldError(response.body, 'post'));
    assert.equal(await postCount(db, 'nul'), 0);
  });

  test('the post textarea lets a browser enter 140 emoji (maxlength counts UTF-16 units)', {}, async () => {
    const max = await signIn(app, 'maxlen');
    const html = (await max.get('/index')).body;
    const maxlength = /<textarea id="field-post"[^>]* maxlength="(\d+)"/.exec(html)?.[1];
    assert.ok(maxlength === undefined || Number(maxlength) >= 280, `maxlength="${maxlength}"`);
    assert.equal(await postCount(db, 'maxlen'), 0);
  });
});
