import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { SqlEntityManager } from '@mikro-orm/sql';
import { User } from '../db/entities/index.ts';
import { quoter, selectRows, toDate } from '../db/rows.ts';
import { isLocale } from '../i18n/locales.ts';
import { msg } from '../i18n/marker.ts';
import { translatorFor } from '../i18n/translator.ts';
import type { JobDefinition, JobQueue } from '../jobs/index.ts';
import { exportPostsEmail } from '../mail/export-posts-email.tsx';
import {
  progressReporter,
  setTaskProgress,
  startTask,
  type TaskRef,
  taskRunning,
} from './tasks.ts';

const EXPORT_POSTS_TASK = 'export_posts';
export const EXPORT_POSTS_JOB = 'export-posts';
const PAGE = 1000;

/** Starts exporting the user's posts, unless an export of theirs is still running. */
export function startExport(
  em: SqlEntityManager,
  jobs: JobQueue,
  user: Pick<User, 'id'>,
): Promise<'started' | 'running'> {
  return startTask(em, jobs, user.id, {
    name: EXPORT_POSTS_TASK,
    description: msg('Exporting posts…'),
    job: EXPORT_POSTS_JOB,
  });
}

/** Whether an export of the user's posts is running (its button is then hidden). */
export function exportRunning(em: SqlEntityManager, userId: number): Promise<boolean> {
  return taskRunning(em, userId, EXPORT_POSTS_TASK);
}

type PostRow = { id: number; body: string; timestamp: unknown };

/**
 * The user's posts, oldest first, as the JSON document's text, a page at a time: each page
 * is read after the last one has been written, so memory stays flat however many there
 * are. The pages follow the `post(user_id, timestamp)` index by key (timestamp, then id),
 * never by offset.
 */
async function* postsJson(
  em: SqlEntityManager,
  userId: number,
  onPage: (done: number, total: number) => Promise<void>,
  signal: AbortSignal,
): AsyncGenerator<string> {
  const q = quoter(em);
  const [{ n }] = await selectRows<{ n: number | string }>(
    em,
    `select count(*) as n from ${q('post')} where user_id = ?`,
    [userId],
  );
  const total = Number(n);
  const columns = `select id, body, ${q('timestamp')} from ${q('post')} where user_id = ?`;
  const order = `order by ${q('timestamp')}, id limit ${PAGE}`;
  const after = `and ${q('timestamp')} >= ? and (${q('timestamp')} > ? or id > ?)`;
  let last: PostRow | undefined;
  let done = 0;
  yield '{"posts": [';
  for (;;) {
    signal.throwIfAborted();
    const rows = last
      ? await selectRows<PostRow>(em, `${columns} ${after} ${order}`, [
          userId,
          last.timestamp,
          last.timestamp,
          last.id,
        ])
      : await selectRows<PostRow>(em, `${columns} ${order}`, [userId]);
    if (rows.length === 0) break;
    const posts = rows.map((row) =>
      JSON.stringify({ body: row.body, timestamp: toDate(row.timestamp).toISOString() }),
    );
    yield `${done > 0 ? ',' : ''}\n${posts.join(',\n')}`;
    done += rows.length;
    last = rows.at(-1);
    await onPage(done, Math.max(total, done));
  }
  yield '\n]}\n';
}

/**
 * Writes the user's posts to a file, emails it to them as `posts.json`, and reports its
 * progress on the way (the email is the last percent). The task ends at 100 whatever
 * happens: done, or failed for good.
 */
export const exportPostsJob: JobDefinition<TaskRef> = {
  async run({ em, mailer, events }, task, job) {
    const user = await em.findOne(User, task.userId);
    // The account was deleted, its task with it: there is no one to send the posts to.
    if (!user) return;
    const progress = progressReporter(em, events, task);
    await progress(0);
    const folder = await mkdtemp(join(tmpdir(), 'microblog-export-'));
    try {
      const path = join(folder, 'posts.json');
      const onPage = (done: number, total: number) => progress(Math.min(99, (done * 100) / total));
      await pipeline(
        Readable.from(postsJson(em, user.id, onPage, job.signal)),
        createWriteStream(path, { mode: 0o600 }),
      );
      await mailer.send({
        to: user.email,
        ...exportPostsEmail({
          username: user.username,
          translator: translatorFor(isLocale(user.locale) ? user.locale : 'en'),
        }),
        attachments: [{ filename: 'posts.json', path, contentType: 'application/json' }],
      });
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
    await progress(100);
  },

  async failed({ em, events }, task) {
    await setTaskProgress(em, events, task, 100);
  },
};
