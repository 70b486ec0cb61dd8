import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, test } from 'node:test';
import { projectRoot } from '../../src/config/load.ts';
import { generateRevisionSql } from '../../src/db/migrations/generate.ts';
import { loadHistory } from '../../src/db/migrations/history.ts';
import { migrationsDir } from '../../src/db/orm.ts';
import { currentDialect, runCli } from '../helpers.ts';

// The generator works offline, so these run once, in the SQLite pass.
describe('db init and db migrate', {
  skip: currentDialect() !== 'sqlite' && 'dialect-independent',
}, () => {
  // An unreachable server proves that generating needs no database.
  const offline = { DATABASE_URL: 'postgresql://nobody@127.0.0.1:1/none' };
  /** Where each test's repository goes; it does not exist until a test runs `db init`. */
  let dir: string;
  beforeEach(() => {
    // Inside the project, where `.ts` files are ES modules like the real migrations/.
    mkdirSync(join(projectRoot, 'test-artifacts'), { recursive: true });
    dir = join(mkdtempSync(join(projectRoot, 'test-artifacts', 'repo-')), 'migrations');
  });
  afterEach(() => rmSync(join(dir, '..'), { recursive: true, force: true }));

  /** Runs `microblog db -d <dir> …` to set a test up; it must succeed. */
  async function setUp(...args: string[]) {
    const run = await runCli(['db', '-d', dir, ...args], offline);
    assert.equal(run.code, 0, run.stderr);
  }

  test('init creates the repository and refuses to overwrite it', async () => {
    const first = await runCli(['db', '-d', dir, 'init'], offline);
    assert.equal(first.code, 0, first.stderr);
    assert.deepEqual(readdirSync(dir).sort(), [
      '.snapshot-mysql.json',
      '.snapshot-postgresql.json',
      '.snapshot-sqlite.json',
      'revision.ts',
    ]);
    assert.equal(
      readFileSync(join(dir, '.snapshot-sqlite.json'), 'utf8'),
      '{"namespaces":[],"tables":[]}\n',
    );
    const second = await runCli(['db', '-d', dir, 'init'], offline);
    assert.equal(second.code, 1);
    assert.equal(second.stderr, `microblog: Directory ${dir} already exists and is not empty\n`);
  });

  test('migrate without a message is a one-line error', async () => {
    await setUp('init');
    const run = await runCli(['db', '-d', dir, 'migrate'], offline);
    assert.equal(run.code, 1);
    assert.match(run.stderr, /required option '-m, --message <message>' not specified/);
    const blank = await runCli(['db', '-d', dir, 'migrate', '-m', '  '], offline);
    assert.equal(blank.code, 1);
    assert.equal(blank.stderr, 'microblog: db migrate needs a non-empty -m/--message\n');
  });

  test('migrate generates a revision for every dialect from the models, offline', async () => {
    await setUp('init');
    const run = await runCli(['db', '-d', dir, 'migrate', '-m', 'initial schema'], offline);
    assert.equal(run.code, 0, run.stderr);
    const lines = run.stdout.trim().split('\n');
    assert.ok(lines.includes("Detected added table 'user'"), run.stdout);
    assert.ok(lines.includes("Detected added table 'post'"));
    assert.ok(lines.includes("Detected added index 'ix_user_email' on 'email'"));
    assert.ok(lines.includes("Detected added index 'ix_post_timestamp' on 'timestamp'"));
    assert.match(lines.at(-1) ?? '', /^ {2}Generating .*\/\d{14}_initial_schema\.ts \.\.\. done$/);

    const [revision] = await loadHistory(dir);
    assert.equal(revision.message, 'initial schema');
    const file = readFileSync(revision.path, 'utf8');
    for (const block of ['sqlite', 'postgresql', 'mysql'])
      assert.match(file, new RegExp(`readonly ${block} = \\{`));
    assert.match(file, /create table "user" \("id" serial primary key/);
    assert.match(file, /pragma defer_foreign_keys = on;/);
    assert.deepEqual(
      (await generateRevisionSql(dir)).map((script) => script.up),
      [[], [], []],
      'the snapshots now match the models',
    );
  });

  test('migrate with no model change writes nothing', async () => {
    await setUp('init');
    await setUp('migrate', '-m', 'initial schema');
    const before = readdirSync(dir).sort();
    const run = await runCli(['db', '-d', dir, 'migrate', '-m', 'nothing'], offline);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stdout, 'No changes in schema detected.\n');
    assert.deepEqual(readdirSync(dir).sort(), before);
  });

  test("the project's own history is in sync with the models", async () => {
    const history = await loadHistory(migrationsDir);
    assert.deepEqual(
      history.slice(0, 2).map((r) => r.message),
      ['users table', 'posts table'],
    );
    const unwritten = await generateRevisionSql(migrationsDir);
    assert.deepEqual(
      unwritten.map((script) => script.up),
      [[], [], []],
    );
  });

  test('commands that need a repository say so', async () => {
    const missing = join(dir, '..', 'nowhere');
    const run = await runCli(['db', '-d', missing, 'migrate', '-m', 'x'], offline);
    assert.equal(run.code, 1);
    assert.equal(
      run.stderr,
      `microblog: No migration repository at ${missing}: run "microblog db init" first\n`,
    );
    assert.equal(existsSync(missing), false);
  });
});
