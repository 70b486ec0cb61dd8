import assert from 'node:assert/strict';
import { beforeEach, describe, test } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import { Session, Token, User } from '../../src/db/entities/index.ts';
import { currentDialect } from '../helpers.ts';
import { apiToken, walkUserList } from '../support/api.ts';
import { type PageTest, seedUser, seedUsers, setUpPageTest } from '../support/pages.ts';

type Json = Record<string, unknown>;
const json = (response: LightMyRequestResponse) => JSON.parse(response.body) as Json;

const USER_FIELDS = [
  'about_me',
  'avatar_url',
  'email',
  'first_seen',
  'has_password',
  'id',
  'last_seen',
  'posts_url',
  'url',
  'username',
];

/** The `errors` of a 400 Validation Error, checked for its shape. */
function validationErrors(response: LightMyRequestResponse): Record<string, Json> {
  assert.equal(response.statusCode, 400, response.body);
  const body = json(response);
  assert.equal(body.code, 400);
  assert.equal(body.message, 'Validation Error');
  assert.equal(typeof body.description, 'string');
  return body.errors as Record<string, Json>;
}

/** Asserts `errors.<location>.<field>` is a non-empty list of messages. */
function assertFieldError(response: LightMyRequestResponse, location: string, field: string) {
  const messages = validationErrors(response)[location]?.[field];
  assert.ok(
    Array.isArray(messages) && messages.length > 0,
    `errors.${location}.${field} in ${response.body}`,
  );
  for (const message of messages as unknown[]) assert.equal(typeof message, 'string');
}

