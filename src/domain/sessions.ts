import { createHash } from 'node:crypto';
import type { SqlEntityManager } from '@mikro-orm/sql';
import { Session } from '../db/entities/index.ts';
import { selectRows } from '../db/rows.ts';

/**
 * Web sessions, kept server-side in the `session` table so that logout and a password
 * change can end them row by row. docs/decisions/0005-sessions-in-the-database.md
 */

/** A session whose cookie has no expiry (no "remember me") ends a day after its last save. */
const DEFAULT_LIFETIME_MS = 24 * 60 * 60 * 1000;

/** Rows are keyed by a hash of the session id, so a database dump holds no usable cookie. */
export function sessionKey(sessionId: string): string {
  return createHash('sha256').update(sessionId).digest('hex');
}

/** What the web keeps of a session: its data, the user it signs in, and its expiry. */
export interface StoredSession {
  userId?: number;
  cookie: { expires?: Date | string | null };
}

export async function saveSession(
  em: SqlEntityManager,
  sessionId: string,
  session: StoredSession,
): Promise<void> {
  const expires = session.cookie.expires ? new Date(session.cookie.expires) : undefined;
  await em.upsert(Session, {
    id: sessionKey(sessionId),
    user: session.userId ?? null,
    data: JSON.stringify(session),
    expiresAt: expires ?? new Date(Date.now() + DEFAULT_LIFETIME_MS),
  });
}

/** The session's data, unless it is unknown or expired. Read on every request with a cookie. */
export async function loadSession<T>(em: SqlEntityManager, sessionId: string): Promise<T | null> {
  const table = em.getPlatform().quoteIdentifier('session');
  const [row] = await selectRows<{ data: string }>(
    em,
    `select data from ${table} where id = ? and expires_at > ?`,
    [sessionKey(sessionId), new Date()],
  );
  return row ? (JSON.parse(row.data) as T) : null;
}

export async function endSession(em: SqlEntityManager, sessionId: string): Promise<void> {
  await em.nativeDelete(Session, { id: sessionKey(sessionId) });
}

export async function purgeExpiredSessions(em: SqlEntityManager): Promise<void> {
  await em.nativeDelete(Session, { expiresAt: { $lt: new Date() } });
}
