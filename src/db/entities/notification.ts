import { defineEntity, p } from '@mikro-orm/core';
import { User } from './user.ts';

/**
 * The latest value of one kind of news for a user (`unread_message_count`,
 * `task_progress`), as the Flask Microblog keeps it: one row per user and name, replaced
 * whenever it changes, so its id grows with every change (live streams resume from it).
 * `timestamp` is in seconds since the epoch, with a fraction, as polling clients send it back.
 */
export const NotificationSchema = defineEntity({
  name: 'Notification',
  properties: {
    id: p.integer().primary(),
    name: p.string().length(128),
    user: () => p.manyToOne(User).fieldName('user_id').deleteRule('cascade'),
    timestamp: p.double(),
    payloadJson: p.text(),
  },
  uniques: [{ properties: ['user', 'name'] }],
});

export class Notification extends NotificationSchema.class {}
NotificationSchema.setClass(Notification);