describe(`API users on ${currentDialect()}`, () => {
  let page: PageTest;
  let token: string;
  let mary: User;
  setUpPageTest({ RATELIMIT_ENABLED: 'false' }, async (opened) => {
    page = opened;
    mary = await seedUser(opened.db, 'mary', 'cat');
    await seedUsers(opened.db, 'bob', 'carol', 'dave');
    token = await tokenFor('mary', 'cat');
  });

  const tokenFor = (login: string, password: string) => apiToken(page.app, login, password);

  const register = (payload: unknown) =>
    page.app.inject({
      method: 'POST',
      url: '/api/users',
      payload: payload as Json,
      headers: { authorization: 'Bearer null' },
    });
  const get = (url: string, bearer = token) =>
    page.app.inject({ url, headers: { authorization: `Bearer ${bearer}` } });
  const putMe = (payload: Json, bearer = token) =>
    page.app.inject({
      method: 'PUT',
      url: '/api/me',
      payload,
      headers: { authorization: `Bearer ${bearer}` },
    });
  const userCount = () => page.db.em().count(User, {});

  describe('POST /api/users', () => {
    test('registers with a bogus Bearer null header: 201, the user, stored with a hash', async () => {
      const response = await register({
        username: 'susan',
        email: 'Susan@Example.COM',
        password: 'dog',
      });
      assert.equal(response.statusCode, 201, response.body);
      const body = json(response);
      assert.deepEqual(Object.keys(body).sort(), USER_FIELDS);
      assert.equal(body.username, 'susan');
      assert.equal(body.email, 'susan@example.com');
      assert.equal(body.has_password, true);
      assert.equal(body.url, `/api/users/${body.id}`);
      assert.equal(body.posts_url, `/api/users/${body.id}/posts`);
      assert.match(String(body.first_seen), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
      assert.match(String(body.avatar_url), /\?/);
      assert.ok(!response.body.includes('argon2'));

      const stored = await page.db.em().findOneOrFail(User, { username: 'susan' });
      assert.equal(stored.id, body.id);
      assert.equal(stored.email, 'susan@example.com');
      assert.match(String(stored.passwordHash), /^\$argon2id\$/);
      assert.ok(await stored.checkPassword('dog'));
      // The new account can sign in to the API.
      assert.ok(await tokenFor('susan', 'dog'));
    });

    test('a taken username (in any case) or email is a field error, and nothing is stored', async () => {
      const before = await userCount();
      assertFieldError(
        await register({ username: 'Mary', email: 'other@example.com', password: 'abc' }),
        'json',
        'username',
      );
      assertFieldError(
        await register({ username: 'maryann', email: 'MARY@example.com', password: 'abc' }),
        'json',
        'email',
      );
      assert.equal(await userCount(), before);
      assert.equal(await page.db.em().count(User, { username: 'maryann' }), 0);
    });

    test('each field rule is a 400 Validation Error on that field', async () => {
      const before = await userCount();
      const valid = { username: 'valid', email: 'valid@example.com', password: 'abc' };
      const cases: [Json, string][] = [
        [{ ...valid, username: 'ab' }, 'username'],
        [{ ...valid, username: 'a'.repeat(65) }, 'username'],
        [{ ...valid, username: '1abc' }, 'username'],
        [{ ...valid, username: 'a b' }, 'username'],
        [{ ...valid, email: 'not-an-email' }, 'email'],
        [{ ...valid, email: `${'a'.repeat(110)}@example.com` }, 'email'],
        [{ ...valid, password: 'ab' }, 'password'],
        [{ ...valid, password: 'ab\u0000cd' }, 'password'],
        [{ ...valid, password: 'ab\ud800cd' }, 'password'],
        [{ email: valid.email, password: valid.password }, 'username'],
        [{ username: valid.username, password: valid.password }, 'email'],
        [{ username: valid.username, email: valid.email }, 'password'],
        [{ ...valid, username: ['valid'] }, 'username'],
        [{ ...valid, password: 12345 }, 'password'],
        [{ ...valid, email: null }, 'email'],
      ];
      for (const [payload, field] of cases) {
        const response = await register(payload);
        assertFieldError(response, 'json', field);
      }
      const missing = validationErrors(await register({ ...valid, password: undefined }));
      assert.deepEqual(missing.json, { password: ['Missing data for required field.'] });
      assertFieldError(await register([valid]), 'json', '_schema');
      assert.equal(await userCount(), before);
    });

    test('every bad field is reported at once, in words a form can show', async () => {
      const response = await register({ username: '1', email: 'bad', password: 'x', bogus: 1 });
      assert.deepEqual(validationErrors(response).json, {
        username: [
          'Use 3 to 64 letters, digits, dots, dashes or underscores, starting with a letter.',
        ],
        email: ['Enter a valid email address.'],
        password: ['Use 3 to 256 characters.'],
        bogus: ['Unknown field.'],
      });
      assert.equal(await page.db.em().count(User, { email: 'bad' }), 0);
    });

    test('about_me may be given at registration, and is stored', async () => {
      const response = await register({
        username: 'ursula',
        email: 'ursula@example.com',
        password: 'abc',
        about_me: 'Hi there',
      });
      assert.equal(response.statusCode, 201, response.body);
      assert.equal(json(response).about_me, 'Hi there');
      const stored = await page.db.em().findOneOrFail(User, { username: 'ursula' });
      assert.equal(stored.aboutMe, 'Hi there');
    });

    test('avatar_url takes &s= and loads from another origin', async () => {
      const avatarUrl = String(json(await get('/api/me')).avatar_url);
      const image = await page.app.inject({
        url: `${avatarUrl}&s=64`,
        headers: { origin: 'https://client.example' },
      });
      assert.equal(image.statusCode, 200);
      assert.match(image.body, /^<svg [^>]*width="64" height="64"/);
      assert.equal(image.headers['cross-origin-resource-policy'], 'cross-origin');
      const page404 = await page.app.inject({ url: '/no-such-page' });
      assert.equal(page404.headers['cross-origin-resource-policy'], 'same-origin');
    });

    test('a 64-character username and a 120-character email are accepted', async () => {
      const username = `z${'x'.repeat(63)}`;
      const email = `${'e'.repeat(108)}@example.com`;
      assert.equal(email.length, 120);
      const response = await register({ username, email, password: 'abc' });
      assert.equal(response.statusCode, 201, response.body);
      assert.equal((await page.db.em().findOneOrFail(User, { username })).email, email);
    });

    test('concurrent identical registrations: exactly one succeeds, the rest are 400', async () => {
      const payload = { username: 'twin', email: 'twin@example.com', password: 'abc' };
      const responses = await Promise.all(Array.from({ length: 5 }, () => register(payload)));
      const codes = responses.map((response) => response.statusCode).sort();
      assert.deepEqual(codes, [201, 400, 400, 400, 400]);
      for (const response of responses.filter((r) => r.statusCode === 400)) {
        const errors = validationErrors(response).json;
        assert.ok(errors.username || errors.email, response.body);
      }
      assert.equal(await page.db.em().count(User, { username: 'twin' }), 1);
    });
  });

  describe('GET /api/users/<id or username>', () => {
    test('needs a token', async () => {
      for (const url of ['/api/users', `/api/users/${mary.id}`, '/api/users/mary']) {
        const response = await get(url, 'null');
        assert.equal(response.statusCode, 401, url);
        assert.equal(json(response).message, 'Unauthorized');
      }
    });

    test('finds a user by id and by username, as the same JSON', async () => {
      const byId = await get(`/api/users/${mary.id}`);
      assert.equal(byId.statusCode, 200);
      assert.deepEqual(Object.keys(json(byId)).sort(), USER_FIELDS);
      assert.equal(json(byId).username, 'mary');
      assert.equal(json(byId).id, mary.id);
      const byName = await get('/api/users/mary');
      assert.equal(byName.statusCode, 200);
      assert.deepEqual(json(byName), json(byId));
    });

    test('negative, too large, unknown ids and unknown usernames are a JSON 404', async () => {
      for (const id of [
        '-1',
        '0',
        '99999',
        '2147483648',
        '99999999999999999999',
        'abc',
        'nobody',
        '1.5',
        '%00',
        'x'.repeat(100),
      ]) {
        const response = await get(`/api/users/${id}`);
        assert.equal(response.statusCode, 404, id);
        const body = json(response);
        assert.equal(body.code, 404);
        assert.equal(body.message, 'Not Found');
        assert.equal(typeof body.description, 'string');
      }
    });
  });

  describe('GET /api/users', () => {
    const walk = (mode: 'offset' | 'after') =>
      walkUserList((page) => get(page), '/api/users', 2, mode);

    test('lists every user by username; walking with offset and with after agree', async () => {
      const all = await page.db.em().find(User, {}, { orderBy: { username: 'asc' } });
      const expected = all.map((user) => user.username);
      assert.deepEqual(expected, [...expected].sort(), 'the seeded names sort the same everywhere');

      const first = json(await get('/api/users'));
      assert.deepEqual(
        (first.data as Json[]).map((user) => user.username),
        expected,
      );
      assert.deepEqual(first.pagination, {
        offset: 0,
        limit: 25,
        count: expected.length,
        total: expected.length,
      });
      for (const user of first.data as Json[])
        assert.deepEqual(Object.keys(user).sort(), USER_FIELDS);

      const byOffset = await walk('offset');
      const byAfter = await walk('after');
      assert.deepEqual(byAfter, byOffset);
      assert.deepEqual(
        byOffset.flatMap((p) => p.usernames as string[]),
        expected,
      );
      assert.equal(byOffset.length, Math.ceil(expected.length / 2));
    });

    test('after a username returns the users after it, with the offset it stands for', async () => {
      const body = json(await get('/api/users?after=carol&limit=1'));
      assert.deepEqual(
        (body.data as Json[]).map((user) => user.username),
        ['dave'],
      );
      const total = await userCount();
      // bob and carol come up to and including "carol".
      assert.deepEqual(body.pagination, { offset: 2, limit: 1, count: 1, total });
      const past = json(
        await get(
          '/api/users?after=zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz',
        ),
      );
      assert.deepEqual(past.data, []);
      assert.deepEqual(past.pagination, { offset: total, limit: 25, count: 0, total });
    });

    test('limit is capped at 25', async () => {
      const body = json(await get('/api/users?limit=1000'));
      assert.equal((body.pagination as Json).limit, 25);
    });

    test('bad pagination is a 400 Validation Error on the query field', async () => {
      const total = await userCount();
      const cases: [string, string][] = [
        ['limit=abc', 'limit'],
        ['offset=99999999999999999999', 'offset'],
        ['offset=0&after=bob', 'after'],
        ['after=%00', 'after'],
        ['after=a%00b', 'after'],
      ];
      for (const [query, field] of cases)
        assertFieldError(await get(`/api/users?${query}`), 'query', field);
      // Out of range is microblog-api's bare 400: "Bad Request", with the field still named.
      for (const [query, field] of [
        ['offset=-1', 'offset'],
        ['limit=0', 'limit'],
        ['limit=-5', 'limit'],
        [`offset=${total}`, 'offset'],
      ]) {
        const response = await get(`/api/users?${query}`);
        assert.equal(response.statusCode, 400, query);
        const body = json(response) as { message: string; errors: Record<string, Json> };
        assert.equal(body.message, 'Bad Request', query);
        assert.ok(body.errors.query[field], `${query}: ${response.body}`);
      }
    });
  });

  describe('PUT /api/me', () => {
    let token2: string;
    let kate: User;
    /** The username and email `kate` starts each test with. */
    let name: string;
    let email: string;
    let accounts = 0;
    // A fresh account to edit for each test, signed in to the API with the password "old".
    beforeEach(async () => {
      accounts += 1;
      name = `kate${accounts}`;
      email = `${name}@example.com`;
      kate = await seedUser(page.db, name, 'old');
      token2 = await tokenFor(name, 'old');
    });
    /** Gives `kate` the about me the tests that edit further start from. */
    const saidHello = () => page.db.em().nativeUpdate(User, kate.id, { aboutMe: 'Hello' });

    test('updates username, email and about_me; returns and stores them', async () => {
      const response = await putMe(
        { username: 'katie', email: 'KATIE@example.com', about_me: 'Hello' },
        token2,
      );
      assert.equal(response.statusCode, 200, response.body);
      const body = json(response);
      assert.equal(body.username, 'katie');
      assert.equal(body.email, 'katie@example.com');
      assert.equal(body.about_me, 'Hello');
      const stored = await page.db.em().findOneOrFail(User, kate.id);
      assert.equal(stored.username, 'katie');
      assert.equal(stored.email, 'katie@example.com');
      assert.equal(stored.aboutMe, 'Hello');
      assert.equal(json(await get('/api/me', token2)).username, 'katie');
    });

    test('an empty body changes nothing; keeping one own username or email is fine', async () => {
      await saidHello();
      assert.equal((await putMe({}, token2)).statusCode, 200);
      const same = await putMe({ username: name, email }, token2);
      assert.equal(same.statusCode, 200, same.body);
      const stored = await page.db.em().findOneOrFail(User, kate.id);
      assert.equal(stored.username, name);
      assert.equal(stored.aboutMe, 'Hello');
    });

    test("another user's username or email is a field error, and nothing changes", async () => {
      await saidHello();
      assertFieldError(
        await putMe({ username: 'MARY', about_me: 'x' }, token2),
        'json',
        'username',
      );
      assertFieldError(await putMe({ email: 'mary@example.com' }, token2), 'json', 'email');
      const stored = await page.db.em().findOneOrFail(User, kate.id);
      assert.equal(stored.username, name);
      assert.equal(stored.email, email);
      assert.equal(stored.aboutMe, 'Hello');
    });

    test('the field rules are those of registration', async () => {
      await saidHello();
      for (const [payload, field] of [
        [{ username: 'ab' }, 'username'],
        [{ username: '9lives' }, 'username'],
        [{ email: 'nope' }, 'email'],
        [{ about_me: 'x'.repeat(141) }, 'about_me'],
        [{ about_me: 'a\u0000b' }, 'about_me'],
        [{ about_me: 5 }, 'about_me'],
        [{ password: 'ab', old_password: 'old' }, 'password'],
      ] as [Json, string][]) {
        assertFieldError(await putMe(payload, token2), 'json', field);
      }
      assert.equal((await page.db.em().findOneOrFail(User, kate.id)).aboutMe, 'Hello');
    });

    test('about_me null clears it; an unknown field is refused and changes nothing', async () => {
      await saidHello();
      assertFieldError(await putMe({ about_me: 'kept', colour: 'red' }, token2), 'json', 'colour');
      assert.equal((await page.db.em().findOneOrFail(User, kate.id)).aboutMe, 'Hello');
      const cleared = await putMe({ about_me: null }, token2);
      assert.equal(cleared.statusCode, 200, cleared.body);
      assert.equal(json(cleared).about_me, null);
      assert.equal((await page.db.em().findOneOrFail(User, kate.id)).aboutMe, null);
      assert.equal((await putMe({ about_me: 'Hello' }, token2)).statusCode, 200);
    });

    test('a new password needs the correct old_password', async () => {
      // As microblog-api: a wrong old_password fails validation, with its words.
      for (const payload of [{ old_password: 'wrong' }, { password: 'new', old_password: 'wrong' }])
        assert.deepEqual(validationErrors(await putMe(payload, token2)).json, {
          old_password: ['Password is incorrect'],
        });
      // A new password without the old one is its bare 400, the field still named.
      const without = await putMe({ password: 'new' }, token2);
      assert.equal(without.statusCode, 400);
      assert.equal(json(without).message, 'Bad Request');
      assert.ok((json(without).errors as Record<string, Json>).json.old_password);
      let stored = await page.db.em().findOneOrFail(User, kate.id);
      assert.ok(await stored.checkPassword('old'));
      assert.ok(!(await stored.checkPassword('new')));

      const em = page.db.em();
      em.create(Session, {
        id: 'a'.repeat(64),
        user: em.getReference(User, kate.id),
        data: '{}',
        expiresAt: new Date(Date.now() + 3_600_000),
      });
      await em.flush();
      const otherClient = await tokenFor(name, 'old');

      const changed = await putMe({ password: 'new', old_password: 'old' }, token2);
      assert.equal(changed.statusCode, 200, changed.body);
      stored = await page.db.em().findOneOrFail(User, kate.id);
      assert.ok(await stored.checkPassword('new'));
      assert.ok(!(await stored.checkPassword('old')));
      assert.equal(await page.db.em().count(Session, { user: kate.id }), 0, 'web sessions end');
      assert.equal((await get('/api/me', token2)).statusCode, 200, 'the API token still works');
      assert.equal((await get('/api/me', otherClient)).statusCode, 401, 'other tokens end');
      assert.equal(await page.db.em().count(Token, { user: kate.id }), 1);
      assert.ok(await tokenFor(name, 'new'));
    });

    test('needs a token', async () => {
      const response = await putMe({ about_me: 'x' }, 'null');
      assert.equal(response.statusCode, 401);
    });
  });
});
