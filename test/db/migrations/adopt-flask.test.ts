import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, test } from 'node:test';
import { Follow, Message, Notification, Post, Task, User } from '../../../src/db/entities/index.ts';
import { checkEverything } from '../../../src/db/migrations/check.ts';
import { currentRevision, upgrade } from '../../../src/db/migrations/runner.ts';
import { migrationsDir } from '../../../src/db/orm.ts';
import { currentDialect, openTestDatabase, runCli, type TestContext } from '../../helpers.ts';
import {
  buildFlaskDatabase,
  FLASK_REVISIONS,
  FLASK_ROWS,
  fixtureColumnsAt,
  WERKZEUG_USERS,
} from '../../support/flask-fixtures.ts';
import { startApp } from '../../support/pages.ts';
import { WebClient } from '../../support/web-client.ts';

const dialect = currentDialect();
const FLASK_HEAD = FLASK_REVISIONS.at(-1)?.rev ?? '';

/** What a Flask datetime (naive UTC text) is once adopted: UTC milliseconds, whole seconds on MariaDB. */
function adoptedTime(text: string): Date {
  const [date, time] = text.split(' ');
  const [seconds, fraction = ''] = time.split('.');
  const millis = dialect === 'mariadb' ? '000' : fraction.padEnd(3, '0').slice(0, 3);
  return new Date(`${date}T${seconds}.${millis}Z`);
}

function optional(columns: string[] | undefined, column: string, value: unknown) {
  return columns?.includes(column) ? value : null;
}

async function tableExists(db: TestContext, name: string): Promise<boolean> {
  const tables = await db
    .em()
    .getPlatform()
    .getSchemaHelper()
    ?.getAllTables(db.em().getConnection());
  return (tables ?? []).some((table) => table.table_name === name);
}

/** Asserts that every row the fixture put in at `rev` is in our tables, converted. */
async function assertRowsKept(db: TestContext, rev: string) {
  const columns = fixtureColumnsAt(rev);
  const em = db.em();
  const posts = columns.has('post') ? FLASK_ROWS.post : [];

  const users = await em.find(User, {}, { orderBy: { id: 'asc' } });
  assert.deepEqual(
    users.map((user) => [user.id, user.username, user.email, user.passwordHash, user.aboutMe]),
    FLASK_ROWS.user.map((row) => [
      row.id,
      row.username,
      row.email,
      row.password_hash,
      optional(columns.get('user'), 'about_me', row.about_me),
    ]),
  );
  for (const [index, row] of FLASK_ROWS.user.entries()) {
    const user = users[index];
    const own = posts.filter((post) => post.user_id === row.id);
    assert.equal(user.postCount, own.length, `${user.username}'s post count`);
    const lastSeen = optional(columns.get('user'), 'last_seen', row.last_seen) as string | null;
    const firstPost = own
      .map((post) => adoptedTime(String(post.timestamp)))
      .sort((a, b) => +a - +b)[0];
    assert.ok(user.firstSeen, `${user.username} has a first-seen time`);
    if (firstPost) assert.deepEqual(user.firstSeen, firstPost);
    else if (lastSeen) assert.deepEqual(user.firstSeen, adoptedTime(lastSeen));
    assert.deepEqual(user.lastSeen, lastSeen ? adoptedTime(lastSeen) : user.firstSeen);
    const readTime = optional(
      columns.get('user'),
      'last_message_read_time',
      row.last_message_read_time,
    );
    assert.deepEqual(user.lastMessageReadTime, readTime ? adoptedTime(String(readTime)) : null);
  }

  const adoptedPosts = await em.find(Post, {}, { orderBy: { timestamp: 'desc' } });
  const newestFirst = posts.toSorted((a, b) =>
    String(b.timestamp).localeCompare(String(a.timestamp)),
  );
  assert.deepEqual(
    adoptedPosts.map((post) => [post.id, post.body, post.author.id, post.timestamp, post.language]),
    newestFirst.map((row) => [
      row.id,
      row.body,
      row.user_id,
      adoptedTime(String(row.timestamp)),
      optional(columns.get('post'), 'language', row.language || null),
    ]),
  );

  const follows = await em.find(Follow, {}, { orderBy: { follower: 'asc', followed: 'asc' } });
  assert.deepEqual(
    follows.map((follow) => [follow.follower.id, follow.followed.id]),
    (columns.has('followers') ? FLASK_ROWS.followers : []).map((row) => [
      row.follower_id,
      row.followed_id,
    ]),
  );

  const messages = await em.find(Message, {}, { orderBy: { timestamp: 'asc' } });
  assert.deepEqual(
    messages.map((message) => [
      message.id,
      message.sender.id,
      message.recipient.id,
      message.body,
      message.timestamp,
    ]),
    (columns.has('message') ? FLASK_ROWS.message : []).map((row) => [
      row.id,
      row.sender_id,
      row.recipient_id,
      row.body,
      adoptedTime(String(row.timestamp)),
    ]),
  );

  // Flask's Float is single precision on MariaDB; what it stored is what we keep.
  const stored = (value: number) => (dialect === 'mariadb' ? Math.fround(value) : value);
  const notifications = await em.find(Notification, {}, { orderBy: { id: 'asc' } });
  assert.deepEqual(
    notifications.map((n) => [n.id, n.user.id, n.name, n.timestamp, n.payloadJson]),
    (columns.has('notification') ? FLASK_ROWS.notification : [])
      .filter((row) => row.id !== 1)
      .map((row) => [
        row.id,
        row.user_id,
        row.name,
        stored(Number(row.timestamp)),
        row.payload_json,
      ]),
  );

  const tasks = await em.find(Task, {}, { orderBy: { id: 'asc' } });
  assert.deepEqual(
    tasks.map((task) => [task.id, task.user.id, task.name, task.description, task.complete]),
    (columns.has('task') ? FLASK_ROWS.task : [])
      .toSorted((a, b) => String(a.id).localeCompare(String(b.id)))
      // Flask's running tasks cannot go on here: every adopted task is complete.
      .map((row) => [row.id, row.user_id, row.name, row.description, true]),
  );
}

