import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { parseDatabaseUrl } from '../../src/config/database-url.ts';
import { allSettings, loadConfig, projectRoot } from '../../src/config/load.ts';
import { ConfigError } from '../../src/errors.ts';
import { currentDialect, runCli } from '../helpers.ts';

const KEY = 'a-secret-key-of-at-least-32-characters';
const freshRoot = () => mkdtempSync(join(tmpdir(), 'microblog-root-'));

describe('configuration', { skip: currentDialect() !== 'sqlite' && 'dialect-independent' }, () => {
  test('DATABASE_URL defaults to app.db in the project folder, as an absolute sqlite:/// URL', () => {
    const root = freshRoot();
    const config = loadConfig({ SECRET_KEY: KEY }, root);
    assert.equal(config.database.dialect, 'sqlite');
    assert.equal(config.database.dbName, join(root, 'app.db'));
    assert.equal(config.database.displayUrl, `sqlite:///${join(root, 'app.db')}`);
    assert.equal(config.port, 5000);
    assert.ok(Object.isFrozen(config));
  });

  test('server URLs select their dialect; SQLAlchemy driver suffixes are accepted', () => {
    assert.deepEqual(parseDatabaseUrl('postgresql://u:secret@db.example:5433/blog', '/srv'), {
      dialect: 'postgresql',
      dbName: 'blog',
      clientUrl: 'postgresql://u:secret@db.example:5433/blog',
      displayUrl: 'postgresql://u:***@db.example:5433/blog',
    });
    assert.equal(parseDatabaseUrl('postgres://db/blog', '/srv').dialect, 'postgresql');
    assert.equal(parseDatabaseUrl('mysql+pymysql://root@db/blog', '/srv').dialect, 'mysql');
    assert.equal(
      parseDatabaseUrl('mysql+pymysql://root@db/blog', '/srv').clientUrl,
      'mysql://root@db/blog',
    );
    assert.equal(parseDatabaseUrl('mariadb://root@db:3306/blog', '/srv').dialect, 'mariadb');
    assert.equal(parseDatabaseUrl('sqlite:///rel/app.db', '/srv').dbName, '/srv/rel/app.db');
    assert.equal(parseDatabaseUrl('sqlite:////abs/app.db', '/srv').dbName, '/abs/app.db');
    assert.equal(parseDatabaseUrl('sqlite://', '/srv').dbName, ':memory:');
  });

  test('bad URLs stop start-up with one line naming the variable and the accepted forms', () => {
    const cases: [string, RegExp][] = [
      ['oracle://db/x', /unknown scheme "oracle:"/],
      ['not a url', /is not a URL/],
      ['sqlite:/app.db', /three slashes/],
      ['postgresql://', /is malformed|has no host/],
      ['postgresql://db', /needs a database name/],
      ['mysql://db:99999/x', /is malformed/],
      ['sqlite:///', /needs a file path/],
    ];
    for (const [url, why] of cases) {
      assert.throws(
        () => parseDatabaseUrl(url, '/srv'),
        (error: unknown) => {
          assert.ok(error instanceof ConfigError, url);
          assert.match(error.message, /^DATABASE_URL /);
          assert.match(error.message, why);
          assert.match(error.message, /sqlite:.*postgresql:.*mysql:.*mariadb:/);
          assert.ok(!error.message.includes('\n'));
          return true;
        },
      );
    }
  });

  test('.env is read, and the environment wins over it', () => {
    const root = freshRoot();
    writeFileSync(
      join(root, '.env'),
      `DATABASE_URL=sqlite:////tmp/from-dotenv.db\nPORT=5050\nSECRET_KEY=${KEY}\n`,
    );
    const config = loadConfig({ PORT: '6000' }, root);
    assert.equal(config.database.dbName, '/tmp/from-dotenv.db');
    assert.equal(config.port, 6000);
    assert.equal(config.secretKey, KEY);
    assert.equal(config.secretKeyGenerated, false);
  });

  test('without SECRET_KEY a key is generated once, kept with mode 0600, and reused', () => {
    const root = freshRoot();
    const first = loadConfig({}, root);
    assert.equal(first.secretKeyGenerated, true);
    assert.match(first.secretKey, /^[0-9a-f]{64}$/);
    const file = join(root, 'instance', 'secret_key');
    assert.equal(statSync(file).mode & 0o777, 0o600);
    assert.equal(readFileSync(file, 'utf8').trim(), first.secretKey);
    assert.equal(loadConfig({}, root).secretKey, first.secretKey);
  });

  test('an empty or short key file is refused; a loosened one is made private again', () => {
    const root = freshRoot();
    const first = loadConfig({}, root);
    const file = join(root, 'instance', 'secret_key');
    chmodSync(file, 0o644);
    assert.equal(loadConfig({}, root).secretKey, first.secretKey);
    assert.equal(statSync(file).mode & 0o777, 0o600);
    writeFileSync(file, '\n');
    assert.throws(() => loadConfig({}, root), /holds no usable key/);
  });

  test('DATABASE_REPLICA_URLS lists PostgreSQL replicas, and only of a PostgreSQL database', () => {
    const root = freshRoot();
    const config = loadConfig(
      {
        SECRET_KEY: KEY,
        DATABASE_URL: 'postgresql://u@primary/blog',
        DATABASE_REPLICA_URLS: 'postgresql://u:pw@replica1/blog, postgres://u@replica2:5433/blog',
      },
      root,
    );
    assert.deepEqual(
      config.databaseReplicas?.map((replica) => replica.displayUrl),
      ['postgresql://u:***@replica1/blog', 'postgres://u@replica2:5433/blog'],
    );
    assert.equal(config.replicaPinSeconds, 5);
    assert.equal(config.preparedStatements, true);
    assert.equal(loadConfig({ SECRET_KEY: KEY }, root).databaseReplicas, undefined);
    assert.throws(
      () => loadConfig({ SECRET_KEY: KEY, DATABASE_REPLICA_URLS: 'postgresql://u@r/blog' }, root),
      (error) =>
        error instanceof ConfigError &&
        error.message === 'DATABASE_REPLICA_URLS needs a PostgreSQL DATABASE_URL',
    );
    assert.throws(
      () =>
        loadConfig(
          {
            SECRET_KEY: KEY,
            DATABASE_URL: 'postgresql://u@primary/blog',
            DATABASE_REPLICA_URLS: 'mysql://u@r/blog',
          },
          root,
        ),
      /DATABASE_REPLICA_URLS must name PostgreSQL databases/,
    );
    assert.throws(
      () =>
        loadConfig(
          { SECRET_KEY: KEY, DATABASE_URL: 'postgresql://u@p/blog', DATABASE_REPLICA_URLS: 'nope' },
          root,
        ),
      /^ConfigError: DATABASE_REPLICA_URLS is not a URL/,
    );
  });

  test('the CLI refuses DATABASE_REPLICA_URLS on SQLite in one line', async () => {
    const result = await runCli(['db', 'current'], {
      DATABASE_URL: 'sqlite://',
      DATABASE_REPLICA_URLS: 'postgresql://u@replica/blog',
    });
    assert.equal(result.code, 1);
    assert.equal(
      result.stderr,
      'microblog: DATABASE_REPLICA_URLS needs a PostgreSQL DATABASE_URL\n',
    );
  });

  test('bad PORT, LOG_LEVEL, RATELIMIT_* and BASE_URL values are ConfigErrors naming the variable', () => {
    const cases: Record<string, string>[] = [
      { PORT: 'http' },
      { LOG_LEVEL: 'verbose' },
      { RATELIMIT_LOGIN: 'lots' },
      { RATELIMIT_ENABLED: 'maybe' },
      { BASE_URL: 'ftp://example.com' },
      { POSTS_PER_PAGE: '0' },
      { CORS_ORIGINS: 'https://ok.example, not an origin' },
    ];
    for (const env of cases) {
      const [name] = Object.keys(env);
      assert.throws(
        () => loadConfig({ SECRET_KEY: KEY, ...env }, freshRoot()),
        (error: unknown) => error instanceof ConfigError && error.message.startsWith(name),
        name,
      );
    }
  });

  test("the README's configuration table lists every setting, with its default", () => {
    const readme = readFileSync(join(projectRoot, 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('## Configuration'));
    const table = section.slice(0, section.indexOf('\n## ', 3));
    const rows = [...table.matchAll(/^\| `([A-Z_]+)` \| ([^|]+) \|/gm)].map(([, name, shown]) => [
      name,
      shown.trim(),
    ]);
    const settings = allSettings().map((setting) => [setting.env, setting.shownDefault]);
    assert.deepEqual(rows, settings);
  });

  test('a SECRET_KEY under 32 characters is refused in one line', () => {
    assert.throws(
      () => loadConfig({ SECRET_KEY: 'short' }, freshRoot()),
      (error: unknown) =>
        error instanceof ConfigError && /^SECRET_KEY must be at least 32/.test(error.message),
    );
  });

  test('every relative path resolves against the project folder, not the working directory', () => {
    const root = freshRoot();
    const config = loadConfig(
      {
        SECRET_KEY: KEY,
        DATABASE_URL: 'sqlite:///data/blog.db',
        INSTANCE_DIR: 'var/instance',
        MAIL_OUTBOX_DIR: 'var/mail',
      },
      root,
    );
    assert.equal(config.database.dbName, join(root, 'data/blog.db'));
    assert.equal(config.instanceDir, join(root, 'var/instance'));
    assert.equal(config.mail.outboxDir, join(root, 'var/mail'));
  });
});
