import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { projectRoot } from '../../src/config/load.ts';
import { currentDialect, TEST_SECRET_KEY } from '../helpers.ts';
import { HttpClient } from '../support/http-client.ts';
import {
  type ReplicatedPostgres,
  replicaSkip,
  startReplicatedPostgres,
} from '../support/pg-replica.ts';
import { type RunningServer, startServer } from '../support/server.ts';

const skip = currentDialect() !== 'postgresql' ? 'runs on the PostgreSQL pass' : replicaSkip();

/**
 * docs/decisions/0035-read-replicas.md: the app on a PostgreSQL cluster of its own, through
 * PgBouncer in transaction mode, with a streaming replica for the reads that need no freshness.
 */
describe('a read replica and PgBouncer', { skip }, () => {
  let cluster: ReplicatedPostgres;
  let server: RunningServer;
  const env = () => ({
    DATABASE_URL: cluster.bouncerUrl,
    DATABASE_REPLICA_URLS: cluster.replicaUrl,
    // PgBouncer 1.18 (Debian 12) keeps no prepared statements across server connections.
    DATABASE_PREPARED_STATEMENTS: 'false',
    // Longer than the test: a pin that expired mid-test would fail it, not pass it.
    REPLICA_PIN_SECONDS: '600',
    SECRET_KEY: TEST_SECRET_KEY,
    RATELIMIT_ENABLED: 'false',
  });
  before(async () => {
    cluster = await startReplicatedPostgres('microblog');
    // Migrations apply through PgBouncer too: their lock holds one transaction open.
    server = await startServer(env(), ['--no-worker']);
  });
  after(async () => {
    await server?.stop('SIGKILL');
    await cluster?.stop();
  });

  test('the migrations went through PgBouncer and reached the replica', async () => {
    const { rows } = await cluster.onReplica(
      'select count(*)::int as revisions from microblog_migrations',
    );
    assert.ok(rows[0].revisions > 0);
    const current = execFileSync(
      process.execPath,
      [join(projectRoot, 'bin', 'microblog.js'), 'db', 'current'],
      { env: { ...process.env, ...env() }, encoding: 'utf8' },
    );
    assert.match(current, /\w/);
  });

  test('a writer reads its own post from the primary; others read the lagging replica', async () => {
    const alice = new HttpClient(server.url);
    await alice.signUp('alice');
    const first = await alice.submit('/index', { post: 'replicated before the pause' });
    assert.equal(first.status, 302);
    // Replication is asynchronous: wait until the replica has the first post.
    const caughtUp = async () =>
      (await cluster.onReplica("select 1 from post where body = 'replicated before the pause'"))
        .rowCount === 1;
    while (!(await caughtUp())) await new Promise((resolve) => setTimeout(resolve, 20));

    const bob = new HttpClient(server.url);
    await bob.signUp('bob');
    // The replica stops replaying: from here on it lags the primary.
    await cluster.onReplica('select pg_wal_replay_pause()');
    try {
      const posted = await alice.submit('/index', { post: 'written while the replica lags' });
      assert.equal(posted.status, 302);
      // Alice's write pinned her to the primary: her timeline and Explore show the post.
      const home = await alice.get('/index');
      assert.equal(home.status, 200);
      assert.match(home.body, /written while the replica lags/);
      assert.match((await alice.get('/explore')).body, /written while the replica lags/);

      // A reader who has not written since reads the replica: the older post, not the new.
      const visitor = new HttpClient(server.url);
      const explore = await visitor.get('/explore');
      assert.equal(explore.status, 200);
      assert.match(explore.body, /replicated before the pause/);
      assert.doesNotMatch(explore.body, /written while the replica lags/);
      // Bob's login pinned him too; once his pin is gone (the browser drops the cookie at
      // its Max-Age), he is signed in, his session read from the primary, his page not.
      bob.cookies.delete('primary_until');
      const stale = await bob.get('/explore');
      assert.match(stale.body, /href="\/user\/bob"/);
      assert.match(stale.body, /replicated before the pause/);
      assert.doesNotMatch(stale.body, /written while the replica lags/);
    } finally {
      await cluster.onReplica('select pg_wal_replay_resume()');
    }
    const visitor = new HttpClient(server.url);
    while (!/written while the replica lags/.test((await visitor.get('/explore')).body)) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  });

  test('hot reads from concurrent clients all succeed through PgBouncer', async () => {
    // Signed up, so pinned to the primary: their reads go through PgBouncer, spread over
    // its server connections, where named statements (the default) fail with "prepared
    // statement mb_0 already exists".
    const clients = Array.from({ length: 6 }, () => new HttpClient(server.url));
    await Promise.all(clients.map((client, i) => client.signUp(`reader${i}`)));
    for (let round = 0; round < 5; round++) {
      const pages = await Promise.all(
        clients.map((client, i) => client.get(i % 2 === 0 ? '/explore' : '/index')),
      );
      assert.deepEqual(
        pages.map((page) => page.status),
        clients.map(() => 200),
      );
    }
  });

  test('a forged pin cookie is ignored', async () => {
    await cluster.onReplica('select pg_wal_replay_pause()');
    try {
      const dave = new HttpClient(server.url);
      await dave.signUp('dave');
      assert.equal((await dave.submit('/index', { post: 'pinned by a signature' })).status, 302);
      assert.match((await dave.get('/explore')).body, /pinned by a signature/);
      const forger = new HttpClient(server.url);
      forger.cookies.set('primary_until', String(Date.now() + 600_000));
      assert.doesNotMatch((await forger.get('/explore')).body, /pinned by a signature/);
    } finally {
      await cluster.onReplica('select pg_wal_replay_resume()');
    }
  });
});
