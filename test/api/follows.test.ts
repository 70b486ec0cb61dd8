import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import { Follow, type User } from '../../src/db/entities/index.ts';
import { currentDialect } from '../helpers.ts';
import { apiToken, walkUserList } from '../support/api.ts';
import {
  type PageTest,
  seedFollowing,
  seedFollows,
  seedUser,
  seedUsers,
  setUpPageTest,
} from '../support/pages.ts';

type Json = Record<string, unknown>;
const json = (response: LightMyRequestResponse) => JSON.parse(response.body) as Json;

/** A JSON error body with this status. */
function assertError(response: LightMyRequestResponse, status: number): Json {
  assert.equal(response.statusCode, status, response.body);
  assert.match(String(response.headers['content-type']), /^application\/json/);
  const body = json(response);
  assert.equal(body.code, status);
  assert.equal(typeof body.message, 'string');
  assert.equal(typeof body.description, 'string');
  return body;
}

function assertNoContent(response: LightMyRequestResponse): void {
  assert.equal(response.statusCode, 204, response.body);
  assert.equal(response.body, '');
}

describe(`API follows on ${currentDialect()}`, () => {
  let page: PageTest;
  let mary: User;
  let owen: User;
  let alice: User;
  let zed: User;
  let maryToken: string;
  let owenToken: string;
  /** Whom owen follows, and who follows owen, as seeded (already in username order). */
  const OWEN_FOLLOWS = ['ben', 'cora', 'dan', 'eve', 'finn', 'gus', 'hal'];
  const OWEN_FOLLOWERS = ['ivy', 'jo', 'kim', 'lea', 'mo'];

  setUpPageTest({ RATELIMIT_ENABLED: 'false' }, async (opened) => {
    page = opened;
    mary = await seedUser(opened.db, 'mary', 'cat');
    owen = await seedUser(opened.db, 'owen', 'dog');
    [alice, zed] = await seedUsers(opened.db, 'alice', 'zed');
    const follows = await seedUsers(opened.db, ...OWEN_FOLLOWS);
    const followers = await seedUsers(opened.db, ...OWEN_FOLLOWERS);
    // Seeded out of order, so the order of the lists comes from the query.
    await seedFollowing(opened.db, owen, [...follows].reverse());
    await seedFollows(
      opened.db,
      followers.map((user): [User, User] => [user, owen]),
    );
    maryToken = await tokenFor('mary', 'cat');
    owenToken = await tokenFor('owen', 'dog');
  });

  const tokenFor = (login: string, password: string) => apiToken(page.app, login, password);

  const call = (method: 'GET' | 'POST' | 'DELETE', url: string, token = maryToken) =>
    page.app.inject({ method, url, headers: { authorization: `Bearer ${token}` } });
  const follows = (follower: User, followed: User) =>
    page.db.em().count(Follow, { follower: follower.id, followed: followed.id });

  test('every follow endpoint needs a token', async () => {
    for (const [method, url] of [
      ['GET', `/api/me/following/${alice.id}`],
      ['POST', `/api/me/following/${alice.id}`],
      ['DELETE', `/api/me/following/${alice.id}`],
      ['GET', '/api/me/following'],
      ['GET', '/api/me/followers'],
      ['GET', `/api/users/${owen.id}/following`],
      ['GET', `/api/users/${owen.id}/followers`],
    ] as const) {
      const body = assertError(await call(method, url, 'null'), 401);
      assert.equal(body.message, 'Unauthorized', `${method} ${url}`);
    }
    assert.equal(await follows(mary, alice), 0);
  });

  test('follow, check, refollow, unfollow, re-unfollow: 204, 204, 409, 204, 409', async () => {
    const url = `/api/me/following/${alice.id}`;
    assertError(await call('GET', url), 404);

    assertNoContent(await call('POST', url));
    assert.equal(await follows(mary, alice), 1);
    assert.equal(await follows(alice, mary), 0, 'only one direction');
    assertNoContent(await call('GET', url));

    const again = assertError(await call('POST', url), 409);
    assert.equal(again.message, 'Conflict');
    assert.match(String(again.description), /already following/);
    assert.equal(await follows(mary, alice), 1);

    assertNoContent(await call('DELETE', url));
    assert.equal(await follows(mary, alice), 0);
    assertError(await call('GET', url), 404);

    const twice = assertError(await call('DELETE', url), 409);
    assert.match(String(twice.description), /not following/);
    assert.equal(await follows(mary, alice), 0);
  });

  test('unknown, negative, non-numeric and out-of-range ids are a JSON 404', async () => {
    const before = await page.db.em().count(Follow, {});
    for (const id of ['99999', '0', '-1', 'abc', 'alice', '99999999999999999999', '1e3']) {
      for (const method of ['GET', 'POST', 'DELETE'] as const) {
        const body = assertError(await call(method, `/api/me/following/${id}`), 404);
        assert.equal(body.message, 'Not Found', `${method} ${id}`);
      }
    }
    assert.equal(await page.db.em().count(Follow, {}), before);
  });

  test('following oneself is a 400 that says so; it is never followed', async () => {
    const url = `/api/me/following/${mary.id}`;
    for (const method of ['POST', 'DELETE'] as const) {
      const body = assertError(await call(method, url), 400);
      assert.equal(body.message, 'Bad Request');
      assert.match(String(body.description), /cannot (un)?follow yourself/);
    }
    assertError(await call('GET', url), 404);
    assert.equal(await follows(mary, mary), 0);
  });

  test('concurrent identical follows: exactly one 204, the others 409', async () => {
    const url = `/api/me/following/${zed.id}`;
    const followed = await Promise.all(Array.from({ length: 6 }, () => call('POST', url)));
    assert.deepEqual(
      followed.map((response) => response.statusCode).sort(),
      [204, 409, 409, 409, 409, 409],
    );
    for (const response of followed.filter((r) => r.statusCode === 409)) assertError(response, 409);
    assert.equal(await follows(mary, zed), 1);

    const unfollowed = await Promise.all(Array.from({ length: 6 }, () => call('DELETE', url)));
    assert.deepEqual(
      unfollowed.map((response) => response.statusCode).sort(),
      [204, 409, 409, 409, 409, 409],
    );
    assert.equal(await follows(mary, zed), 0);
  });

  const usernames = (response: LightMyRequestResponse) =>
    (json(response).data as Json[]).map((user) => user.username);

  test('the four lists, ordered by username, serialize full users', async () => {
    const following = await call('GET', '/api/me/following', owenToken);
    assert.equal(following.statusCode, 200, following.body);
    assert.deepEqual(usernames(following), OWEN_FOLLOWS);
    assert.deepEqual(json(following).pagination, {
      offset: 0,
      limit: 25,
      count: OWEN_FOLLOWS.length,
      total: OWEN_FOLLOWS.length,
    });
    const first = (json(following).data as Json[])[0];
    assert.equal(first.url, `/api/users/${first.id}`);
    assert.equal(first.has_password, false);

    const followers = await call('GET', '/api/me/followers', owenToken);
    assert.deepEqual(usernames(followers), OWEN_FOLLOWERS);

    // Anyone may read another user's lists, by id or by username.
    for (const who of [String(owen.id), 'owen']) {
      const theirs = await call('GET', `/api/users/${who}/following`);
      assert.deepEqual(json(theirs), json(following));
      assert.deepEqual(json(await call('GET', `/api/users/${who}/followers`)), json(followers));
    }
    // And they agree with the database.
    const rows = await page.db.em().find(Follow, { follower: owen.id }, { populate: ['followed'] });
    assert.deepEqual(rows.map((row) => row.followed.username).sort(), OWEN_FOLLOWS);

    const empty = json(await call('GET', `/api/users/${alice.id}/followers`));
    assert.deepEqual(empty, {
      data: [],
      pagination: { offset: 0, limit: 25, count: 0, total: 0 },
    });
  });

  test('the lists change as the caller follows and unfollows', async () => {
    assertNoContent(await call('POST', `/api/me/following/${owen.id}`));
    assert.ok(usernames(await call('GET', '/api/me/following')).includes('owen'));
    assert.ok(usernames(await call('GET', '/api/me/followers', owenToken)).includes('mary'));
    assertNoContent(await call('DELETE', `/api/me/following/${owen.id}`));
    assert.deepEqual(usernames(await call('GET', '/api/me/following')), []);
    assert.deepEqual(usernames(await call('GET', '/api/me/followers', owenToken)), OWEN_FOLLOWERS);
  });

  test('unknown users have no lists: 404', async () => {
    for (const who of ['99999', '-1', 'nobody', '99999999999999999999']) {
      assertError(await call('GET', `/api/users/${who}/following`), 404);
      assertError(await call('GET', `/api/users/${who}/followers`), 404);
    }
  });

  const walk = (url: string, mode: 'offset' | 'after') =>
    walkUserList((page) => call('GET', page, owenToken), url, 3, mode);

  test('walking a list with offset and with after gives the same pages', async () => {
    for (const [url, expected] of [
      ['/api/me/following', OWEN_FOLLOWS],
      [`/api/users/${owen.id}/followers`, OWEN_FOLLOWERS],
    ] as const) {
      const byOffset = await walk(url, 'offset');
      const byAfter = await walk(url, 'after');
      assert.deepEqual(byAfter, byOffset, url);
      assert.deepEqual(
        byOffset.flatMap((p) => p.usernames as string[]),
        expected,
      );
      assert.equal(byOffset.length, Math.ceil(expected.length / 3));
      assert.deepEqual(byOffset[1].pagination, {
        offset: 3,
        limit: 3,
        count: Math.min(3, expected.length - 3),
        total: expected.length,
      });
    }
    const after = json(await call('GET', '/api/me/following?after=dan', owenToken));
    assert.deepEqual(
      (after.data as Json[]).map((user) => user.username),
      ['eve', 'finn', 'gus', 'hal'],
    );
    assert.deepEqual(after.pagination, { offset: 3, limit: 25, count: 4, total: 7 });
  });

  test('bad pagination is a 400 on the query field; out of range keeps "Bad Request"', async () => {
    for (const url of ['/api/me/following', `/api/users/${owen.id}/followers`]) {
      for (const [query, field, message] of [
        ['offset=-1', 'offset', 'Bad Request'],
        ['limit=0', 'limit', 'Bad Request'],
        ['limit=x', 'limit', 'Validation Error'],
        ['offset=1&after=ben', 'after', 'Validation Error'],
        ['offset=7', 'offset', 'Bad Request'],
        ['offset=99999999999999999999', 'offset', 'Validation Error'],
        ['after=%00', 'after', 'Validation Error'],
      ]) {
        const response = await call('GET', `${url}?${query}`, owenToken);
        const body = assertError(response, 400);
        assert.equal(body.message, message, `${url}?${query}`);
        const errors = body.errors as Record<string, Record<string, string[]>>;
        assert.ok(errors.query?.[field]?.length, `${url}?${query}: ${response.body}`);
      }
    }
    // An offset on an empty list is not past its end.
    const empty = await call('GET', `/api/users/${alice.id}/followers?offset=0`);
    assert.equal(empty.statusCode, 200);
  });
});
