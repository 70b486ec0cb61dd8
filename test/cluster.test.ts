import assert from 'node:assert/strict';
import { request } from 'node:http';
import { after, before, describe, test } from 'node:test';
import { currentDialect, TEST_SECRET_KEY } from './helpers.ts';
import { createTestDatabase, type TestDatabase } from './support/databases.ts';
import { openHttpEventStream } from './support/event-stream.ts';
import { HttpClient } from './support/http-client.ts';
import { waitUntil } from './support/jobs.ts';
import { type RunningServer, startServer } from './support/server.ts';

/** The pids of the workers that logged they listen, in order. */
const listeningPids = (output: string) =>
  [...output.matchAll(/"pid":(\d+)[^\n]*Server listening at/g)].map((match) => Number(match[1]));

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe(`microblog run --workers on ${currentDialect()}`, () => {
  let database: TestDatabase;
  let server: RunningServer;
  before(async () => {
    database = await createTestDatabase();
    server = await startServer(
      { DATABASE_URL: database.url, SECRET_KEY: TEST_SECRET_KEY, RATELIMIT_ENABLED: 'false' },
      ['--workers', '2'],
    );
    await waitUntil(() => listeningPids(server.output()).length === 2, 60_000, 'for 2 workers');
  });
  after(async () => {
    await server.stop('SIGKILL');
    await database.drop();
  });

  test('the primary migrates once, then two workers share the port', async () => {
    assert.equal(server.output().match(/Running upgrade {2}-> /g)?.length, 1);
    const [a, b] = listeningPids(server.output());
    assert.notEqual(a, b);
    assert.equal((await fetch(`${server.url}/healthz`)).status, 200);
  });

  test('a worker that dies is replaced, and the others serve meanwhile', async () => {
    const [victim] = listeningPids(server.output());
    process.kill(victim, 'SIGKILL');
    await waitUntil(() => !alive(victim), 10_000, 'for the worker to die');
    assert.equal((await fetch(`${server.url}/explore`)).status, 200);
    await waitUntil(() => listeningPids(server.output()).length === 3, 60_000, 'for a new worker');
    assert.match(server.output(), /a worker died: starting another/);
  });

  test('SIGHUP replaces every worker, one at a time', async () => {
    const before = listeningPids(server.output()).slice(-2);
    process.kill(serverPid(server), 'SIGHUP');
    await waitUntil(
      () => /every worker has been replaced/.test(server.output()),
      120_000,
      'for the rolling restart',
    );
    const after = listeningPids(server.output()).slice(-2);
    assert.equal(after.filter((pid) => before.includes(pid)).length, 0);
    for (const pid of before) assert.ok(!alive(pid), `old worker ${pid} exited`);
    assert.equal((await fetch(`${server.url}/healthz`)).status, 200);
  });

  test('SIGTERM finishes a request in flight, ends event streams, and exits 0', async () => {
    const client = new HttpClient(server.url);
    await client.signUp('ann');
    const stream = await openHttpEventStream(
      `${server.url}/notifications/stream`,
      client.cookieHeader(),
    );
    assert.equal(stream.status, 200);
    // A request whose body is half sent: the server has its headers (it said 100 Continue).
    await client.get('/auth/login');
    const body = new URLSearchParams({
      _csrf: client.csrfToken,
      username: 'ann',
      password: 'correct horse battery',
    }).toString();
    const inFlight = request(`${server.url}/auth/login`, {
      method: 'POST',
      headers: {
        ...client.cookieHeader(),
        'content-type': 'application/x-www-form-urlencoded',
        'content-length': String(body.length),
        expect: '100-continue',
      },
    });
    const answered = new Promise<number | undefined>((resolve, reject) => {
      inFlight.on('response', (response) => {
        response.resume();
        resolve(response.statusCode);
      });
      inFlight.on('error', reject);
    });
    await new Promise((resolve) => inFlight.once('continue', resolve));
    inFlight.write(body.slice(0, 10));

    const exited = server.stop('SIGTERM');
    await waitUntil(
      () => server.output().match(/"msg":"SIGTERM received: closing"/g)?.length === 2,
      30_000,
      'for both workers to start closing',
    );
    inFlight.end(body.slice(10));
    assert.equal(await answered, 302, 'the login in flight went through');
    assert.equal(await stream.ended, 'clean', 'the stream was ended, not cut');
    assert.equal(await exited, 0);
    assert.match(server.output(), /every worker has closed/);
  });
});

/** The primary's pid, from its first line. */
function serverPid(server: RunningServer): number {
  const match = /"pid":(\d+)[^\n]*starting 2 workers/.exec(server.output());
  assert.ok(match, 'the primary logged its start');
  return Number(match[1]);
}
