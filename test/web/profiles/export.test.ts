import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { startInProcessWorker } from '../../../src/app.ts';
import { Post, Task, type User } from '../../../src/db/entities/index.ts';
import { cancelJob } from '../../../src/domain/jobs.ts';
import { setTaskProgress, tasksInProgress } from '../../../src/domain/tasks.ts';
import type { UserEvent } from '../../../src/events/bus.ts';
import { currentDialect, type TestContext } from '../../helpers.ts';
import { jobBackends, redisSettings, waitUntil } from '../../support/jobs.ts';
import { logIn, openMailTest, openPageTest, seedPosts, seedUser } from '../../support/pages.ts';
import { headersOf, mimePart, type TestSmtpServer, waitForMail } from '../../support/smtp.ts';
import { flashes, WebClient } from '../../support/web-client.ts';

const PASSWORD = 'correct horse battery';
const EXPORT_BUTTON =
  /<form method="post" action="\/export_posts"><input type="hidden" name="_csrf"/;

/** 2,500 posts (three pages of the export), in pairs that share a time, written out of order. */
async function seedManyPosts(db: TestContext, author: User) {
  const base = Date.UTC(2026, 0, 1);
  const rows = Array.from({ length: 2500 }, (_, i) => ({
    author,
    body: `post number ${i} "quoted" \u00e9`,
    timestamp: new Date(base + Math.floor(((i * 7919) % 2500) / 2) * 1000 + 123),
  }));
  await seedPosts(db, rows);
}

for (const backend of jobBackends()) {
  describe(`exporting posts through ${backend.name} on ${currentDialect()}`, {
    skip: backend.skip,
  }, () => {
    let db: TestContext;
    let app: FastifyInstance;
    let smtp: TestSmtpServer;
    let close: () => Promise<void>;
    const redis = backend.redis ? redisSettings() : undefined;
    before(async () => {
      ({ db, app, smtp, close } = await openMailTest(redis?.env));
    });
    after(async () => {
      await close();
      await redis?.cleanUp();
    });

    test('emails every post, oldest first, as posts.json, and reports progress to 100', async () => {
      const ada = await seedUser(db, 'ada', PASSWORD);
      await seedManyPosts(db, ada);
      const heard: UserEvent[] = [];
      const stop = app.events.subscribe((event) => heard.push(event));
      const client = await logIn(app, 'ada', PASSWORD);
      const profile = await client.get('/user/ada');
      assert.match(profile.body, EXPORT_BUTTON);
      const started = await client.post('/export_posts');
      assert.equal(started.statusCode, 302);
      assert.equal(started.headers.location, '/user/ada');

      const mail = await waitForMail(smtp, 'ada@example.com');
      const headers = headersOf(mail.raw);
      assert.match(headers, /^subject: \[Microblog\] Your blog posts$/im);
      assert.match(mimePart(mail.raw, 'text/plain') ?? '', /^Dear ada,/);
      assert.match(mail.raw, /content-type: application\/json; name=posts\.json/i);
      assert.match(mail.raw, /content-disposition: attachment; filename=posts\.json/i);
      const exported = JSON.parse(mimePart(mail.raw, 'application/json') ?? '');
      const expected = await db
        .em()
        .find(Post, { author: ada.id }, { orderBy: { timestamp: 'asc', id: 'asc' } });
      assert.deepEqual(Object.keys(exported), ['posts']);
      assert.equal(exported.posts.length, 2500);
      assert.deepEqual(
        exported.posts,
        expected.map((post) => ({ body: post.body, timestamp: post.timestamp.toISOString() })),
      );
      assert.match(exported.posts[0].timestamp, /^2026-01-01T00:00:00\.123Z$/);

      await waitUntil(() =>
        heard.some((event) => (event.data as { progress: number }).progress === 100),
      );
      stop();
      const progress = heard
        .filter((event) => event.userId === ada.id && event.name === 'task_progress')
        .map((event) => (event.data as { progress: number }).progress);
      assert.equal(progress[0], 0);
      assert.equal(progress.at(-1), 100);
      assert.deepEqual(
        progress,
        [...new Set(progress)].sort((a, b) => a - b),
        'rising, no repeats',
      );
      assert.ok(progress.includes(40), 'three pages of 2,500: 40% after the first');
      const [task] = await db.em().find(Task, { user: ada.id });
      assert.equal(task.complete, true);
      assert.equal(task.description, 'Exporting posts…');
      assert.deepEqual(await tasksInProgress(db.em(), ada.id), []);
      assert.match((await client.get('/user/ada')).body, EXPORT_BUTTON);
    });

    test('a user with no posts gets an empty list', async () => {
      await seedUser(db, 'quiet', PASSWORD);
      const client = await logIn(app, 'quiet', PASSWORD);
      await client.get('/user/quiet');
      await client.post('/export_posts');
      const mail = await waitForMail(smtp, 'quiet@example.com');
      assert.deepEqual(JSON.parse(mimePart(mail.raw, 'application/json') ?? ''), { posts: [] });
    });
  });
}

