import type { SqlEntityManager } from '@mikro-orm/sql';
import type { User } from '../db/entities/index.ts';
import { quoter, selectRows } from '../db/rows.ts';
import { type TaskInProgress, tasksInProgress } from './tasks.ts';

/** What every page shows a signed-in user beyond its content: the navbar badge and tasks. */
export interface PageNews {
  unreadMessages: number;
  tasks: TaskInProgress[];
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
  return { unreadMessages, tasks: await tasksInProgress(em, user.id) };
}
