import fastifyCookie from '@fastify/cookie';
import fastifySession from '@fastify/session';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { Config } from '../config.ts';
import { Session } from '../db/entities/index.ts';
import { deriveKey } from '../security/keys.ts';
import { OrmSessionStore } from './session-store.ts';

declare module 'fastify' {
  interface Session {
    /** The signed-in user, if any. */
    userId?: number;
  }
}

export const SESSION_COOKIE = 'session';
const PURGE_EVERY_MS = 60 * 60 * 1000;

/**
 * Server-side sessions in the database, revocable row by row. The cookie is HttpOnly,
 * SameSite=Lax, and Secure whenever the request came over HTTPS (directly or, with
 * TRUST_PROXY, through a proxy). Nothing is stored for a visitor until they log in:
 * flash messages and CSRF secrets live in signed cookies of their own.
 */
async function registerSessions(app: FastifyInstance, { config }: { config: Readonly<Config> }) {
  await app.register(fastifyCookie, { secret: deriveKey(config.secretKey, 'cookies') });
  await app.register(fastifySession, {
    secret: deriveKey(config.secretKey, 'sessions'),
    cookieName: SESSION_COOKIE,
    store: new OrmSessionStore(app.orm),
    saveUninitialized: false,
    rolling: false,
    cookie: { httpOnly: true, sameSite: 'lax', secure: 'auto', path: '/' },
  });
  const purge = setInterval(() => {
    app.orm.em
      .fork()
      .nativeDelete(Session, { expiresAt: { $lt: new Date() } })
      .catch((error) => app.log.warn({ err: error }, 'could not purge expired sessions'));
  }, PURGE_EVERY_MS);
  purge.unref();
  app.addHook('onClose', async () => clearInterval(purge));
}

export const sessionPlugin = fp(registerSessions, { name: 'session', dependencies: ['orm'] });