describe(`starting an export on ${currentDialect()}`, () => {
  let db: TestContext;
  let app: FastifyInstance;
  let close: () => Promise<void>;
  // No worker: a started export stays running until the test says otherwise.
  before(async () => {
    ({ db, app, close } = await openPageTest());
  });
  after(() => close());

  test('only one export runs at a time; cancelling its job ends it', async () => {
    const bea = await seedUser(db, 'bea', PASSWORD);
    const client = await logIn(app, 'bea', PASSWORD);
    await client.get('/user/bea');
    assert.equal((await client.post('/export_posts')).headers.location, '/user/bea');
    const page = await client.get('/user/bea');
    assert.doesNotMatch(page.body, EXPORT_BUTTON, 'the button is hidden while it runs');
    const [running] = await tasksInProgress(db.em(), bea.id);
    assert.deepEqual(
      { ...running, id: undefined },
      {
        id: undefined,
        description: 'Exporting posts…',
        progress: 0,
      },
    );

    await setTaskProgress(db.em(), app.events, { taskId: running.id, userId: bea.id }, 40);
    assert.equal((await tasksInProgress(db.em(), bea.id))[0].progress, 40);

    const again = await client.post('/export_posts');
    assert.equal(again.headers.location, '/user/bea');
    assert.deepEqual(flashes((await client.get('/user/bea')).body), [
      'An export task is currently in progress',
    ]);
    const [job] = await app.jobs.list({ status: 'waiting' });
    assert.deepEqual(job.payload, { taskId: running.id, userId: bea.id });
    assert.equal((await app.jobs.list({ status: 'waiting' })).length, 1, 'one job only');

    assert.equal(await cancelJob(db.em(), app.jobs, job.id), 'cancelled');
    assert.deepEqual(await tasksInProgress(db.em(), bea.id), []);
    assert.match((await client.get('/user/bea')).body, EXPORT_BUTTON);
  });

  test('two requests at once start one export', async () => {
    const cy = await seedUser(db, 'cy', PASSWORD);
    const client = await logIn(app, 'cy', PASSWORD);
    await client.get('/user/cy');
    await Promise.all([client.post('/export_posts'), client.post('/export_posts')]);
    assert.equal(await db.em().count(Task, { user: cy.id }), 1);
  });

  test('only the signed-in owner sees the button; the POST needs a session and its CSRF field', async () => {
    await seedUser(db, 'dee', PASSWORD);
    const stranger = new WebClient(app);
    assert.doesNotMatch((await stranger.get('/user/dee')).body, EXPORT_BUTTON);
    await stranger.get('/auth/login');
    const anonymous = await stranger.post('/export_posts');
    assert.equal(anonymous.statusCode, 302);
    assert.match(anonymous.headers.location ?? '', /^\/auth\/login/);
    const dee = await logIn(app, 'dee', PASSWORD);
    assert.doesNotMatch((await dee.get('/user/bea')).body, EXPORT_BUTTON);
    const forged = await dee.post('/export_posts', { _csrf: 'forged' });
    assert.equal(forged.statusCode, 403);
    assert.equal(await db.em().count(Task, { user: { username: 'dee' } }), 0);
  });
});

describe(`an export that cannot be mailed on ${currentDialect()}`, () => {
  test('fails after its attempts, and its task still ends at 100', async () => {
    // Port 9 (discard) is closed here: every attempt to send fails at once.
    const opened = await openPageTest({ MAIL_SERVER: '127.0.0.1', MAIL_PORT: '9' });
    const worker = startInProcessWorker(opened.app, { backoffMs: 20, pollMs: 20 });
    try {
      const eve = await seedUser(opened.db, 'eve', PASSWORD);
      const client = await logIn(opened.app, 'eve', PASSWORD);
      await client.get('/user/eve');
      await client.post('/export_posts');
      await waitUntil(async () => (await opened.app.jobs.list({ status: 'failed' })).length === 1);
      const [job] = await opened.app.jobs.list({ status: 'failed' });
      assert.equal(job.attempts, 3);
      assert.match(job.lastError ?? '', /ECONNREFUSED/);
      assert.deepEqual(await tasksInProgress(opened.db.em(), eve.id), []);
    } finally {
      await worker.close();
      await opened.close();
    }
  });
});
