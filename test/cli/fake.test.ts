import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, test } from 'node:test';
import { Follow, Post, User } from '../../src/db/entities/index.ts';
import { currentDialect, openTestDatabase, runCli, type TestContext } from '../helpers.ts';

const DAY_MS = 86_400_000;
const USERNAME = /^[A-Za-z][A-Za-z0-9._-]{2,63}$/;
const length = (text: string) => [...text].length;

/** Every follow row as a [follower, followed] pair, and how many each user follows. */
async function followPairs(db: TestContext) {
  const follows = await db.em().find(Follow, {});
  const pairs = follows.map((row) => [row.follower.id, row.followed.id] as const);
  const perFollower = new Map<number, number>();
  for (const [follower] of pairs) perFollower.set(follower, (perFollower.get(follower) ?? 0) + 1);
  return { pairs, perFollower };
}

describe(`microblog fake on ${currentDialect()}`, () => {
  let db: TestContext;
  let env: Record<string, string>;
  // Each test starts from its own empty database at head.
  beforeEach(async () => {
    db = await openTestDatabase();
    env = { DATABASE_URL: db.database.url };
  });
  afterEach(() => db.close());

  /** Runs `microblog fake …` to set a test up; it must succeed. */
  async function fake(...args: string[]) {
    const run = await runCli(['fake', ...args], env);
    assert.equal(run.code, 0, run.stderr);
    return run;
  }

  test('posts before any user is a one-line error that writes nothing', async () => {
    const run = await runCli(['fake', 'posts', '5'], env);
    assert.equal(run.code, 1);
    assert.equal(run.stderr, 'microblog: No users: run "microblog fake users N" first\n');
    assert.equal(run.stdout, '');
    assert.equal(await db.em().count(Post), 0);
  });

  test('users get valid unique names, their own emails, and the printed password', async () => {
    const started = Date.now();
    const run = await runCli(['fake', 'users', '30', '--follows', '5'], env);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stderr, '', 'no progress bar off a terminal');
    assert.equal(
      run.stdout,
      'Created 30 users and 150 follows. They all have the password "microblog-demo".\n',
    );
    const users = await db.em().find(User, {}, { orderBy: { id: 'asc' } });
    assert.equal(users.length, 30);
    const names = users.map((user) => user.username.toLowerCase());
    assert.equal(new Set(names).size, 30, 'unique, even ignoring case');
    for (const user of users) {
      assert.match(user.username, USERNAME);
      assert.equal(user.email, `${user.username.toLowerCase()}@example.com`);
      const seen = user.lastSeen?.getTime() ?? 0;
      assert.ok(seen >= started - 30 * DAY_MS && seen <= Date.now(), `${user.lastSeen}`);
      const first = user.firstSeen?.getTime() ?? Number.NaN;
      assert.ok(first <= seen && first >= seen - 365 * DAY_MS, `first seen ${user.firstSeen}`);
      if (user.aboutMe != null) assert.ok(length(user.aboutMe) >= 1 && length(user.aboutMe) <= 140);
    }
    assert.ok(
      users.some((user) => user.aboutMe),
      'some users say something about themselves',
    );
    assert.equal(new Set(users.map((user) => user.lastSeen?.getTime())).size > 1, true);
    assert.equal(new Set(users.map((user) => user.passwordHash)).size, 1, 'hashed once');
    assert.match(users[0].passwordHash ?? '', /^\$argon2id\$/);
    const password = /password "([^"]+)"/.exec(run.stdout)?.[1] ?? '';
    for (const user of [users[0], users[29]])
      assert.equal(await user.checkPassword(password), true);
    assert.equal(await users[0].checkPassword('not-the-password'), false);
  });

  test('each new user follows --follows others: never itself, never twice', async () => {
    await fake('users', '30', '--follows', '5');
    const { pairs, perFollower } = await followPairs(db);
    assert.equal(pairs.length, 150);
    assert.equal(new Set(pairs.map((pair) => pair.join(':'))).size, 150, 'no duplicate pairs');
    assert.ok(
      pairs.every(([follower, followed]) => follower !== followed),
      'no self-follows',
    );
    assert.deepEqual(new Set(perFollower.values()), new Set([5]));
  });

  test('a second run continues without collisions; follows are capped at users - 1', async () => {
    await fake('users', '30', '--follows', '5');
    const before = await db.em().find(User, {});
    const run = await runCli(['fake', 'users', '30'], env);
    assert.equal(run.code, 0, run.stderr);
    // The default is 50 follows each; there are 59 others to choose from.
    assert.equal(
      run.stdout,
      'Created 30 users and 1500 follows. They all have the password "microblog-demo".\n',
    );
    const users = await db.em().find(User, {});
    assert.equal(users.length, 60);
    assert.equal(new Set(users.map((user) => user.username.toLowerCase())).size, 60);
    const oldIds = new Set(before.map((user) => user.id));
    const { pairs, perFollower } = await followPairs(db);
    assert.equal(pairs.length, 150 + 1500);
    assert.equal(new Set(pairs.map((pair) => pair.join(':'))).size, pairs.length);
    assert.ok(pairs.every(([follower, followed]) => follower !== followed));
    for (const user of users) assert.equal(perFollower.get(user.id), oldIds.has(user.id) ? 5 : 50);

    const capped = await runCli(['fake', 'users', '2', '--follows', '1000'], env);
    assert.equal(capped.code, 0, capped.stderr);
    assert.equal(
      capped.stdout,
      'Created 2 users and 122 follows. They all have the password "microblog-demo".\n',
      'each of the 2 follows all 61 others',
    );
  });

  test('posts: the exact number, 1-140 characters, real authors, spread over the past year', async () => {
    await fake('users', '30', '--follows', '5');
    const started = Date.now();
    const run = await runCli(['fake', 'posts', '200'], env);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stdout, 'Created 200 posts.\n');
    assert.equal(run.stderr, '');
    const posts = await db.em().find(Post, {}, { orderBy: { id: 'asc' } });
    assert.equal(posts.length, 200);
    const userIds = new Set((await db.em().find(User, {})).map((user) => user.id));
    for (const post of posts) {
      assert.ok(length(post.body) >= 1 && length(post.body) <= 140, post.body);
      assert.equal(post.body, post.body.trim());
      assert.ok(userIds.has(post.author.id));
      const time = post.timestamp.getTime();
      assert.ok(time > started - 365 * DAY_MS && time <= Date.now(), `${post.timestamp}`);
    }
    const times = posts.map((post) => post.timestamp.getTime());
    assert.ok(new Set(times).size > 100, 'timestamps differ');
    assert.ok(
      times.some((time, i) => i > 0 && time < times[i - 1]),
      'not in id order',
    );
    assert.ok(
      posts.some((post) => /\p{Extended_Pictographic}/u.test(post.body)),
      'emoji survive the round trip',
    );
    assert.ok(new Set(posts.map((post) => post.author.id)).size > 20, 'many authors');
  });

  // Only PostgreSQL shows it: a fresh table has reltuples = -1 until ANALYZE or autovacuum.
  if (currentDialect() === 'postgresql') {
    test('the loaded tables have planner statistics at once', async () => {
      await fake('users', '30', '--follows', '5');
      await fake('posts', '200');
      const rows: { relname: string; reltuples: number }[] = await db
        .em()
        .execute(
          "select relname, reltuples from pg_class where relname in ('post', 'user', 'followers') order by relname",
        );
      assert.deepEqual(
        rows.map((row) => [row.relname, Number(row.reltuples) > 0]),
        [
          ['followers', true],
          ['post', true],
          ['user', true],
        ],
      );
    });
  }
});

