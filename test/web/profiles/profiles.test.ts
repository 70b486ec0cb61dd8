import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { Follow, User } from '../../../src/db/entities/index.ts';
import { currentDialect, type TestContext } from '../../helpers.ts';
import { errorPage, listedUsers, pagerOf, profileOf } from '../../support/html.ts';
import {
  findUser,
  logIn,
  seedFollows,
  seedUser,
  seedUsers,
  setUpPageTest,
} from '../../support/pages.ts';
import { flashes, WebClient } from '../../support/web-client.ts';

describe(`profiles, follows and error pages on ${currentDialect()}`, () => {
  let db: TestContext;
  let app: FastifyInstance;
  // mary signs in (with WebClient's password) and follows susan in the tests that need it.
  setUpPageTest({ POSTS_PER_PAGE: '3' }, async (opened) => {
    ({ db, app } = opened);
    await seedUser(db, 'mary', 'correct horse');
    await seedUser(db, 'susan');
  });

  const followersOf = (username: string) => db.em().count(Follow, { followed: { username } });
  const follows = async (follower: string, followed: string) =>
    db.em().count(Follow, { follower: { username: follower }, followed: { username: followed } });

  // --- profiles ---

  test('an unknown user is a 404 page in the layout, with the name escaped', async () => {
    const client = new WebClient(app);
    const response = await client.get('/user/nobody');
    assert.equal(response.statusCode, 404);
    assert.deepEqual(errorPage(response.body), {
      title: 'Not found',
      detail: 'There is no user called nobody.',
      inLayout: true,
    });
    const evil = await client.get(`/user/${encodeURIComponent('<script>alert("x")</script>')}`);
    assert.equal(evil.statusCode, 404);
    assert.equal(
      errorPage(evil.body).detail,
      'There is no user called <script>alert("x")</script>.',
    );
    assert.ok(!evil.body.includes('<script>alert'));
    assert.equal(await findUser(db, 'nobody'), null);
  });

  test('a profile shows the username, avatar, about me, last seen and follow counts', async () => {
    const [sophie, a, b, c] = await seedUsers(db, 'sophie', 'fan1', 'fan2', 'idol');
    await seedFollows(db, [
      [a, sophie],
      [b, sophie],
      [sophie, c],
    ]);
    await db
      .em()
      .nativeUpdate(
        User,
        { id: sophie.id },
        { aboutMe: 'I like cats & dogs', lastSeen: new Date('2026-01-02T03:04:05.678Z') },
      );
    const response = await new WebClient(app).get('/user/sophie');
    assert.equal(response.statusCode, 200);
    assert.match(response.body, /<title>sophie - Microblog<\/title>/);
    const profile = profileOf(response.body);
    assert.equal(profile.heading, 'User: sophie');
    assert.equal(profile.aboutMe, 'I like cats & dogs');
    assert.equal(profile.lastSeen, '2026-01-02T03:04:05.678Z');
    assert.equal(profile.lastSeenText, 'Jan 2, 2026, 3:04 AM UTC');
    const md5 = createHash('md5').update('sophie@example.com').digest('hex');
    assert.equal(profile.avatar, `/avatar/${md5}?d=identicon&s=128`);
    assert.equal(profile.followers, '2');
    assert.equal(await followersOf('sophie'), 2);
    assert.equal(profile.following, '1');
    assert.equal(profile.editLink, false, 'a visitor cannot edit');
    assert.deepEqual(profile.forms, [], 'a visitor gets no follow form');
    assert.match(
      response.body,
      /<p class="text-body-secondary empty">sophie has not posted yet\.<\/p>/,
    );
  });

  test('your own profile offers "Edit your profile" and an export, and no Follow button', async () => {
    const mary = await logIn(app, 'mary');
    const response = await mary.get('/user/mary');
    const profile = profileOf(response.body);
    assert.equal(profile.heading, 'User: mary');
    assert.equal(profile.editLink, true);
    assert.deepEqual(profile.forms, [
      { action: '/export_posts', csrf: true, button: 'Export your posts' },
    ]);
    const row = await findUser(db, 'mary');
    assert.equal(profile.lastSeen, row?.lastSeen?.toISOString(), 'the stored last seen');
  });

  test('follow and unfollow: POST forms with CSRF, one row, counts, flashes', async () => {
    const mary = await logIn(app, 'mary');
    const fans = await followersOf('susan');
    const before = profileOf((await mary.get('/user/susan')).body);
    assert.deepEqual(before.forms, [{ action: '/follow/susan', csrf: true, button: 'Follow' }]);
    assert.equal(before.editLink, false);
    assert.equal(before.followers, String(fans));

    const followed = await mary.post('/follow/susan');
    assert.equal(followed.statusCode, 302);
    assert.equal(followed.headers.location, '/user/susan');
    assert.equal(await follows('mary', 'susan'), 1);
    const after = await mary.get('/user/susan');
    assert.deepEqual(flashes(after.body), ['You are following susan!']);
    const profile = profileOf(after.body);
    assert.deepEqual(profile.forms, [
      { action: '/unfollow/susan', csrf: true, button: 'Unfollow' },
    ]);
    assert.equal(profile.followers, String(fans + 1));
    assert.equal(profileOf((await mary.get('/user/mary')).body).following, '1');

    // Following again keeps the single row.
    assert.equal((await mary.post('/follow/susan')).headers.location, '/user/susan');
    assert.equal(await follows('mary', 'susan'), 1);
    assert.equal(profileOf((await mary.get('/user/susan')).body).followers, String(fans + 1));

    const unfollowed = await mary.post('/unfollow/susan');
    assert.equal(unfollowed.headers.location, '/user/susan');
    assert.equal(await follows('mary', 'susan'), 0);
    const gone = await mary.get('/user/susan');
    assert.deepEqual(flashes(gone.body), ['You are not following susan.']);
    assert.equal(profileOf(gone.body).followers, String(fans));
    assert.equal(profileOf(gone.body).forms[0].button, 'Follow');
    // Unfollowing someone not followed is harmless.
    assert.equal((await mary.post('/unfollow/susan')).statusCode, 302);
    assert.equal(await db.em().count(Follow, { follower: { username: 'mary' } }), 0);
  });

  test('following yourself is refused with a flash and stores no row', async () => {
    const mary = await logIn(app, 'mary');
    await mary.get('/user/mary');
    for (const [url, message] of [
      ['/follow/mary', 'You cannot follow yourself!'],
      ['/unfollow/mary', 'You cannot unfollow yourself!'],
    ]) {
      const response = await mary.post(url);
      assert.equal(response.headers.location, '/user/mary');
      assert.deepEqual(flashes((await mary.get('/user/mary')).body), [message]);
    }
    assert.equal(await follows('mary', 'mary'), 0);
    assert.equal(profileOf((await mary.get('/user/mary')).body).followers, '0');
  });

  test('a follow without a CSRF token is a 403; an unknown user is a 404; both store nothing', async () => {
    const mary = await logIn(app, 'mary');
    const forged = await mary.post('/follow/susan', { _csrf: 'forged' });
    assert.equal(forged.statusCode, 403);
    assert.equal(errorPage(forged.body).title, 'Forbidden');
    await mary.get('/index');
    const unknown = await mary.post('/follow/nobody');
    assert.equal(unknown.statusCode, 404);
    assert.equal(errorPage(unknown.body).detail, 'There is no user called nobody.');
    assert.equal(await db.em().count(Follow, { follower: { username: 'mary' } }), 0);
  });

  test('a visitor who posts a follow is sent to log in and nothing is stored', async () => {
    const fans = await followersOf('susan');
    const visitor = new WebClient(app);
    await visitor.get('/auth/login'); // holds a CSRF token, like a browser whose session expired
    const response = await visitor.post(
      '/follow/susan',
      {},
      { referer: 'http://localhost/user/susan' },
    );
    assert.equal(response.statusCode, 302);
    assert.equal(response.headers.location, '/auth/login?next=%2Fuser%2Fsusan');
    assert.deepEqual(flashes((await visitor.get('/auth/login')).body), [
      'Please log in to access this page.',
    ]);
    assert.equal(await followersOf('susan'), fans);
  });

  test('after a signed-out follow attempt, logging in lands on a page that exists', async () => {
    const visitor = new WebClient(app);
    await visitor.get('/auth/login');
    const posted = await visitor.post(
      '/follow/susan',
      {},
      { referer: 'http://localhost/user/susan' },
    );
    const login = await visitor.submit(posted.headers.location as string, {
      username: 'mary',
      password: 'correct horse',
    });
    assert.equal(login.headers.location, '/user/susan');
    const landing = await visitor.get(login.headers.location as string);
    assert.equal(landing.statusCode, 200, `landed on ${login.headers.location}`);
    assert.equal(await follows('mary', 'susan'), 0);
  });

  test('two simultaneous follows store one row', async () => {
    const mary = await logIn(app, 'mary');
    await mary.get('/user/susan');
    const responses = await Promise.all([
      mary.post('/follow/susan'),
      mary.post('/follow/susan'),
      mary.post('/follow/susan'),
    ]);
    assert.deepEqual(
      responses.map((response) => response.headers.location),
      ['/user/susan', '/user/susan', '/user/susan'],
    );
    assert.equal(await follows('mary', 'susan'), 1);
    await mary.post('/unfollow/susan');
    assert.equal(await follows('mary', 'susan'), 0);
  });

  // --- followers and following lists ---

  test('followers and following lists are ordered by username and paginated', async () => {
    const [star, ...fans] = await seedUsers(db, 'star', 'zed', 'bea', 'cal', 'amy');
    await seedUsers(db, 'loner');
    await seedFollows(db, [
      ...fans.map((fan): [User, User] => [fan, star]),
      [star, fans[0]],
      [star, fans[3]],
    ]);
    const client = new WebClient(app);
    const first = await client.get('/user/star/followers');
    assert.equal(first.statusCode, 200);
    assert.match(first.body, /<h1 class="h3">Followers of star<\/h1>/);
    assert.deepEqual(listedUsers(first.body), ['amy', 'bea', 'cal']);
    assert.deepEqual(pagerOf(first.body, 'users'), {
      newer: null,
      older: '/user/star/followers?page=2',
    });
    const second = await client.get('/user/star/followers?page=2');
    assert.deepEqual(listedUsers(second.body), ['zed']);
    assert.deepEqual(pagerOf(second.body, 'users'), { newer: '/user/star/followers', older: null });
    const following = await client.get('/user/star/following');
    assert.match(following.body, /<h1 class="h3">star follows<\/h1>/);
    assert.deepEqual(listedUsers(following.body), ['amy', 'zed']);
    assert.equal(pagerOf(following.body, 'users'), null, 'one page: no pager at all');
    // The same as the database says.
    const fromDb = await db
      .em()
      .find(User, { following: star.id }, { orderBy: { username: 'asc' } });
    assert.deepEqual(
      fromDb.map((user) => user.username),
      ['amy', 'bea', 'cal', 'zed'],
    );
    const nobody = await client.get('/user/loner/following');
    assert.match(nobody.body, /<p class="text-body-secondary empty">Nobody yet\.<\/p>/);
    for (const url of ['/user/nobody/followers', '/user/nobody/following']) {
      const response = await client.get(url);
      assert.equal(response.statusCode, 404, url);
      assert.equal(errorPage(response.body).detail, 'There is no user called nobody.');
    }
    assert.equal((await client.get('/user/star/followers?page=0')).statusCode, 400);
  });

  // --- error pages ---

  test('an unknown path is a 404 page in the layout, for visitors and users alike', async () => {
    const mary = await logIn(app, 'mary');
    const before = await db.em().count(User);
    for (const client of [new WebClient(app), mary]) {
      const response = await client.get('/no/such/page');
      assert.equal(response.statusCode, 404);
      assert.deepEqual(errorPage(response.body), {
        title: 'Not found',
        detail: 'There is nothing at this address.',
        inLayout: true,
      });
      assert.match(response.body, /<title>Not found - Microblog<\/title>/);
    }
    const signedIn = await mary.get('/no/such/page');
    assert.match(
      signedIn.body,
      /<a class="nav-link" href="\/user\/mary">Profile<\/a>/,
      'the nav knows the user',
    );
    assert.equal(await db.em().count(User), before);
  });
});
