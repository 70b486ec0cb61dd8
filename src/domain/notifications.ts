import type { SqlEntityManager } from '@mikro-orm/sql';
import { Notification, User } from '../db/entities/index.ts';
import { quoter, selectRows } from '../db/rows.ts';
import type { EventBus, UserEvent } from '../events/bus.ts';

/**
 * Notifications, as the Flask Microblog keeps them: the latest value of each kind of news
 * (`unread_message_count`, `task_progress`) per user, read by polling clients with
 * `since`, and pushed to open pages as it changes.
 */

let lastTimestamp = 0;

/** Seconds since the epoch; strictly growing within the process, so `since` never skips one. */
function nextTimestamp(): number {
  lastTimestamp = Math.max(Date.now() / 1000, lastTimestamp + 0.000_001);
  return lastTimestamp;
}

/**
 * Sets the user's `name` notification to `data`, replacing the previous one, within the
 * caller's transaction. Publish the result once that transaction has committed.
 */
export async function setNotification(
  em: SqlEntityManager,
  userId: number,
  name: string,
  data: unknown,
): Promise<UserEvent> {
  const event = { userId, name, data, timestamp: nextTimestamp() };
  await em.upsert(
    Notification,
    {
      user: em.getReference(User, userId),
      name,
      timestamp: event.timestamp,
      payloadJson: JSON.stringify(data),
    },
    { onConflictFields: ['user', 'name'], onConflictExcludeFields: ['id'] },
  );
  return event;
}

/** Tells the user's open pages, once the change is committed; a lost event is caught up by polling. */
export async function publish(events: EventBus, event: UserEvent): Promise<void> {
  await events.publish(event).catch(() => {});
}

/** The user's notifications newer than `since` (seconds since the epoch), oldest first. */
export async function notificationsSince(
  em: SqlEntityManager,
  userId: number,
  since: number,
): Promise<UserEvent[]> {
  const q = quoter(em);
  const rows = await selectRows<{ name: string; payload_json: string; timestamp: number }>(
    em,
    `select name, payload_json, timestamp from ${q('notification')} where user_id = ? and timestamp > ? order by timestamp`,
    [userId, since],
  );
  return rows.map((row) => ({
    userId,
    name: row.name,
    data: JSON.parse(row.payload_json),
    timestamp: Number(row.timestamp),
  }));
}
