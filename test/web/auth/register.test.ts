import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { Follow, Post, User } from '../../../src/db/entities/index.ts';
import { currentDialect, type TestContext } from '../../helpers.ts';
import { fieldErrors, heading, inputs } from '../../support/html.ts';
import { logIn, seedUser, setUpPageTest } from '../../support/pages.ts';
import { flashes, WebClient } from '../../support/web-client.ts';

const PASSWORD = 'correct horse battery';

// On a database of its own: showing the form leaves the user table as empty as it was.
describe(`the register form on ${currentDialect()}`, () => {
  let db: TestContext;
  let app: FastifyInstance;
  setUpPageTest({}, (opened) => {
    ({ db, app } = opened);
  });

  const users = () => db.em().count(User);

  test('the form has a labelled input for each field and a CSRF token', async () => {
    const page = await new WebClient(app).get('/auth/register');
    assert.equal(page.statusCode, 200);
    assert.equal(heading(page.body), 'Register');
    const fields = inputs(page.body);
    for (const name of ['username', 'email', 'password', 'password2']) {
      assert.ok(fields[name], name);
      assert.match(page.body, new RegExp(`<label for="${fields[name].id}"[^>]*>[^<]+</label>`));
    }
    assert.match(fields._csrf.value, /^\S{20,}$/);
    assert.equal(await users(), 0);
  });
});

describe(`register on ${currentDialect()}`, () => {
  let db: TestContext;
  let app: FastifyInstance;
  setUpPageTest({}, (opened) => {
    ({ db, app } = opened);
  });

  const users = () => db.em().count(User);
  const form = (fields: Record<string, string> = {}) => ({
    username: 'newbie',
    email: 'newbie@example.com',
    password: PASSWORD,
    password2: PASSWORD,
    ...fields,
  });

  test('success stores an argon2id hash and a lower-cased email, then says so on login', async () => {
    const client = new WebClient(app);
    const response = await client.submit(
      '/auth/register',
      form({ username: 'Susan', email: 'Susan@Example.COM' }),
    );
    assert.equal(response.statusCode, 302);
    assert.equal(response.headers.location, '/auth/login');
    const login = await client.get('/auth/login');
    assert.deepEqual(flashes(login.body), ['Congratulations, you are now a registered user!']);
    assert.equal(heading(login.body), 'Sign In');
    assert.deepEqual(flashes((await client.get('/auth/login')).body), [], 'shown once');

    const user = await db.em().findOneOrFail(User, { username: 'Susan' });
    assert.equal(user.email, 'susan@example.com');
    assert.match(user.passwordHash ?? '', /^\$argon2id\$v=19\$/);
    assert.ok(!user.passwordHash?.includes(PASSWORD), 'never the plain password');
    assert.ok(await user.checkPassword(PASSWORD));
    assert.ok(!(await user.checkPassword('wrong password')));
  });

  const invalid: [string, Record<string, string>, string, RegExp][] = [
    ['a too short username', { username: 'ab' }, 'username', /3 to 64/],
    ['a too long username', { username: `a${'b'.repeat(64)}` }, 'username', /3 to 64/],
    ['a username not starting with a letter', { username: '1mary' }, 'username', /with a letter/],
    ['a username with a space', { username: 'mary ann' }, 'username', /letters, digits/],
    ['a malformed email', { email: 'not-an-email' }, 'email', /valid email/],
    ['an email over 120 characters', { email: `${'e'.repeat(109)}@example.com` }, 'email', /120/],
    ['a too short password', { password: 'short', password2: 'short' }, 'password', /8 to 256/],
    ['passwords that do not match', { password2: `${PASSWORD}!` }, 'password2', /must match/],
  ];
  for (const [what, fields, field, message] of invalid) {
    test(`${what} is reported beside that field, values kept, passwords not echoed`, async () => {
      const before = await users();
      const client = new WebClient(app);
      const submitted = form(fields);
      const response = await client.submit('/auth/register', submitted);
      assert.equal(response.statusCode, 400);
      assert.equal(heading(response.body), 'Register');
      const errors = fieldErrors(response.body);
      assert.deepEqual(Object.keys(errors), [field]);
      assert.match(errors[field], message);
      const values = inputs(response.body);
      assert.equal(values.username.value, submitted.username);
      assert.equal(values.email.value, submitted.email);
      assert.equal(values.password.value, '');
      assert.equal(values.password2.value, '');
      assert.ok(!response.body.includes(submitted.password), 'the password is not echoed');
      assert.equal(await users(), before, 'no row was written');
    });
  }

  test('a taken username or email is reported on that field, whatever its case', async () => {
    const client = new WebClient(app);
    assert.equal((await client.register('mary', PASSWORD, 'mary@example.com')).statusCode, 302);
    const before = await users();
    const cases: [Record<string, string>, string, RegExp][] = [
      [{ username: 'mary', email: 'other1@example.com' }, 'username', /different username/],
      [{ username: 'Mary', email: 'other2@example.com' }, 'username', /different username/],
      [{ username: 'MARY', email: 'other3@example.com' }, 'username', /different username/],
      [{ username: 'marie', email: 'mary@example.com' }, 'email', /different email/],
      [{ username: 'marie', email: 'MARY@Example.com' }, 'email', /different email/],
    ];
    for (const [fields, field, message] of cases) {
      const response = await client.submit('/auth/register', form(fields));
      assert.equal(response.statusCode, 400, JSON.stringify(fields));
      const errors = fieldErrors(response.body);
      assert.deepEqual(Object.keys(errors), [field], JSON.stringify(fields));
      assert.match(errors[field], message);
      assert.equal(inputs(response.body).username.value, fields.username);
      assert.equal(inputs(response.body).email.value, fields.email);
    }
    assert.equal(await users(), before, 'no new row');
    const marys = await db.em().find(User, { email: 'mary@example.com' });
    assert.deepEqual(
      marys.map((user) => user.username),
      ['mary'],
    );
  });

  test('two simultaneous registrations of one username give one row and one field error', async () => {
    const [first, second] = [new WebClient(app), new WebClient(app)];
    await Promise.all([first.get('/auth/register'), second.get('/auth/register')]);
    const responses = await Promise.all([
      first.post('/auth/register', form({ username: 'racer', email: 'racer1@example.com' })),
      second.post('/auth/register', form({ username: 'racer', email: 'racer2@example.com' })),
    ]);
    assert.deepEqual(responses.map((r) => r.statusCode).sort(), [302, 400]);
    const loser = responses.find((r) => r.statusCode === 400);
    assert.deepEqual(Object.keys(fieldErrors(loser?.body ?? '')), ['username']);
    assert.equal(await db.em().count(User, { username: 'racer' }), 1);
  });

  test('two simultaneous registrations of "Rival" and "rival" leave only one of them', async () => {
    const [first, second] = [new WebClient(app), new WebClient(app)];
    await Promise.all([first.get('/auth/register'), second.get('/auth/register')]);
    const responses = await Promise.all([
      first.post('/auth/register', form({ username: 'Rival', email: 'rival1@example.com' })),
      second.post('/auth/register', form({ username: 'rival', email: 'rival2@example.com' })),
    ]);
    const rivals = await db.em().find(User, { email: { $like: 'rival%' } });
    assert.equal(rivals.length, 1, rivals.map((user) => user.username).join(', '));
    const loser = responses.find((r) => r.statusCode === 400);
    assert.deepEqual(Object.keys(fieldErrors(loser?.body ?? '')), ['username']);
  });
});

