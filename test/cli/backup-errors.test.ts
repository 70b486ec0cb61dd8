import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { gunzipSync, gzipSync } from 'node:zlib';
import { Post, User } from '../../src/db/entities/index.ts';
import {
  type CliResult,
  currentDialect,
  openTestDatabase,
  runCli,
  type TestContext,
} from '../helpers.ts';
import { addAwkwardRows, databaseContent } from '../support/content.ts';

/**
 * A failure is one line on stderr, no stack trace, exit status 1. Migration steps taken
 * before it (the target brought to the backup's revision) may be reported above it.
 */
function oneLine(run: CliResult, message: RegExp): void {
  assert.equal(run.code, 1, run.stderr);
  const lines = run.stderr.split('\n');
  assert.equal(lines.pop(), '', 'ends with a newline');
  const error = lines.pop() ?? '';
  assert.match(error, /^microblog: /);
  assert.match(error, message);
  for (const line of lines) assert.match(line, /^Running (up|down)grade /);
}

describe(`bad input to microblog db backup, restore and copy on ${currentDialect()}`, () => {
  const folder = mkdtempSync(join(tmpdir(), 'microblog-backup-'));
  const good = join(folder, 'good.jsonl.gz');
  let source: TestContext;
  let target: TestContext;
  const onTarget = (args: string[]) => runCli(args, { DATABASE_URL: target.database.url });
  /** The good backup's lines, changed by `edit`, written to a new file. */
  const altered = (name: string, edit: (lines: string[]) => string[]) => {
    const lines = gunzipSync(readFileSync(good)).toString().trimEnd().split('\n');
    const file = join(folder, name);
    writeFileSync(file, gzipSync(`${edit(lines).join('\n')}\n`));
    return file;
  };
  const targetPosts = () => target.em().count(Post);

  before(async () => {
    source = await openTestDatabase();
    await addAwkwardRows(source.em());
    const run = await runCli(['db', 'backup', good], { DATABASE_URL: source.database.url });
    assert.equal(run.code, 0, run.stderr);
    target = await openTestDatabase({ migrate: false });
  });
  after(async () => {
    await source?.close();
    await target?.close();
  });

  test('a missing file', async () => {
    oneLine(
      await onTarget(['db', 'restore', join(folder, 'nope.gz')]),
      /No backup file at .*nope\.gz/,
    );
  });

  test('a file that is not gzip', async () => {
    const file = join(folder, 'noise.gz');
    writeFileSync(file, 'not a backup at all');
    oneLine(
      await onTarget(['db', 'restore', file]),
      /noise\.gz is not a readable Microblog backup: /,
    );
  });

  test('a gzip file that is no backup', async () => {
    const file = join(folder, 'other.gz');
    writeFileSync(file, gzipSync('{"hello":"world"}\n'));
    oneLine(
      await onTarget(['db', 'restore', file]),
      /not a readable Microblog backup: no backup header/,
    );
  });

  test('a truncated archive changes nothing', async () => {
    const file = join(folder, 'cut.gz');
    const bytes = readFileSync(good);
    writeFileSync(file, bytes.subarray(0, Math.floor(bytes.length / 2)));
    oneLine(
      await onTarget(['db', 'restore', file]),
      /cut\.gz is not a readable Microblog backup|truncated/,
    );
    assert.equal(await targetPosts(), 0);
  });

  test('a row changed in the archive fails its checksum and changes nothing', async () => {
    const file = altered('tampered.gz', (lines) =>
      lines.map((line) => line.replace("it's", 'it is')),
    );
    oneLine(
      await onTarget(['db', 'restore', file]),
      /Table post does not match its checksum in the backup .*: the file is damaged/,
    );
    assert.equal(await targetPosts(), 0);
  });

  test('a backup from a newer Microblog is refused', async () => {
    const file = altered('newer.gz', ([header, ...rest]) => [
      header.replace(/"revision":"\d+"/, '"revision":"99991231235959"'),
      ...rest,
    ]);
    oneLine(
      await onTarget(['db', 'restore', file]),
      /taken at revision 99991231235959, newer than this Microblog's head \d+: restore it with a newer Microblog/,
    );
  });

  test('a database with rows is refused without --force, replaced with it', async () => {
    const fill = target.em();
    fill.create(User, { username: 'squatter', email: 's@example.com' });
    await fill.flush();
    oneLine(
      await onTarget(['db', 'restore', good]),
      /is not empty \(1 rows\): add --force to replace its content/,
    );
    assert.equal(await target.em().count(User), 1);
    const run = await onTarget(['db', 'restore', good, '--force']);
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(await databaseContent(target.em()), await databaseContent(source.em()));
  });

  test('copy to an unknown or unreachable URL', async () => {
    const env = { DATABASE_URL: source.database.url };
    oneLine(
      await runCli(['db', 'copy', '--to', 'oracle://x/y'], env),
      /--to has an unknown scheme "oracle:"/,
    );
    oneLine(
      await runCli(['db', 'copy', '--to', 'postgresql://nobody@127.0.0.1:1/nothing'], env),
      /Cannot connect to postgresql:\/\/nobody@127\.0\.0\.1:1\/nothing/,
    );
    oneLine(await runCli(['db', 'copy'], env), /required option '--to <url>' not specified/);
  });

  test('a copy onto its own source, however its URL is spelled, is refused', async () => {
    const url = source.database.url;
    let sameDatabase: string;
    if (url.startsWith('sqlite:')) {
      // The same file through a symbolic link to its folder.
      const file = url.slice('sqlite:///'.length);
      const link = join(folder, 'link');
      symlinkSync(dirname(file), link);
      sameDatabase = `sqlite:///${join(link, basename(file))}`;
    } else if (url.startsWith('postgresql:')) {
      sameDatabase = url.replace('127.0.0.1', 'localhost');
    } else {
      // MariaDB through the MySQL driver.
      sameDatabase = url.replace(/^mariadb:/, 'mysql:');
    }
    const before = await source.em().count(Post);
    oneLine(
      await runCli(['db', 'copy', '--to', sameDatabase, '--force'], { DATABASE_URL: url }),
      /The target of a copy must be another database than the source/,
    );
    assert.equal(await source.em().count(Post), before, 'the source keeps its rows');
  });

  test('a backup into a folder that does not exist', async () => {
    const run = await runCli(['db', 'backup', join(folder, 'no', 'such', 'file.gz')], {
      DATABASE_URL: source.database.url,
    });
    oneLine(run, /The folder .*no\/such does not exist/);
  });

  test('--native needs SQLite, and no secrets', async () => {
    const env = { DATABASE_URL: source.database.url };
    const file = join(folder, 'native.sqlite3');
    oneLine(
      await runCli(['db', 'backup', '--native', '--with-secrets', file], env),
      /--with-secrets needs the portable format/,
    );
    if (currentDialect() !== 'sqlite') {
      oneLine(
        await runCli(['db', 'backup', '--native', file], env),
        /--native needs a SQLite database file/,
      );
    }
  });
});
