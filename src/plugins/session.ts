import fastifyCookie from '@fastify/cookie';
import fastifySession, { type SessionStore } from '@fastify/session';
import type { MikroORM } from '@mikro-orm/core';
import type { SqlEntityManager } from '@mikro-orm/sql';
import type { FastifyInstance, Session } from 'fastify';
import fp from 'fastify-plugin';
import { deriveKey } from '../security/keys.ts';

declare module 'fastify' {
  interface Session {
    /** The signed-in user, if any. */
    userId?: number;
  }
}

export const SESSION_COOKIE = 'session';
const PURGE_EVERY_MS = 60 * 60 * 1000;

/** Where sessions are kept; the domain supplies it (src/domain/sessions.ts). */
export interface SessionRows {
  save(em: SqlEntityManager, sessionId: string, session: Session): Promise<void>;
  load(em: SqlEntityManager, sessionId: string): Promise<Session | null>;
  end(em: SqlEntityManager, sessionId: string): Promise<void>;
  purgeExpired(em: SqlEntityManager): Promise<void>;
}

/** @fastify/session's callback-style store, over the session rows, each call in its own fork. */
function storeOf(orm: MikroORM, rows: SessionRows): SessionStore {
  const em = () => orm.em.fork() as SqlEntityManager;
  return {
    set: (id, session, done) => void rows.save(em(), id, session).then(() => done(), done),
    get: (id, done) => void rows.load(em(), id).then((session) => done(null, session), done),
    destroy: (id, done) => void rows.end(em(), id).then(() => done(), done),
  };
}

/**
 * Server-side sessions, revocable row by row. The cookie is HttpOnly, SameSite=Lax, and
 * Secure whenever the request came over HTTPS (directly or, with TRUST_PROXY, through a
 * proxy). Nothing is stored for a visitor until they log in: flash messages and CSRF
 * secrets live in signed cookies of their own.
 * docs/decisions/0005-sessions-in-the-database.md
 */
async function registerSessions(app: FastifyInstance, { rows }: { rows: SessionRows }) {
  const { secretKey } = app.config;
  await app.register(fastifyCookie, { secret: deriveKey(secretKey, 'cookies') });
  await app.register(fastifySession, {
    secret: deriveKey(secretKey, 'sessions'),
    cookieName: SESSION_COOKIE,
    store: storeOf(app.orm, rows),
    saveUninitialized: false,
    rolling: false,
    cookie: { httpOnly: true, sameSite: 'lax', secure: 'auto', path: '/' },
  });
  const purge = setInterval(() => {
    rows
      .purgeExpired(app.orm.em.fork() as SqlEntityManager)
      .catch((error) => app.log.warn({ err: error }, 'could not purge expired sessions'));
  }, PURGE_EVERY_MS);
  purge.unref();
  app.addHook('onClose', async () => clearInterval(purge));
}

export const sessionPlugin = fp(registerSessions, { name: 'session', dependencies: ['orm'] });
