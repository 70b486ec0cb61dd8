import { randomUUID } from 'node:crypto';
import type { SqlEntityManager } from '@mikro-orm/sql';
import { Task, User } from '../db/entities/index.ts';
import { quoter, selectRows } from '../db/rows.ts';
import { inTransaction, rowLock } from '../db/transaction.ts';
import type { EventBus } from '../events/bus.ts';
import type { JobQueue } from '../jobs/index.ts';
import { publish, setNotification } from './notifications.ts';

/**
 * Tasks, as the Flask Microblog keeps them: a row per background job a user started, so
 * pages can show it while it runs and a second of the same kind is refused meanwhile. Its
 * progress is the user's `task_progress` notification, which open pages are sent live.
 */

/** What a task's job is given to report on it. */
export interface TaskRef {
  taskId: string;
  userId: number;
}

export interface TaskInProgress {
  id: string;
  description: string;
  /** Percent, 0 to 100. */
  progress: number;
}

interface NewTask {
  name: string;
  description: string;
  /** The job that does the work; its payload gets the task's `taskId` and `userId`. */
  job: string;
}

/**
 * Starts the task and enqueues its job, unless a task of that name of the user's is still
 * running. The user's row is locked meanwhile (SQLite: one writer at a time anyway), so two
 * requests at once cannot both start one.
 */
export async function startTask(
  em: SqlEntityManager,
  jobs: JobQueue,
  userId: number,
  { name, description, job }: NewTask,
): Promise<'started' | 'running'> {
  const taskId = randomUUID();
  const outcome = await inTransaction(em, async () => {
    const lockMode = rowLock(em);
    if (lockMode) await em.lock(em.getReference(User, userId), lockMode);
    if (await taskRunning(em, userId, name)) return 'running';
    em.create(Task, { id: taskId, name, description, user: em.getReference(User, userId) });
    return 'started';
  });
  if (outcome === 'running') return outcome;
  try {
    await jobs.enqueue(job, { taskId, userId } satisfies TaskRef);
  } catch (error) {
    // Without its job the task would never end, and block the next one.
    await endTask(em, taskId);
    throw error;
  }
  return 'started';
}

/**
 * Records a task's progress: the task is complete at 100. The notification is written in
 * the same transaction and sent to the user's open pages once it has committed.
 */
export async function setTaskProgress(
  em: SqlEntityManager,
  events: EventBus,
  { taskId, userId }: TaskRef,
  progress: number,
): Promise<void> {
  const event = await inTransaction(em, async () => {
    // Written every time, so a task retried after it failed counts as running again.
    await em.nativeUpdate(Task, { id: taskId }, { complete: progress >= 100 });
    return setNotification(em, userId, 'task_progress', { task_id: taskId, progress });
  });
  await publish(events, event);
}

/** Whether a task of `name` of the user's is still running. */
export async function taskRunning(em: SqlEntityManager, userId: number, name: string) {
  return (await em.count(Task, { user: userId, name, complete: false })) > 0;
}

/** Ends a task whose job will never run (it was cancelled), so it blocks no other. */
export async function endTask(em: SqlEntityManager, taskId: string): Promise<void> {
  await em.nativeUpdate(Task, { id: taskId }, { complete: true });
}

/** A reporter that records progress only when the whole percent changes. */
export function progressReporter(em: SqlEntityManager, events: EventBus, task: TaskRef) {
  let last = -1;
  return async (percent: number) => {
    const whole = Math.max(0, Math.min(100, Math.floor(percent)));
    if (whole === last) return;
    last = whole;
    await setTaskProgress(em, events, task, whole);
  };
}

/** The user's running tasks and how far each has come; every page of theirs asks. */
export async function tasksInProgress(
  em: SqlEntityManager,
  userId: number,
): Promise<TaskInProgress[]> {
  const q = quoter(em);
  const tasks = await selectRows<{ id: string; name: string; description: string | null }>(
    em,
    `select id, name, description from ${q('task')} where user_id = ? and not complete order by name`,
    [userId],
  );
  if (tasks.length === 0) return [];
  const [news] = await selectRows<{ payload_json: string }>(
    em,
    `select payload_json from ${q('notification')} where user_id = ? and name = 'task_progress'`,
    [userId],
  );
  const latest = news
    ? (JSON.parse(news.payload_json) as { task_id: string; progress: number })
    : null;
  return tasks.map((task) => ({
    id: task.id,
    description: task.description ?? task.name,
    progress: latest?.task_id === task.id ? latest.progress : 0,
  }));
}
