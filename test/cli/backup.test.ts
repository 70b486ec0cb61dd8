import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { setImmediate } from 'node:timers/promises';
import Database from 'better-sqlite3';
import { toParameter } from '../../src/db/backup/values.ts';
import { Post, User } from '../../src/db/entities/index.ts';
import { upgrade } from '../../src/db/migrations/runner.ts';
import { createPost } from '../../src/domain/posts/posts.ts';
import { currentDialect, openTestDatabase, runCli, type TestContext } from '../helpers.ts';
import { addAwkwardRows, databaseContent } from '../support/content.ts';
import type { TestDialect } from '../support/databases.ts';

/** The revision before post counts: its upgrade must run over restored rows. */
const OLDER_REVISION = '20261130064148';
const NEXT_KIND: Record<TestDialect, TestDialect> = {
  sqlite: 'postgresql',
  postgresql: 'mariadb',
  mariadb: 'sqlite',
};

describe(`microblog db backup and restore on ${currentDialect()}`, () => {
  const folder = mkdtempSync(join(tmpdir(), 'microblog-backup-'));
  const opened: TestContext[] = [];
  const open = async (options?: Parameters<typeof openTestDatabase>[0]) => {
    const db = await openTestDatabase(options);
    opened.push(db);
    return db;
  };
  after(async () => {
    for (const db of opened) await db.close();
  });
  const cli = async (args: string[], db: TestContext, env: Record<string, string> = {}) => {
    const run = await runCli(args, { DATABASE_URL: db.database.url, ...env });
    assert.equal(run.code, 0, run.stderr);
    return run;
  };

  test('a backup taken while posts are written restores every acknowledged post, at one moment', async () => {
    const source = await open();
    const em = source.em();
    const authors = ['ann', 'ben', 'cat'].map((name) =>
      em.create(User, { username: name, email: `${name}@example.com` }),
    );
    await em.flush();
    let written = 0;
    const write = async () => {
      const fork = source.em();
      const author = fork.getReference(User, authors[written % authors.length].id);
      const body = `post ${++written} ✓`;
      return [(await createPost(fork, author, body)).id, body] as const;
    };
    const acknowledged = new Map<number, string>();
    for (let i = 0; i < 30; i++) acknowledged.set(...(await write()));

    const file = join(folder, 'live.jsonl.gz');
    let running = true;
    const backup = runCli(['db', 'backup', file, '--json'], {
      DATABASE_URL: source.database.url,
    }).finally(() => {
      running = false;
    });
    const during = new Map<number, string>();
    while (running) {
      during.set(...(await write()));
      // SQLite's writes resolve without leaving the microtask queue: let the child's exit in.
      await setImmediate();
    }
    const run = await backup;
    assert.equal(run.code, 0, run.stderr);
    const report = JSON.parse(run.stdout);

    const target = await open({ migrate: false });
    await cli(['db', 'restore', file], target);
    const posts = await target.em().find(Post, {}, { orderBy: { id: 'asc' } });
    const restored = new Map(posts.map((post) => [post.id, post.body]));
    for (const [id, body] of acknowledged) assert.equal(restored.get(id), body, `post ${id}`);
    for (const [id, body] of restored) assert.equal(body, acknowledged.get(id) ?? during.get(id));
    assert.equal(posts.length, report.tables.post.rows);
    // Each post and its author's count were written in one transaction: a backup of one
    // moment has them agree.
    for (const user of await target.em().find(User, {})) {
      const own = posts.filter((post) => post.author.id === user.id).length;
      assert.equal(user.postCount, own, `${user.username}'s post count`);
    }
  });

  test(`a backup of an older revision restores into it on ${NEXT_KIND[currentDialect()]}, then upgrades`, async () => {
    const old = await open({ migrate: false });
    await upgrade(old.migrations, OLDER_REVISION);
    const em = old.em();
    const q = (name: string) => em.getPlatform().quoteIdentifier(name);
    const time = (iso: string) => toParameter('datetime', iso, old.database.dialect);
    await em.execute(`insert into ${q('user')} (id, username, email) values (3, 'ana', 'a@b.c')`);
    for (const [id, iso] of [
      [10, '2026-05-06T07:08:09.010Z'],
      [12, '2026-05-06T07:08:09.999Z'],
    ] as const) {
      await em.execute(
        `insert into ${q('post')} (id, body, timestamp, user_id) values (?, ?, ?, 3)`,
        [id, `old ${id}`, time(iso)],
      );
    }
    const file = join(folder, 'old.jsonl.gz');
    const backup = JSON.parse((await cli(['db', 'backup', file, '--json'], old)).stdout);
    assert.equal(backup.revision, OLDER_REVISION);

    const target = await open({ dialect: NEXT_KIND[currentDialect()], migrate: false });
    const run = await cli(['db', 'restore', file, '--json'], target);
    const head = target.migrations.history.at(-1)?.rev;
    assert.deepEqual(JSON.parse(run.stdout).upgradedTo, head);
    assert.match(run.stderr, /Running upgrade 20261130064148 -> 20261130064208/);
    const posts = await target.em().find(Post, {}, { orderBy: { id: 'asc' } });
    assert.deepEqual(
      posts.map((post) => [post.id, post.body, post.timestamp.toISOString(), post.author.id]),
      [
        [10, 'old 10', '2026-05-06T07:08:09.010Z', 3],
        [12, 'old 12', '2026-05-06T07:08:09.999Z', 3],
      ],
    );
    const ana = await target.em().findOneOrFail(User, 3);
    assert.equal(ana.postCount, 2, 'counted by the upgrade that ran over the restored rows');
  });

  test('the secret key is kept only when asked, and restored with the rows', async () => {
    const source = await open();
    await addAwkwardRows(source.em());
    const instance = mkdtempSync(join(tmpdir(), 'microblog-instance-'));
    writeFileSync(join(instance, 'secret_key'), `${'k'.repeat(64)}\n`, { mode: 0o600 });
    const plain = join(folder, 'plain.jsonl.gz');
    const secret = join(folder, 'secret.jsonl.gz');
    await cli(['db', 'backup', plain], source, { INSTANCE_DIR: instance });
    await cli(['db', 'backup', secret, '--with-secrets'], source, { INSTANCE_DIR: instance });
    const { gunzipSync } = await import('node:zlib');
    assert.doesNotMatch(gunzipSync(readFileSync(plain)).toString(), /k{64}/);
    assert.match(gunzipSync(readFileSync(secret)).toString(), /k{64}/);

    const target = await open({ migrate: false });
    const restoredInstance = mkdtempSync(join(tmpdir(), 'microblog-instance-'));
    const run = await cli(['db', 'restore', secret], target, { INSTANCE_DIR: restoredInstance });
    assert.match(
      run.stdout,
      /^Restored 14 rows of 9 tables taken at revision \d+; .*secret key restored\.\n$/,
    );
    const keyFile = join(restoredInstance, 'secret_key');
    assert.equal(readFileSync(keyFile, 'utf8'), `${'k'.repeat(64)}\n`);
    assert.equal(statSync(keyFile).mode & 0o777, 0o600);
    assert.deepEqual(await databaseContent(target.em()), await databaseContent(source.em()));
  });

  test('--native copies a SQLite database file with its own engine', {
    skip: currentDialect() !== 'sqlite' && 'SQLite only',
  }, async () => {
    const source = await open();
    await addAwkwardRows(source.em());
    const file = join(folder, 'native.sqlite3');
    const run = await cli(['db', 'backup', '--native', file, '--json'], source);
    assert.deepEqual(JSON.parse(run.stdout), { file, native: true });
    const copy = new Database(file, { readonly: true });
    assert.equal(copy.pragma('integrity_check', { simple: true }), 'ok');
    copy.close();
    const reopened = await open({ migrate: false });
    const em = reopened.em();
    // The copy is a database Microblog opens as it is.
    const { MikroORM } = await import('@mikro-orm/core');
    const { ormOptions } = await import('../../src/db/orm.ts');
    const orm = await MikroORM.init(
      await ormOptions({ ...reopened.config.database, dbName: file }),
    );
    try {
      assert.deepEqual(
        await databaseContent(orm.em.fork() as typeof em),
        await databaseContent(source.em()),
      );
    } finally {
      await orm.close();
    }
  });
});
