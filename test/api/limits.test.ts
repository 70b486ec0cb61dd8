import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { jsonDepth } from '../../src/api/json-body.ts';
import { User } from '../../src/db/entities/index.ts';
import { currentDialect } from '../helpers.ts';
import { openPageTest, type PageTest } from '../support/pages.ts';

describe(`API body limits on ${currentDialect()}`, () => {
  let page: PageTest;
  before(async () => {
    page = await openPageTest({ BODY_LIMIT: '4096' });
  });
  after(() => page.close());

  const post = (payload: string) =>
    page.app.inject({
      method: 'POST',
      url: '/api/users',
      payload,
      headers: { 'content-type': 'application/json' },
    });
  const body = (response: { body: string }) => JSON.parse(response.body) as Record<string, unknown>;

  test('JSON nested absurdly deep is a 400 that stores nothing', async () => {
    const deep = await post(
      `{"username":"deep","email":"deep@example.com","password":"abc","x":${'['.repeat(40)}${']'.repeat(40)}}`,
    );
    assert.equal(deep.statusCode, 400);
    assert.match(String(body(deep).description), /nested more than 32 levels/);
    assert.equal(await page.db.em().count(User, { username: 'deep' }), 0);
  });

  test('a body over BODY_LIMIT is a JSON 413', async () => {
    const response = await post(JSON.stringify({ username: 'x'.repeat(5000) }));
    assert.equal(response.statusCode, 413);
    assert.equal(body(response).message, 'Payload Too Large');
  });

  test('__proto__ keys are refused as invalid JSON', async () => {
    const response = await post('{"username":"proto","__proto__":{"admin":true}}');
    assert.equal(response.statusCode, 400);
    assert.equal(body(response).description, 'The body is not valid JSON.');
  });
});

describe('jsonDepth', { skip: currentDialect() !== 'sqlite' && 'dialect-independent' }, () => {
  test('counts nesting outside strings only', () => {
    assert.equal(jsonDepth('{"a":[1,{"b":[]}]}'), 4);
    assert.equal(jsonDepth('{"a":"[[[[[[\\"]]"}'), 1);
    assert.equal(jsonDepth('"plain"'), 0);
  });
});
