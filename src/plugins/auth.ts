import type { SqlEntityManager } from '@mikro-orm/sql';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { User } from '../db/entities/index.ts';
import { HttpError } from '../errors.ts';
import { msg } from '../i18n/marker.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /**
     * Who is calling: on the web pages the signed-in user, loaded once per request from the
     * session; under /api the owner of the bearer token. Null for visitors.
     */
    user: User | null;
  }
}

const REMEMBER_ME_MS = 30 * 24 * 60 * 60 * 1000;

/** Starts a fresh session for `user`: a new id (no fixation), and a 30-day cookie if remembered. */
export async function logIn(request: FastifyRequest, user: User, remember: boolean): Promise<void> {
  await request.session.regenerate();
  request.session.userId = user.id;
  if (remember) request.session.options({ maxAge: REMEMBER_ME_MS });
  await request.session.save();
  request.user = user;
}

export async function logOut(request: FastifyRequest): Promise<void> {
  await request.session.destroy();
  request.user = null;
}

/**
 * Where to return after logging in: the page asked for, or, for a form posted while
 * signed out, the page that held the form (a POST address cannot be revisited).
 */
function returnPath(request: FastifyRequest): string | undefined {
  if (request.method === 'GET' || request.method === 'HEAD') return request.url;
  const referer = request.headers.referer;
  if (!referer) return undefined;
  try {
    const url = new URL(referer);
    const ours = new URL(`${request.protocol}://${request.host}`).origin;
    return url.origin === ours ? `${url.pathname}${url.search}` : undefined;
  } catch {
    return undefined;
  }
}

/** preHandler for pages that need a signed-in user. */
export async function requireLogin(request: FastifyRequest, reply: FastifyReply) {
  if (request.user) return;
  reply.flash(msg('Please log in to access this page.'), 'info');
  const next = returnPath(request);
  return reply.redirect(next ? `/auth/login?next=${encodeURIComponent(next)}` : '/auth/login');
}

/** preHandler, after `requireLogin`, for what only admins may do: anyone else gets a 403. */
export async function requireAdmin(request: FastifyRequest) {
  if (!request.user?.isAdmin) throw new HttpError(403, msg('Only administrators can do this.'));
}

/** The signed-in user of a page behind `requireLogin`. */
export function signedIn(request: FastifyRequest): User {
  if (!request.user) throw new Error('signedIn() outside requireLogin');
  return request.user;
}

/** What the plugin needs to know about accounts; the domain supplies it (src/app.ts). */
export interface AccountLookup {
  loadUser(em: SqlEntityManager, id: number): Promise<User | null>;
  /** Records the visit; true when it wrote (then the session is saved, renewing it). */
  recordVisit(em: SqlEntityManager, user: User): Promise<boolean>;
}

async function registerAuth(app: FastifyInstance, accounts: AccountLookup) {
  app.decorateRequest('user', null);
  app.addHook('onRequest', async (request) => {
    // The API authenticates with bearer tokens only, never with the session cookie.
    if (request.url.startsWith('/api/')) return;
    const userId = request.session.userId;
    if (userId === undefined) return;
    const user = await accounts.loadUser(request.em, userId);
    if (!user) {
      // The account is gone or disabled: forget the session rather than fail every request.
      await request.session.destroy();
      return;
    }
    request.user = user;
    // Saving the session pushes its server-side expiry forward: an active user stays
    // signed in, at the cost of one write a minute rather than one per request.
    if (await accounts.recordVisit(request.em, user)) await request.session.save();
  });
}

export const authPlugin = fp(registerAuth, { name: 'auth', dependencies: ['session', 'orm'] });
