import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { Message } from '../../../src/db/entities/index.ts';
import { currentDialect, type TestContext } from '../../helpers.ts';
import { badgeOf, fieldError, heading, messagesOf, pagerOf } from '../../support/html.ts';
import { setUpPageTest, signIn } from '../../support/pages.ts';
import { flashes, WebClient } from '../../support/web-client.ts';

describe(`private messages on the web, on ${currentDialect()}`, () => {
  let db: TestContext;
  let app: FastifyInstance;
  setUpPageTest({ POSTS_PER_PAGE: '2' }, (opened) => {
    ({ db, app } = opened);
  });

  const stored = (body: string) => db.em().count(Message, { body });
  const send = async (from: WebClient, to: string, message: string) => {
    await from.get(`/send_message/${to}`);
    return from.post(`/send_message/${to}`, { message });
  };

  test('a message is sent from the profile link, lands with a flash, and shows in the badge', async () => {
    const ann = await signIn(app, 'ann');
    const ben = await signIn(app, 'ben');
    const profile = await ann.get('/user/ben');
    assert.match(profile.body, /<a href="\/send_message\/ben">Send private message<\/a>/);
    const form = await ann.get('/send_message/ben');
    assert.equal(heading(form.body), 'Send Message to ben');
    const sent = await ann.post('/send_message/ben', { message: 'Hello Ben, ça va?' });
    assert.equal(sent.statusCode, 302);
    assert.equal(sent.headers.location, '/user/ben');
    assert.deepEqual(flashes((await ann.get('/user/ben')).body), ['Your message has been sent.']);
    assert.equal(await stored('Hello Ben, ça va?'), 1);
    assert.deepEqual(badgeOf((await ben.get('/explore')).body), { count: 1, shown: true });
    // Opening the messages reads them: the list shows it, and the badge is gone.
    const inbox = await ben.get('/messages');
    assert.deepEqual(messagesOf(inbox.body), [{ from: 'ann', body: 'Hello Ben, ça va?' }]);
    assert.deepEqual(badgeOf((await ben.get('/explore')).body), { count: 0, shown: false });
    assert.deepEqual(badgeOf((await ann.get('/explore')).body), { count: 0, shown: false });
  });

  test('the inbox is newest first, with working links to older and newer pages', async () => {
    const cid = await signIn(app, 'cid');
    const dee = await signIn(app, 'dee');
    for (const n of [1, 2, 3]) await send(cid, 'dee', `number ${n}`);
    const first = await dee.get('/messages');
    assert.deepEqual(
      messagesOf(first.body).map((m) => m.body),
      ['number 3', 'number 2'],
    );
    assert.deepEqual(pagerOf(first.body, 'messages'), { newer: null, older: '/messages?page=2' });
    const second = await dee.get('/messages?page=2');
    assert.deepEqual(
      messagesOf(second.body).map((m) => m.body),
      ['number 1'],
    );
    assert.deepEqual(pagerOf(second.body, 'messages'), { newer: '/messages', older: null });
  });

  test('bad messages are refused with a message by the field, and nothing is stored', async () => {
    const eve = await signIn(app, 'eve');
    await signIn(app, 'fay');
    for (const message of ['', '   ', 'x'.repeat(141), 'nul\u0000byte']) {
      const response = await send(eve, 'fay', message);
      assert.equal(response.statusCode, 400, JSON.stringify(message));
      assert.ok(fieldError(response.body, 'message'));
    }
    assert.equal((await send(eve, 'fay', '😀'.repeat(140))).statusCode, 302, '140 emoji fit');
    assert.equal(await db.em().count(Message, { sender: { username: 'eve' } }), 1);
    const nobody = await eve.get('/send_message/nobody');
    assert.equal(nobody.statusCode, 404);
    assert.equal((await send(eve, 'nobody', 'hi')).statusCode, 404);
    // Nobody messages themself.
    const self = await eve.get('/send_message/eve');
    assert.equal(self.statusCode, 302);
    assert.equal((await eve.post('/send_message/eve', { message: 'me' })).statusCode, 302);
    assert.equal(await stored('me'), 0);
    // A forged form (no CSRF token) changes nothing.
    const forged = await eve.post('/send_message/fay', { message: 'forged', _csrf: '' });
    assert.equal(forged.statusCode, 403);
    assert.equal(await stored('forged'), 0);
  });

  test('messages show only to their sender and recipient', async () => {
    const gus = await signIn(app, 'gus');
    await signIn(app, 'hal');
    const ivy = await signIn(app, 'ivy');
    await send(gus, 'hal', 'a secret for hal');
    for (const page of ['/messages', '/explore', '/index', '/user/gus', '/user/hal']) {
      const response = await ivy.get(page);
      assert.ok(!response.body.includes('a secret for hal'), page);
    }
    const visitor = new WebClient(app);
    assert.equal((await visitor.get('/messages')).statusCode, 302, 'a visitor must log in');
  });
});

describe(`RATELIMIT_MESSAGES, on ${currentDialect()}`, () => {
  let app: FastifyInstance;
  let db: TestContext;
  setUpPageTest({ RATELIMIT_ENABLED: 'true', RATELIMIT_MESSAGES: '2/hour' }, (opened) => {
    ({ db, app } = opened);
  });

  test('a third message within the hour is a 429 and is not stored', async () => {
    const joe = await signIn(app, 'joe');
    await signIn(app, 'kim');
    for (const n of [1, 2]) {
      await joe.get('/send_message/kim');
      assert.equal((await joe.post('/send_message/kim', { message: `m${n}` })).statusCode, 302);
    }
    await joe.get('/send_message/kim');
    assert.equal((await joe.post('/send_message/kim', { message: 'm3' })).statusCode, 429);
    assert.equal(await db.em().count(Message, { body: 'm3' }), 0);
  });
});
