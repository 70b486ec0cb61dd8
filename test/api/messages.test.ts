import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import { Message, type User } from '../../src/db/entities/index.ts';
import { currentDialect } from '../helpers.ts';
import { apiToken } from '../support/api.ts';
import { type PageTest, seedUser, setUpPageTest } from '../support/pages.ts';

type Json = Record<string, unknown>;
const json = (response: LightMyRequestResponse) => JSON.parse(response.body) as Json;

describe(`API private messages on ${currentDialect()}`, () => {
  let page: PageTest;
  let tokens: Record<string, string>;
  let users: Record<string, User>;
  setUpPageTest({}, async (opened) => {
    page = opened;
    users = {};
    tokens = {};
    for (const name of ['ada', 'bea', 'cyd']) {
      users[name] = await seedUser(opened.db, name, 'secret');
      tokens[name] = await apiToken(opened.app, name, 'secret');
    }
  });

  const call = (who: string, method: 'GET' | 'POST', url: string, payload?: Json) =>
    page.app.inject({
      method,
      url,
      payload,
      headers: { authorization: `Bearer ${tokens[who]}` },
    });
  const send = (from: string, recipient: string, text: string) =>
    call(from, 'POST', '/api/messages', { recipient, text });

  test('sending: 201 with the message, to a username or an id; bad ones are 4xx', async () => {
    const sent = await send('ada', 'bea', 'Hi Bea!');
    assert.equal(sent.statusCode, 201, sent.body);
    const body = json(sent);
    assert.deepEqual(Object.keys(body).sort(), [
      'id',
      'recipient',
      'sender',
      'text',
      'timestamp',
      'url',
    ]);
    assert.equal(body.text, 'Hi Bea!');
    assert.equal((body.sender as Json).username, 'ada');
    assert.equal((body.recipient as Json).username, 'bea');
    assert.equal(body.url, `/api/messages/${body.id}`);
    const byId = await send('ada', String(users.bea.id), 'By id');
    assert.equal(byId.statusCode, 201);
    assert.equal((await send('ada', 'nobody', 'x')).statusCode, 404);
    assert.equal((await send('ada', 'ada', 'me')).statusCode, 400);
    for (const text of ['', 'x'.repeat(141), 'nul\u0000']) {
      const bad = await send('ada', 'bea', text);
      assert.equal(bad.statusCode, 400);
      assert.ok(((json(bad).errors as Json).json as Json).text, bad.body);
    }
    assert.equal(await page.db.em().count(Message, { sender: users.ada.id }), 2);
  });

  test('the boxes, the unread count, and marking read', async () => {
    await send('cyd', 'bea', 'first');
    await send('cyd', 'bea', 'second');
    const unread = await call('bea', 'GET', '/api/messages/unread');
    assert.ok(Number(json(unread).unread) >= 2);
    const received = json(await call('bea', 'GET', '/api/messages?limit=1'));
    const data = received.data as Json[];
    assert.equal(data.length, 1);
    assert.equal(data[0].text, 'second');
    const pagination = received.pagination as Json;
    assert.equal(pagination.count, 1);
    assert.ok(Number(pagination.total) >= 2);
    const older = json(
      await call(
        'bea',
        'GET',
        `/api/messages?after=${encodeURIComponent(String(data[0].timestamp))}`,
      ),
    );
    assert.equal((older.data as Json[])[0].text, 'first');
    const sent = json(await call('cyd', 'GET', '/api/messages/sent'));
    assert.deepEqual(
      (sent.data as Json[]).map((message) => message.text),
      ['second', 'first'],
    );
    assert.equal((await call('bea', 'POST', '/api/messages/read')).statusCode, 204);
    assert.deepEqual(json(await call('bea', 'GET', '/api/messages/unread')), { unread: 0 });
  });

  test('a message exists only for its sender and its recipient', async () => {
    const id = json(await send('ada', 'cyd', 'just for cyd')).id;
    assert.equal((await call('cyd', 'GET', `/api/messages/${id}`)).statusCode, 200);
    assert.equal((await call('ada', 'GET', `/api/messages/${id}`)).statusCode, 200);
    const other = await call('bea', 'GET', `/api/messages/${id}`);
    assert.equal(other.statusCode, 404);
    assert.ok(
      !JSON.stringify(json(await call('bea', 'GET', '/api/messages'))).includes('just for cyd'),
    );
    assert.equal((await call('bea', 'GET', '/api/messages/x')).statusCode, 404);
    const anonymous = await page.app.inject({ url: '/api/messages' });
    assert.equal(anonymous.statusCode, 401);
  });

  test('the OpenAPI document lists the message endpoints', async () => {
    const doc = json(await page.app.inject({ url: '/api/docs/json' }));
    const paths = Object.keys(doc.paths as Json);
    for (const path of [
      '/api/messages',
      '/api/messages/sent',
      '/api/messages/unread',
      '/api/messages/read',
      '/api/messages/{id}',
    ])
      assert.ok(paths.includes(path), path);
  });
});
