import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, test } from 'node:test';
import type { SqlEntityManager } from '@mikro-orm/sql';
import { Post, User } from '../../src/db/entities/index.ts';
import { checkEverything } from '../../src/db/migrations/check.ts';
import { HAND_WRITTEN_TABLES } from '../../src/db/migrations/hand-written.ts';
import {
  currentRevision,
  downgrade,
  liveSchemaDrift,
  upgrade,
} from '../../src/db/migrations/runner.ts';
import { MIGRATIONS_TABLE, migrationsDir, openOrm } from '../../src/db/orm.ts';
import { MigrationError } from '../../src/errors.ts';
import { currentDialect, openTestDatabase, runCli, type TestContext } from '../helpers.ts';

/** The tables the live database has, from MikroORM's own introspection. */
async function tableNames(em: SqlEntityManager): Promise<string[]> {
  const helper = em.getPlatform().getSchemaHelper();
  const tables = await helper?.getAllTables(em.getConnection());
  return (tables ?? []).map((table) => table.table_name).sort();
}

describe(`migrations on ${currentDialect()}`, () => {
  let db: TestContext;
  afterEach(() => db.close());

  describe('from an empty database', () => {
    beforeEach(async () => {
      db = await openTestDatabase({ migrate: false });
    });

    test('upgrade from empty applies every revision and matches the models', async () => {
      const { history, lines } = db.migrations;
      await upgrade(db.migrations);
      assert.deepEqual(
        lines,
        history.map(
          (r, i) => `Running upgrade ${history[i - 1]?.rev ?? ''} -> ${r.rev}, ${r.message}`,
        ),
      );
      assert.equal((await currentRevision(db.migrations))?.rev, history.at(-1)?.rev);
      assert.deepEqual(await liveSchemaDrift(db.migrations), []);
      assert.deepEqual(await checkEverything(db.migrations, migrationsDir), []);
      const entityTables = [...db.orm.getMetadata().getAll().values()].map(
        (meta) => meta.tableName,
      );
      // SQLite's full-text index is an FTS5 table and its shadow tables; the other
      // databases keep theirs in indexes.
      const searchTables = currentDialect() === 'sqlite' ? HAND_WRITTEN_TABLES : [];
      assert.deepEqual(
        await tableNames(db.em()),
        [MIGRATIONS_TABLE, ...entityTables, ...searchTables].sort(),
      );
    });
  });

  describe('from a database at head', () => {
    beforeEach(async () => {
      db = await openTestDatabase();
      db.migrations.lines.length = 0;
    });

    test('db check reports drift in the live schema', async () => {
      const em = db.em();
      await em.execute('create index ix_drift on post (body)');
      try {
        const problems = await checkEverything(db.migrations, migrationsDir);
        assert.equal(problems.length, 1);
        assert.match(problems[0], /differs from the models/);
        assert.match(problems[0], /ix_drift/);
      } finally {
        await em.execute(
          currentDialect() === 'mariadb' ? 'drop index ix_drift on post' : 'drop index ix_drift',
        );
      }
    });

    test('downgrade to base leaves only the migrations table', async () => {
      db.migrations.lines.length = 0;
      await downgrade(db.migrations, 'base');
      assert.equal(db.migrations.lines.length, db.migrations.history.length);
      const [latest, previous] = db.migrations.history.toReversed();
      assert.equal(
        db.migrations.lines[0],
        `Running downgrade ${latest.rev} -> ${previous.rev}, ${latest.message}`,
      );
      assert.deepEqual(await tableNames(db.em()), [MIGRATIONS_TABLE]);
      assert.equal(await currentRevision(db.migrations), undefined);
    });

    test('rows survive downgrading and re-upgrading the latest revision', async () => {
      const em = db.em();
      const mary = em.create(User, { username: 'mary', email: 'mary@mail.com', aboutMe: 'hi' });
      const lucy = em.create(User, { username: 'lucy', email: 'lucy@mail.com' });
      em.create(Post, { body: 'kept?', author: mary });
      mary.following.add(lucy);
      await em.flush();
      const latest = db.migrations.history.at(-1);
      await downgrade(db.migrations);
      assert.equal((await currentRevision(db.migrations))?.rev, db.migrations.history.at(-2)?.rev);
      await upgrade(db.migrations);
      const users = await db
        .em()
        .findAll(User, { populate: ['following'], orderBy: { username: 'asc' } });
      assert.deepEqual(
        users.map((u) => u.username),
        ['lucy', 'mary'],
      );
      assert.equal(users[1].aboutMe, 'hi');
      assert.deepEqual(
        users[1].following.getItems().map((u) => u.username),
        ['lucy'],
      );
      assert.notEqual(latest?.message, 'posts table', 'a later revision than posts exists');
      assert.equal(await db.em().count(Post), 1);
    });

    test('the seen-times backfill gives every user a first_seen and a last_seen', async () => {
      const { history } = db.migrations;
      const backfill = history.findIndex((r) => r.message === 'backfill seen times');
      await downgrade(db.migrations, history[backfill - 1].rev);
      // Rows as older revisions left them, in those revisions' columns only.
      const seen = new Date('2024-05-06T07:08:09.123Z');
      const em = db.em();
      const user = em.getPlatform().quoteIdentifier('user');
      const at = db.database.dialect === 'sqlite' ? seen.getTime() : seen;
      await em.execute(
        `insert into ${user} (username, email, last_seen, first_seen) values (?, ?, ?, null), (?, ?, null, null)`,
        ['old', 'old@mail.com', at, 'older', 'older@mail.com'],
      );
      assert.equal(await db.em().count(User, { firstSeen: null }), 2);
      const started = Date.now();
      await upgrade(db.migrations, history[backfill].rev);
      const [old, older] = await db
        .em()
        .find(User, { username: { $in: ['old', 'older'] } }, { orderBy: { username: 'asc' } });
      assert.equal(old.firstSeen?.toISOString(), seen.toISOString());
      assert.equal(old.lastSeen?.toISOString(), seen.toISOString());
      const filled = older.firstSeen?.getTime() ?? 0;
      assert.ok(Math.abs(filled - started) < 60_000, `upgrade time, got ${older.firstSeen}`);
      assert.equal(older.lastSeen?.getTime(), filled);
      await upgrade(db.migrations);
    });

    test('concurrent upgrades from two app instances apply each revision once', async () => {
      await downgrade(db.migrations, 'base');
      const other = await openOrm(db.config);
      try {
        const lines: string[] = [];
        const log = (line: string) => lines.push(line);
        await Promise.all([
          upgrade({ ...db.migrations, log }),
          upgrade({ ...db.migrations, orm: other, log }),
        ]);
        const applied = lines.filter((line) => line.startsWith('Running upgrade'));
        assert.equal(applied.length, db.migrations.history.length, lines.join('\n'));
        assert.ok(
          lines.includes(
            `Nothing to upgrade: the database is at ${db.migrations.history.at(-1)?.rev}.`,
          ),
        );
        assert.deepEqual(await liveSchemaDrift(db.migrations), []);
      } finally {
        await other.close();
      }
    });

    test('concurrent upgrades from two processes apply each revision once', async () => {
      await downgrade(db.migrations, 'base');
      const env = { DATABASE_URL: db.database.url };
      const runs = await Promise.all([
        runCli(['db', 'upgrade'], env),
        runCli(['db', 'upgrade'], env),
      ]);
      for (const run of runs) assert.equal(run.code, 0, run.stderr);
      const applied = runs.flatMap((run) =>
        run.stdout.split('\n').filter((line) => line.startsWith('Running')),
      );
      assert.equal(applied.length, db.migrations.history.length, applied.join('\n'));
      const rows = await db.em().getConnection().execute(`select name from ${MIGRATIONS_TABLE}`);
      assert.equal(rows.length, db.migrations.history.length);
    });
  });

  describe('from a database downgraded to base', () => {
    beforeEach(async () => {
      db = await openTestDatabase();
      await downgrade(db.migrations, 'base');
      db.migrations.lines.length = 0;
    });

    test('downgrade below base and unknown revisions are refused', async () => {
      await assert.rejects(downgrade(db.migrations), (error: unknown) => {
        assert.ok(error instanceof MigrationError);
        assert.match(error.message, /below base/);
        return true;
      });
      await assert.rejects(upgrade(db.migrations, 'nonexistent'), /Unknown revision 'nonexistent'/);
    });

    test('upgrade step by step, then again to head', async () => {
      const [first, second] = db.migrations.history;
      await upgrade(db.migrations, '+1');
      assert.equal((await currentRevision(db.migrations))?.rev, first.rev);
      await upgrade(db.migrations, second.rev);
      assert.equal((await currentRevision(db.migrations))?.rev, second.rev);
      await upgrade(db.migrations);
      assert.deepEqual(await liveSchemaDrift(db.migrations), []);
    });
  });
});
