import { defineEntity, p } from '@mikro-orm/core';
import { User } from './user.ts';

/** A private message, seen only by its sender and its recipient. */
export const MessageSchema = defineEntity({
  name: 'Message',
  properties: {
    id: p.integer().primary(),
    sender: () => p.manyToOne(User).fieldName('sender_id').deleteRule('cascade'),
    recipient: () => p.manyToOne(User).fieldName('recipient_id').deleteRule('cascade'),
    body: p.string().length(140),
    // Set by the ORM, not a column default (docs/decisions/0002-migration-pitfalls.md, rule 1).
    timestamp: p
      .datetime()
      .length(3)
      .onCreate(() => new Date()),
  },
  // "My received messages, newest first" and the unread count walk the first; the sent list
  // the second.
  indexes: [{ properties: ['recipient', 'timestamp'] }, { properties: ['sender', 'timestamp'] }],
});

export class Message extends MessageSchema.class {}
MessageSchema.setClass(Message);
