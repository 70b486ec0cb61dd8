import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, test } from 'node:test';
import { projectRoot } from '../../src/config/load.ts';
import { currentDialect, openTestDatabase, runCli, type TestContext } from '../helpers.ts';

describe(`microblog db on ${currentDialect()}`, () => {
  let db: TestContext;
  let env: Record<string, string>;
  afterEach(() => db.close());
  /** Each test gets its own database: empty, or upgraded to head. */
  const freshDatabase = (migrate: boolean) => async () => {
    db = await openTestDatabase({ migrate });
    env = { DATABASE_URL: db.database.url };
  };

  describe('on an empty database', () => {
    beforeEach(freshDatabase(false));

    test('upgrade prints each revision it runs, then current and history agree', async () => {
      const { history } = db.migrations;
      const run = await runCli(['db', 'upgrade'], env);
      assert.equal(run.code, 0, run.stderr);
      const previous = (i: number) => history[i - 1]?.rev;
      assert.equal(
        run.stdout,
        history
          .map((r, i) => `Running upgrade ${previous(i) ?? ''} -> ${r.rev}, ${r.message}\n`)
          .join(''),
      );
      const head = history.at(-1);
      const current = await runCli(['db', 'current'], env);
      assert.equal(current.stdout, `${head?.rev} (head), ${head?.message}\n`);
      const listed = await runCli(['db', 'history'], env);
      assert.equal(
        listed.stdout,
        history
          .map(
            (r, i) =>
              `${previous(i) ?? '<base>'} -> ${r.rev}${r === head ? ' (head)' : ''}, ${r.message}\n`,
          )
          .reverse()
          .join(''),
      );
    });

    test('check fails when the models have changes no revision holds', async () => {
      mkdirSync(join(projectRoot, 'test-artifacts'), { recursive: true });
      const repo = join(mkdtempSync(join(projectRoot, 'test-artifacts', 'check-')), 'migrations');
      try {
        assert.equal((await runCli(['db', '-d', repo, 'init'], env)).code, 0);
        const run = await runCli(['db', '-d', repo, 'check'], env);
        assert.equal(run.code, 1);
        assert.match(
          run.stderr,
          /^The models have changes that no revision holds: run "microblog db migrate -m \.\.\."$/m,
        );
      } finally {
        rmSync(join(repo, '..'), { recursive: true, force: true });
      }
    });

    test('downgrade below base is a one-line error', async () => {
      const run = await runCli(['db', 'downgrade'], env);
      assert.equal(run.code, 1);
      assert.equal(
        run.stderr,
        'microblog: Cannot downgrade below base: 1 revision(s) requested, 0 applied\n',
      );
    });

    test('an unknown revision is a one-line error', async () => {
      const run = await runCli(['db', 'upgrade', 'deadbeef'], env);
      assert.equal(run.code, 1);
      assert.equal(run.stderr, "microblog: Unknown revision 'deadbeef'\n");
      assert.equal(run.stdout, '');
    });
  });

  describe('on a database at head', () => {
    beforeEach(freshDatabase(true));

    test('check passes when models, revisions and database agree', async () => {
      const run = await runCli(['db', 'check'], env);
      assert.equal(run.code, 0, run.stderr);
      assert.match(run.stdout, /agree/);
    });

    test('downgrade reverts the last revision, then down to base', async () => {
      const [latest, previous] = db.migrations.history.toReversed();
      const one = await runCli(['db', 'downgrade'], env);
      assert.equal(
        one.stdout,
        `Running downgrade ${latest.rev} -> ${previous.rev}, ${latest.message}\n`,
      );
      const check = await runCli(['db', 'check'], env);
      assert.equal(check.code, 1);
      assert.match(check.stderr, /1 revision\(s\) behind/);
      const base = await runCli(['db', 'downgrade', 'base'], env);
      assert.equal(base.code, 0, base.stderr);
      assert.equal((await runCli(['db', 'current'], env)).stdout, 'base\n');
    });
  });
});

describe('microblog command errors', {
  skip: currentDialect() !== 'sqlite' && 'dialect-independent',
}, () => {
  test('--help lists every command', async () => {
    const run = await runCli(['--help']);
    assert.equal(run.code, 0);
    for (const command of ['run', 'shell', 'db'])
      assert.match(run.stdout, new RegExp(`^  ${command}\\b`, 'm'));
    const db = await runCli(['db', '--help']);
    for (const command of [
      'init',
      'migrate',
      'upgrade',
      'downgrade',
      'current',
      'history',
      'check',
    ]) {
      assert.match(db.stdout, new RegExp(`^  ${command}\\b`, 'm'));
    }
    const run2 = await runCli(['run', '--help']);
    assert.match(run2.stdout, /--host <host>/);
    assert.match(run2.stdout, /--port <port>/);
  });

  test('no reachable database is a one-line error', async () => {
    for (const url of [
      'postgresql://postgres@127.0.0.1:1/nothing',
      'mariadb://root@127.0.0.1:1/nothing',
    ]) {
      const run = await runCli(['db', 'upgrade'], { DATABASE_URL: url });
      assert.equal(run.code, 1, run.stderr);
      assert.match(run.stderr, /^microblog: Cannot connect to [a-z]+:\/\/\S+: .+\n$/);
      assert.equal(run.stderr.split('\n').length, 2, 'exactly one line');
    }
  });

  test('a bad DATABASE_URL names the variable and the accepted forms', async () => {
    const run = await runCli(['db', 'current'], { DATABASE_URL: 'oracle://scott:tiger@db/orcl' });
    assert.equal(run.code, 1);
    assert.match(run.stderr, /^microblog: DATABASE_URL has an unknown scheme "oracle:"/);
    assert.match(run.stderr, /scott:\*\*\*@/, 'the password is masked');
    assert.match(run.stderr, /sqlite:.*postgresql:.*mysql:.*mariadb:/);
    assert.equal(run.stderr.split('\n').length, 2);
  });

  test('an unknown command is an error with a hint', async () => {
    const run = await runCli(['frobnicate']);
    assert.equal(run.code, 1);
    assert.match(run.stderr, /unknown command 'frobnicate'/);
  });
});
