import fastifyCsrf from '@fastify/csrf-protection';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

const UNSAFE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * CSRF protection for every state-changing request of the web pages. The secret
 * lives in a signed HttpOnly cookie (no session row for anonymous visitors); forms
 * carry the token in `_csrf`. A missing or wrong token is a 403 that changes nothing.
 * The JSON API under /api is exempt because it never reads the session cookie: it
 * authenticates with bearer tokens, which a cross-site form cannot send.
 */
async function registerCsrf(app: FastifyInstance) {
  await app.register(fastifyCsrf, {
    sessionPlugin: '@fastify/cookie',
    cookieKey: '_csrf',
    cookieOpts: { path: '/', sameSite: 'lax', httpOnly: true, signed: true, secure: 'auto' },
  });
  app.addHook('preHandler', (request, reply, done) => {
    // No route took it (a 404 or 405): nothing would change, so there is nothing to protect.
    if (!UNSAFE_METHODS.has(request.method) || request.url.startsWith('/api/') || request.is404)
      return done();
    app.csrfProtection(request, reply, done);
  });
}

export const csrfPlugin = fp(registerCsrf, { name: 'csrf', dependencies: ['session'] });