describe('microblog fake without a database at head', {
  skip: currentDialect() !== 'sqlite' && 'dialect-independent',
}, () => {
  test('an empty database is a one-line error', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'microblog-fake-'));
    try {
      const run = await runCli(['fake', 'users', '3'], { DATABASE_URL: `sqlite:///${dir}/x.db` });
      assert.equal(run.code, 1);
      assert.equal(
        run.stderr,
        'microblog: The database is not up to date: run "microblog db upgrade" first\n',
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('a bad count or --follows is a one-line error, before touching the database', async () => {
    // The URL would fail to connect: the arguments are refused first.
    const env = { DATABASE_URL: 'postgresql://nobody@127.0.0.1:1/nothing' };
    const cases = [
      ...['0', '-5', 'abc', '1.5', '10000001', ''].map((bad) => ['users', bad]),
      ...['0', '1e3'].map((bad) => ['posts', bad]),
    ];
    for (const [kind, bad] of cases) {
      const run = await runCli(['fake', kind, bad], env);
      assert.equal(run.code, 1, `${kind} ${bad}`);
      assert.equal(
        run.stderr,
        `microblog: The number of ${kind} must be a whole number from 1 to 10,000,000, not "${bad}"\n`,
      );
      assert.equal(run.stdout, '');
    }
    for (const bad of ['-1', 'x', '10001']) {
      const run = await runCli(['fake', 'users', '3', '--follows', bad], env);
      assert.equal(run.code, 1);
      assert.equal(
        run.stderr,
        `microblog: --follows must be a whole number from 0 to 10,000, not "${bad}"\n`,
      );
    }
  });

  test('fake --help lists both commands', async () => {
    const run = await runCli(['fake', '--help']);
    assert.equal(run.code, 0);
    assert.match(run.stdout, /^ {2}users \[options\] <n>/m);
    assert.match(run.stdout, /^ {2}posts <n>/m);
    assert.match((await runCli(['fake', 'users', '--help'])).stdout, /--follows <n>/);
  });
});
