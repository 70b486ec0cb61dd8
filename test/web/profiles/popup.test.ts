import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { User } from '../../../src/db/entities/index.ts';
import { currentDialect, type TestContext } from '../../helpers.ts';
import { seedFollowing, setUpPageTest, signIn, userNamed } from '../../support/pages.ts';
import { WebClient } from '../../support/web-client.ts';

describe(`user popovers on ${currentDialect()}`, () => {
  let db: TestContext;
  let app: FastifyInstance;
  setUpPageTest({}, (opened) => {
    ({ db, app } = opened);
  });

  test('the popup is a fragment: avatar, about me, last seen, counts and the follow button', async () => {
    const viewer = await signIn(app, 'viewer');
    await signIn(app, 'star');
    const star = await userNamed(db, 'star');
    await seedFollowing(db, await userNamed(db, 'viewer'), [star]);
    await db.em().nativeUpdate(User, { id: star.id }, { aboutMe: 'I <b>shine</b>' });
    const response = await viewer.get('/user/star/popup');
    assert.equal(response.statusCode, 200);
    assert.match(String(response.headers['content-type']), /^text\/html/);
    assert.doesNotMatch(response.body, /<html|<nav/, 'no layout around it');
    assert.match(response.body, /<div class="user-popup/);
    assert.match(response.body, /<img src="\/avatar\/[0-9a-f]{32}\?d=identicon&amp;s=64"/);
    assert.match(response.body, /I &lt;b>shine&lt;\/b>/, 'about me, escaped');
    assert.match(response.body, /Last seen on: <time/);
    assert.match(response.body, /1 follower<\/a>, <a href="\/user\/star\/following">0 following/);
    assert.match(response.body, /<form method="post" action="\/unfollow\/star">/);
    assert.match(response.body, /name="_csrf" value="[^"]+"/);
  });

  test("a visitor sees no button, one's own popup has none, and an unknown user is a 404", async () => {
    const visitor = await new WebClient(app).get('/user/star/popup');
    assert.equal(visitor.statusCode, 200);
    assert.doesNotMatch(visitor.body, /<form/);
    const own = await (await signIn(app, 'selfie')).get('/user/selfie/popup');
    assert.doesNotMatch(own.body, /<form/);
    assert.equal((await new WebClient(app).get('/user/nobody/popup')).statusCode, 404);
  });

  test('usernames on posts are links that open a popup', async () => {
    const poster = await signIn(app, 'poster');
    await poster.submit('/index', { post: 'look at me' });
    const explore = await poster.get('/explore');
    assert.match(
      explore.body,
      /<a href="\/user\/poster" class="fw-semibold author user_popup">poster<\/a>/,
    );
  });
});
