import { createHash } from 'node:crypto';
import type { SessionStore } from '@fastify/session';
import type { MikroORM } from '@mikro-orm/core';
import type { SqlEntityManager } from '@mikro-orm/sql';
import type { Session as SessionData } from 'fastify';
import { Session } from '../db/entities/index.ts';
import { selectRows } from '../db/rows.ts';

/** A session whose cookie has no expiry (no "remember me") ends a day after its last save. */
const DEFAULT_LIFETIME_MS = 24 * 60 * 60 * 1000;

/** Rows are keyed by a hash of the session id, so a database dump holds no usable cookie. */
export function sessionKey(sessionId: string): string {
  return createHash('sha256').update(sessionId).digest('hex');
}

/** @fastify/session's store, kept in the `session` table through the ORM. */
export class OrmSessionStore implements SessionStore {
  readonly #orm: MikroORM;

  constructor(orm: MikroORM) {
    this.#orm = orm;
  }

  set(sessionId: string, session: SessionData, callback: (error?: unknown) => void): void {
    const expires = session.cookie.expires ? new Date(session.cookie.expires) : undefined;
    const row = {
      id: sessionKey(sessionId),
      user: session.userId ?? null,
      data: JSON.stringify(session),
      // @fastify/session passes the session with its cookie; only the data is ours.
      expiresAt: expires ?? new Date(Date.now() + DEFAULT_LIFETIME_MS),
    };
    this.#orm.em
      .fork()
      .upsert(Session, row)
      .then(() => callback(), callback);
  }

  get(sessionId: string, callback: (error: unknown, session?: SessionData | null) => void): void {
    // Read on every request that carries a cookie: a plain row, no entity.
    const em = this.#orm.em.fork() as SqlEntityManager;
    const table = em.getPlatform().quoteIdentifier('session');
    selectRows<{ data: string }>(em, `select data from ${table} where id = ? and expires_at > ?`, [
      sessionKey(sessionId),
      new Date(),
    ]).then((rows) => callback(null, rows[0] ? JSON.parse(rows[0].data) : null), callback);
  }

  destroy(sessionId: string, callback: (error?: unknown) => void): void {
    this.#orm.em
      .fork()
      .nativeDelete(Session, { id: sessionKey(sessionId) })
      .then(() => callback(), callback);
  }
}
