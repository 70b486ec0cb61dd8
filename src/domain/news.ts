import type { SqlEntityManager } from '@mikro-orm/sql';
import type { User } from '../db/entities/index.ts';
import { quoter, selectRows } from '../db/rows.ts';

/** A background task the user started that has not finished, as every page shows it. */
export interface RunningTask {
  id: string;
  description: string;
  progress: number;
}

/** What every page shows a signed-in user beyond its content: the navbar badge and tasks. */
export interface PageNews {
  unreadMessages: number;
  tasks: RunningTask[];
}

/**
 * One query on every page: the unread messages (off the message (recipient_id, timestamp)
 * index) and whether any task runs (off task (user_id, complete)); the tasks themselves
 * are read only when one does.
 */
export const newsQuery = (q: (name: string) => string) =>
  `select (select count(*) from ${q('message')} where recipient_id = ? and timestamp > ?) as unread, (select count(*) from ${q('task')} where user_id = ? and complete = ?) as running`;

export async function pageNews(
  em: SqlEntityManager,
  user: Pick<User, 'id' | 'lastMessageReadTime'>,
): Promise<PageNews> {
  const q = quoter(em);
  const [row] = await selectRows<{ unread: number | string; running: number | string }>(
    em,
    newsQuery(q),
    [user.id, user.lastMessageReadTime ?? new Date(0), user.id, false],
  );
  const unreadMessages = Number(row?.unread ?? 0);
  if (Number(row?.running ?? 0) === 0) return { unreadMessages, tasks: [] };
  return { unreadMessages, tasks: await runningTasks(em, user.id) };
}

/** The user's unfinished tasks, with the progress their last notification reported. */
export async function runningTasks(em: SqlEntityManager, userId: number): Promise<RunningTask[]> {
  const q = quoter(em);
  const tasks = await selectRows<{ id: string; description: string | null }>(
    em,
    `select id, description from ${q('task')} where user_id = ? and complete = ? order by id`,
    [userId, false],
  );
  const [progress] = await selectRows<{ payload_json: string }>(
    em,
    `select payload_json from ${q('notification')} where user_id = ? and name = ?`,
    [userId, 'task_progress'],
  );
  const reported = progress ? (JSON.parse(progress.payload_json) as Record<string, unknown>) : {};
  return tasks.map((task) => ({
    id: task.id,
    description: task.description ?? '',
    progress: reported.task_id === task.id ? Number(reported.progress) : 0,
  }));
}
