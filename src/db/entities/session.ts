import { defineEntity, p } from '@mikro-orm/core';
import { User } from './user.ts';

/**
 * A server-side web session. The primary key is a SHA-256 of the session id, so the
 * table never holds a usable cookie value. `user_id` lets logout elsewhere and a
 * password change revoke every session of one user.
 */
export const SessionSchema = defineEntity({
  name: 'Session',
  tableName: 'session',
  properties: {
    id: p.string().length(64).primary(),
    user: () => p.manyToOne(User).nullable().fieldName('user_id').index().deleteRule('cascade'),
    data: p.text(),
    expiresAt: p.datetime().length(3).index(),
  },
});

export class Session extends SessionSchema.class {}
SessionSchema.setClass(Session);