describe(`adopting a Flask Microblog database on ${dialect}`, () => {
  let db: TestContext;
  beforeEach(async () => {
    db = await openTestDatabase({ migrate: false });
  });
  afterEach(() => db.close());

  for (const { rev, message } of FLASK_REVISIONS) {
    test(`at Flask revision ${rev} (${message}): upgrade ends at our head with every row`, async () => {
      await buildFlaskDatabase(db.em(), dialect, rev);
      await upgrade(db.migrations);
      assert.equal(
        db.migrations.lines[0],
        `Adopting a Flask Microblog database at its revision ${rev}`,
      );
      assert.equal((await currentRevision(db.migrations))?.rev, db.migrations.history.at(-1)?.rev);
      assert.deepEqual(await checkEverything(db.migrations, migrationsDir), []);
      assert.equal(await tableExists(db, 'alembic_version'), false);
      if (dialect === 'postgresql') {
        const schemas = await db
          .em()
          .execute(
            `select schema_name from information_schema.schemata where schema_name = 'flask_microblog'`,
          );
        assert.deepEqual(schemas, [], 'the set-aside Flask tables are gone');
      }
      await assertRowsKept(db, rev);

      db.migrations.lines.length = 0;
      await upgrade(db.migrations);
      assert.match(db.migrations.lines.join('\n'), /^Nothing to upgrade/);
      await assertRowsKept(db, rev);
    });
  }

  test('an adoption that fails part-way can be run again; on PostgreSQL it changed nothing', async () => {
    await buildFlaskDatabase(db.em(), dialect, FLASK_HEAD);
    // A table in the way of one of our revisions stops the adoption after its first steps.
    await db.em().execute('create table job (id integer)');
    await assert.rejects(upgrade(db.migrations));
    assert.equal(await tableExists(db, 'alembic_version'), true);
    if (dialect === 'postgresql') {
      const flaskColumns = await db
        .em()
        .execute(
          `select column_name from information_schema.columns where table_schema = current_schema() and table_name = 'user' and column_name = 'token'`,
        );
      assert.equal(flaskColumns.length, 1, "Flask's user table is where it was");
      assert.equal(await tableExists(db, 'message'), true);
      assert.equal(await tableExists(db, 'session'), false);
    } else {
      assert.equal(await tableExists(db, 'flask_microblog_user'), true, 'set aside, to resume');
    }
    await db.em().execute('drop table job');
    db.migrations.lines.length = 0;
    await upgrade(db.migrations);
    assert.deepEqual(await checkEverything(db.migrations, migrationsDir), []);
    await assertRowsKept(db, FLASK_HEAD);
  });

  test('an Alembic version table at base (no row) is dropped and the upgrade runs from empty', async () => {
    await db
      .em()
      .execute('create table alembic_version (version_num varchar(32) not null primary key)');
    await upgrade(db.migrations);
    assert.equal(
      db.migrations.lines[0],
      'Adopting a Flask Microblog database at its revision base',
    );
    assert.equal(await tableExists(db, 'alembic_version'), false);
    assert.deepEqual(await checkEverything(db.migrations, migrationsDir), []);
  });

  test('new posts sort after the adopted ones, and new ids follow theirs', async () => {
    await buildFlaskDatabase(db.em(), dialect, FLASK_HEAD);
    await upgrade(db.migrations);
    const em = db.em();
    const post = em.create(Post, {
      body: 'Written after the move',
      author: em.getReference(User, 1),
    });
    const user = em.create(User, { username: 'dave', email: 'dave@example.com' });
    await em.flush();
    assert.equal(post.id, Math.max(...FLASK_ROWS.post.map((row) => Number(row.id))) + 1);
    assert.equal(user.id, Math.max(...FLASK_ROWS.user.map((row) => Number(row.id))) + 1);
    const newest = await db.em().find(Post, {}, { orderBy: { timestamp: 'desc' }, limit: 2 });
    assert.deepEqual(
      newest.map((row) => row.id),
      [post.id, 3],
    );
  });

  test('Werkzeug scrypt and pbkdf2 users log in through the form and are rehashed to argon2id', async () => {
    await buildFlaskDatabase(db.em(), dialect, FLASK_HEAD);
    await upgrade(db.migrations);
    const app = await startApp(db, { RATELIMIT_ENABLED: 'false' });
    try {
      for (const [username, { password, hash }] of Object.entries(WERKZEUG_USERS)) {
        const client = new WebClient(app);
        assert.equal((await client.login(username, 'not the password')).statusCode, 401);
        assert.equal((await db.em().findOneOrFail(User, { username })).passwordHash, hash);
        const login = await client.login(username, password);
        assert.equal(login.statusCode, 302, `${username} is signed in`);
        assert.equal(login.headers.location, '/index');
        const rehashed = await db.em().findOneOrFail(User, { username });
        assert.match(rehashed.passwordHash ?? '', /^\$argon2id\$/);
        assert.equal(await rehashed.checkPassword(password), true);
      }
    } finally {
      await app.close();
    }
  });

  test('microblog db upgrade adopts it, and microblog db check then finds nothing to report', async () => {
    await buildFlaskDatabase(db.em(), dialect, FLASK_HEAD);
    const env = { DATABASE_URL: db.database.url };
    const upgraded = await runCli(['db', 'upgrade'], env);
    assert.equal(upgraded.stderr, '');
    assert.equal(upgraded.code, 0);
    const lines = upgraded.stdout.trim().split('\n');
    assert.equal(lines[0], `Adopting a Flask Microblog database at its revision ${FLASK_HEAD}`);
    assert.equal(lines.length, db.migrations.history.length + 1);
    const checked = await runCli(['db', 'check'], env);
    assert.equal(checked.code, 0, checked.stderr);
    assert.match(checked.stdout, /^No changes in schema detected/);
    await assertRowsKept(db, FLASK_HEAD);
  });

  test('an unknown Flask revision is refused in one line and changes nothing', async () => {
    await buildFlaskDatabase(db.em(), dialect, FLASK_HEAD, { stampAs: '0123456789ab' });
    const result = await runCli(['db', 'upgrade'], { DATABASE_URL: db.database.url });
    assert.notEqual(result.code, 0);
    assert.equal(
      result.stderr,
      `microblog: The database is at Flask Microblog revision '0123456789ab', which is not one this version can adopt (up to ${FLASK_HEAD})\n`,
    );
    assert.equal(await tableExists(db, 'alembic_version'), true);
    const users = await db
      .em()
      .execute(
        'select count(*) as count from "user"'.replaceAll('"', dialect === 'mariadb' ? '`' : '"'),
      );
    assert.equal(Number(users[0].count), FLASK_ROWS.user.length);
  });

  test('usernames that differ only in case are refused before anything changes', {
    // MariaDB's case-insensitive collation kept Flask from storing both.
    skip: dialect === 'mariadb' && 'no such rows on MariaDB',
  }, async () => {
    await buildFlaskDatabase(db.em(), dialect, 'e517276bb1c2');
    await db
      .em()
      .execute(`insert into "user" (id, username, email) values (9, 'ALICE', 'other@example.com')`);
    await assert.rejects(
      upgrade(db.migrations),
      /^MigrationError: Usernames must differ in more than case, and some do not \(alice, in any case\)/,
    );
    assert.equal(await tableExists(db, 'alembic_version'), true);
    const rows = await db.em().execute('select username from "user" order by id');
    assert.deepEqual(
      rows.map((row) => row.username),
      ['alice', 'bob', 'Carol', 'ALICE'],
    );
  });
});
