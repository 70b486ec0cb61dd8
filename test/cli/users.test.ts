import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, test } from 'node:test';
import {
  Follow,
  Message,
  Notification,
  Post,
  Session,
  Task,
  Token,
  User,
} from '../../src/db/entities/index.ts';
import { follow } from '../../src/domain/follows.ts';
import { unreadCount } from '../../src/domain/messages.ts';
import { createPost } from '../../src/domain/posts/posts.ts';
import { saveSession } from '../../src/domain/sessions.ts';
import { issueTokens } from '../../src/domain/tokens.ts';
import { createAccount } from '../../src/domain/user-admin.ts';
import { deriveKey } from '../../src/security/keys.ts';
import { currentDialect, openTestDatabase, runCli, type TestContext } from '../helpers.ts';

const PASSWORD = 'correct horse battery';

describe(`microblog users on ${currentDialect()}`, () => {
  let db: TestContext;
  let env: Record<string, string>;
  beforeEach(async () => {
    db = await openTestDatabase();
    env = { DATABASE_URL: db.database.url };
  });
  afterEach(() => db.close());

  const users = (...args: string[]) => runCli(['users', ...args], env);
  /** A command's run that must fail with exactly this one line and write nothing to stdout. */
  const fails = async (
    run: Promise<{ code: number | null; stdout: string; stderr: string }>,
    line: string,
  ) => {
    const { code, stdout, stderr } = await run;
    assert.equal(stderr, `microblog: ${line}\n`);
    assert.equal(code, 1);
    assert.equal(stdout, '');
  };
  const named = (username: string) => db.em().findOne(User, { username });

  /** An account made by the function the command calls, to set a test up quickly. */
  const create = (username: string) =>
    createAccount(db.em(), { username, email: `${username}@example.com`, password: PASSWORD });

  /** A web session and an API token for `user`, stored as logging in stores them. */
  async function credentials(user: User) {
    const em = db.em();
    await saveSession(em, `session-of-${user.username}`, { userId: user.id, cookie: {} });
    const key = deriveKey(db.config.secretKey, 'api-access-tokens');
    await issueTokens(em, em.getReference(User, user.id), db.config.tokens, key);
  }
  const sessionsOf = (user: User) => db.em().count(Session, { user: user.id });
  const tokensOf = (user: User) => db.em().count(Token, { user: user.id });

  test('create reads the password from stdin and stores only its hash', async () => {
    const run = await runCli(
      ['users', 'create', 'Mary', 'MARY@Example.com', '--admin', '--json'],
      env,
      `${PASSWORD}\nignored second line\n`,
    );
    assert.equal(run.code, 0, run.stderr);
    const mary = await db.em().findOneOrFail(User, { username: 'Mary' });
    assert.deepEqual(JSON.parse(run.stdout), {
      id: mary.id,
      username: 'Mary',
      email: 'mary@example.com',
      admin: true,
      disabled_at: null,
    });
    assert.match(mary.passwordHash ?? '', /^\$argon2id\$/);
    assert.equal(await mary.checkPassword(PASSWORD), true);
    assert.equal(mary.isAdmin, true);
    await fails(
      users('create', 'susan', 'susan@example.com', '--password-stdin'),
      'No password on standard input',
    );
    const susan = await runCli(
      ['users', 'create', 'susan', 'susan@example.com'],
      env,
      'pass word\n',
    );
    assert.equal(susan.stdout, 'Created susan (id 2).\n');
    assert.equal((await named('susan'))?.isAdmin, false);
    assert.equal(await (await named('susan'))?.checkPassword('pass word'), true);
  });

  test('create refuses a weak password, a taken username or email, a bad email', async () => {
    await create('mary');
    const attempt = (username: string, email: string, password = PASSWORD) =>
      runCli(['users', 'create', username, email], env, `${password}\n`);
    await fails(
      attempt('susan', 'susan@example.com', 'short'),
      'password: Use 8 to 256 characters.',
    );
    await fails(attempt('MARY', 'other@example.com'), 'username: Please use a different username.');
    await fails(
      attempt('susan', 'Mary@Example.com'),
      'email: Please use a different email address.',
    );
    await fails(attempt('susan', 'not-an-email'), 'email: Enter a valid email address.');
    await fails(
      attempt('1susan', 'susan@example.com'),
      'username: Use 3 to 64 letters, digits, dots, dashes or underscores, starting with a letter.',
    );
    assert.equal(await db.em().count(User), 1);
  });

  test('list finds by username or email in any case, windowed, as a table or JSON', async () => {
    // Names that sort alike under every database's collation.
    for (const name of ['anna', 'bob1', 'bobby', 'carl', 'carl_x', 'dora']) await create(name);
    await users('promote', 'carl');
    await users('disable', 'dora');

    const all = await users('list');
    assert.equal(all.code, 0, all.stderr);
    const lines = all.stdout.trim().split('\n');
    assert.match(lines[0], /^ID +USERNAME +EMAIL +ROLE +STATUS +POSTS +LAST SEEN \(UTC\)$/);
    assert.deepEqual(
      lines.slice(1, 7).map((line) => line.split(/ +/).slice(1, 5)),
      [
        ['anna', 'anna@example.com', 'user', 'active'],
        ['bob1', 'bob1@example.com', 'user', 'active'],
        ['bobby', 'bobby@example.com', 'user', 'active'],
        ['carl', 'carl@example.com', 'admin', 'active'],
        ['carl_x', 'carl_x@example.com', 'user', 'active'],
        ['dora', 'dora@example.com', 'user', 'disabled'],
      ],
    );
    assert.equal(lines.at(-1), '1 to 6 of 6');

    const json = async (...args: string[]) => {
      const run = await users('list', '--json', ...args);
      assert.equal(run.code, 0, run.stderr);
      return JSON.parse(run.stdout) as { total: number; users: { username: string }[] };
    };
    const names = (found: { users: { username: string }[] }) => found.users.map((u) => u.username);
    assert.deepEqual(names(await json('--search', 'BOB')), ['bob1', 'bobby']);
    // LIKE's wildcards are plain characters in a search.
    assert.deepEqual(names(await json('--search', '_')), ['carl_x']);
    assert.deepEqual(names(await json('--search', '%')), []);
    assert.deepEqual(names(await json('--search', 'DORA@EXAMPLE')), ['dora']);
    const window = await json('--limit', '2', '--offset', '1');
    assert.equal(window.total, 6);
    assert.deepEqual(names(window), ['bob1', 'bobby']);
    const [dora] = (await json('--search', 'dora')).users as unknown as Record<string, unknown>[];
    assert.equal(dora.admin, false);
    assert.match(String(dora.disabled_at), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);

    assert.equal((await users('list', '--search', 'nobody')).stdout, 'No users.\n');
    await fails(
      users('list', '--limit', '0'),
      '--limit must be a whole number from 1 to 10,000, not "0"',
    );
    await fails(
      users('list', '--offset', '-1'),
      '--offset must be a whole number from 0 to 2,147,483,647, not "-1"',
    );
  });

  test('set-password changes the password and ends every session and token', async () => {
    const mary = await create('mary');
    const susan = await create('susan');
    await credentials(mary);
    await credentials(susan);
    const run = await runCli(
      ['users', 'set-password', 'mary@example.com'],
      env,
      'new password 1\n',
    );
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stdout, 'Changed the password of mary; their sessions and tokens ended.\n');
    const changed = await db.em().findOneOrFail(User, mary.id);
    assert.equal(await changed.checkPassword('new password 1'), true);
    assert.equal(await changed.checkPassword(PASSWORD), false);
    assert.deepEqual([await sessionsOf(mary), await tokensOf(mary)], [0, 0]);
    assert.deepEqual(
      [await sessionsOf(susan), await tokensOf(susan)],
      [1, 1],
      'others keep theirs',
    );

    await fails(
      runCli(['users', 'set-password', 'mary'], env, 'weak\n'),
      'password: Use 8 to 256 characters.',
    );
    await fails(
      runCli(['users', 'set-password', 'nobody'], env, 'new password 2\n'),
      'There is no user called nobody.',
    );
    assert.equal(
      await (await db.em().findOneOrFail(User, mary.id)).checkPassword('new password 1'),
      true,
    );
  });

  test('disable ends sessions and tokens at once; enable lets the account back', async () => {
    const mary = await create('mary');
    const susan = await create('susan');
    await credentials(mary);
    await credentials(susan);
    const disabled = await users('disable', 'mary');
    assert.equal(disabled.stdout, 'Disabled mary; their sessions and tokens ended.\n');
    assert.ok((await named('mary'))?.disabledAt instanceof Date);
    assert.deepEqual([await sessionsOf(mary), await tokensOf(mary)], [0, 0]);
    assert.deepEqual([await sessionsOf(susan), await tokensOf(susan)], [1, 1]);
    assert.equal((await users('disable', 'mary')).stdout, 'mary was already disabled.\n');

    assert.equal((await users('enable', 'mary')).stdout, 'Enabled mary.\n');
    assert.equal((await named('mary'))?.disabledAt, null);
    assert.equal((await users('enable', 'mary')).stdout, 'mary was not disabled.\n');
    await fails(users('disable', 'nobody'), 'There is no user called nobody.');
    await fails(
      users('enable', 'nobody@example.com'),
      'There is no user called nobody@example.com.',
    );
  });

  test('promote makes an admin and demote undoes it', async () => {
    await create('mary');
    assert.equal((await users('promote', 'mary')).stdout, 'mary is now an admin.\n');
    assert.equal((await named('mary'))?.isAdmin, true);
    assert.equal((await users('promote', 'mary')).stdout, 'mary was already an admin.\n');
    assert.equal((await users('demote', 'mary')).stdout, 'mary is now an ordinary user.\n');
    assert.equal((await named('mary'))?.isAdmin, false);
    await fails(users('promote', 'nobody'), 'There is no user called nobody.');
  });

  test('delete wants --yes off a terminal, then removes everything of the account', async () => {
    const em = db.em();
    const [mary, susan, john] = [await create('mary'), await create('susan'), await create('john')];
    const [m, s, j] = await Promise.all(
      [mary, susan, john].map((u) => em.findOneOrFail(User, u.id)),
    );
    await createPost(em, m, 'mary one');
    await createPost(em, m, 'mary two');
    await createPost(em, s, 'susan one');
    await follow(em, m, s);
    await follow(em, s, m);
    await follow(em, j, s);
    // mary wrote to susan (unread) and to john; john wrote to mary.
    em.create(Message, { sender: m, recipient: s, body: 'hi susan' });
    em.create(Message, { sender: m, recipient: j, body: 'hi john' });
    em.create(Message, { sender: j, recipient: m, body: 'hi mary' });
    em.create(Message, { sender: j, recipient: s, body: 'john to susan' });
    em.create(Notification, {
      user: s,
      name: 'unread_message_count',
      timestamp: 1,
      payloadJson: '2',
    });
    em.create(Notification, {
      user: m,
      name: 'unread_message_count',
      timestamp: 1,
      payloadJson: '1',
    });
    em.create(Task, { id: 'task-of-mary', name: 'export_posts', user: m });
    await em.flush();
    await credentials(mary);

    await fails(users('delete', 'mary'), 'Not deleting mary: confirm with --yes');
    assert.notEqual(await named('mary'), null);
    assert.equal(await db.em().count(Post, { author: mary.id }), 2);

    const run = await users('delete', 'mary', '--yes', '--json');
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(JSON.parse(run.stdout), {
      username: 'mary',
      posts: 2,
      messages: 3,
      follows: 2,
    });
    const check = db.em();
    assert.equal(await named('mary'), null);
    for (const [entity, where] of [
      [Post, { author: mary.id }],
      [Message, { $or: [{ sender: mary.id }, { recipient: mary.id }] }],
      [Follow, { $or: [{ follower: mary.id }, { followed: mary.id }] }],
      [Notification, { user: mary.id }],
      [Task, { user: mary.id }],
      [Session, { user: mary.id }],
      [Token, { user: mary.id }],
    ] as const) {
      assert.equal(await check.count(entity as typeof Post, where as never), 0, entity.name);
    }
    // What others have is intact and consistent.
    assert.deepEqual(
      (await check.find(Post, {}, { populate: ['author'] })).map((p) => [
        p.author.username,
        p.body,
      ]),
      [['susan', 'susan one']],
    );
    const counts = await check.find(User, {}, { orderBy: { username: 'asc' } });
    assert.deepEqual(
      counts.map((u) => [u.username, u.postCount]),
      [
        ['john', 0],
        ['susan', 1],
      ],
    );
    assert.equal(await check.count(Follow, { followed: susan.id }), 1, 'john still follows susan');
    const susanNow = await check.findOneOrFail(User, susan.id);
    assert.equal(await unreadCount(check, susanNow), 1);
    const note = await check.findOneOrFail(Notification, {
      user: susan.id,
      name: 'unread_message_count',
    });
    assert.equal(JSON.parse(note.payloadJson), 1, "susan's unread count no longer counts mary's");

    await fails(users('delete', 'mary', '--yes'), 'There is no user called mary.');
    const text = await users('delete', 'john', '--yes');
    assert.equal(text.stdout, 'Deleted john, with 0 posts, 1 message and 1 follow.\n');
  });
});
