import type { SqlEntityManager } from '@mikro-orm/sql';
import { Message, type User } from '../db/entities/index.ts';
import { inTransaction } from '../db/transaction.ts';
import { DomainError } from '../errors.ts';
import type { EventBus } from '../events/bus.ts';
import { assertCleanText } from './input.ts';
import { publish, setNotification } from './notifications.ts';
import { MESSAGE_MAX, saySomething } from './rules.ts';

/**
 * Private messages: seen by their sender and their recipient, nobody else. What a user has
 * not read is what they received after they last opened their messages.
 */

/** The user's received messages they have not read, by the (recipient_id, timestamp) index. */
export async function unreadCount(
  em: SqlEntityManager,
  user: Pick<User, 'id' | 'lastMessageReadTime'>,
): Promise<number> {
  return em.count(Message, {
    recipient: user.id,
    timestamp: { $gt: user.lastMessageReadTime ?? new Date(0) },
  });
}

/** 1 to 140 characters (code points), not all blank, nothing a database refuses. */
function checkedBody(body: string): string {
  assertCleanText(body, 'message');
  const length = [...body].length;
  if (length === 0 || length > MESSAGE_MAX || !/\S/.test(body)) {
    const { template, values } = saySomething(MESSAGE_MAX);
    throw new DomainError(template, 'message', values);
  }
  return body;
}

/**
 * Sends a message and, in the same transaction, updates the recipient's unread count
 * notification; their open pages hear of it once it is committed. Nobody messages themself.
 */
export async function sendMessage(
  em: SqlEntityManager,
  events: EventBus,
  sender: User,
  recipient: User,
  body: string,
): Promise<Message | 'self'> {
  if (sender.id === recipient.id) return 'self';
  const message = em.create(Message, { sender, recipient, body: checkedBody(body) });
  const event = await inTransaction(em, async () => {
    await em.flush();
    const unread = await unreadCount(em, recipient);
    return setNotification(em, recipient.id, 'unread_message_count', unread);
  });
  await publish(events, event);
  return message;
}

/** Marks everything the user received as read, and tells their open pages the count is 0. */
export async function markMessagesRead(
  em: SqlEntityManager,
  events: EventBus,
  user: User,
): Promise<void> {
  user.lastMessageReadTime = new Date();
  const event = await inTransaction(em, async () => {
    await em.flush();
    return setNotification(em, user.id, 'unread_message_count', 0);
  });
  await publish(events, event);
}