describe(`CSRF on ${currentDialect()}`, () => {
  let db: TestContext;
  let app: FastifyInstance;
  let client: WebClient;
  let stranger: WebClient;
  setUpPageTest({}, async (opened) => {
    ({ db, app } = opened);
    await seedUser(db, 'alice', PASSWORD);
    await seedUser(db, 'bob', PASSWORD);
    client = await logIn(app, 'alice', PASSWORD);
    stranger = new WebClient(app);
    await stranger.get('/auth/login');
  });

  /** Posts `form` with `client`'s cookies and exactly the fields given (no automatic token). */
  const postAs = (who: WebClient, url: string, form: Record<string, string>) =>
    app.inject({
      method: 'POST',
      url,
      payload: new URLSearchParams(form).toString(),
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        cookie: [...who.cookies].map(([name, value]) => `${name}=${value}`).join('; '),
      },
    });

  const targets: [string, Record<string, string>, () => Promise<number>][] = [
    [
      '/auth/register',
      { username: 'mallory', email: 'm@example.com', password: PASSWORD, password2: PASSWORD },
      () => db.em().count(User, { username: 'mallory' }),
    ],
    ['/index', { post: 'forged post' }, () => db.em().count(Post, { body: 'forged post' })],
    ['/follow/bob', {}, () => db.em().count(Follow, {})],
  ];

  for (const [url, form, rows] of targets) {
    test(`POST ${url} without a valid token is a 403 page and changes nothing`, async () => {
      // /auth/register redirects a signed-in user, so it is posted anonymously.
      const who = url === '/auth/register' ? stranger : client;
      await who.get(url === '/auth/register' ? url : '/index');
      const tokens: [string, Record<string, string>][] = [
        ['no token', {}],
        ['an empty token', { _csrf: '' }],
        ['a wrong token', { _csrf: 'not-a-real-token' }],
        ['a tampered token', { _csrf: `${who.csrfToken.slice(0, -2)}xx` }],
        ["another browser's token", { _csrf: (who === client ? stranger : client).csrfToken }],
      ];
      for (const [label, token] of tokens) {
        const response = await postAs(who, url, { ...form, ...token });
        assert.equal(response.statusCode, 403, label);
        assert.equal(heading(response.body), 'Forbidden', label);
        assert.match(response.body, /<title>Forbidden - Microblog<\/title>/);
        assert.equal(await rows(), 0, `${label}: nothing changed`);
      }
      // The same request with the right token goes through: the check above can fail.
      const response = await postAs(who, url, { ...form, _csrf: who.csrfToken });
      assert.equal(response.statusCode, 302);
      assert.equal(await rows(), 1);
    });
  }
});
