import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { Flash, FlashCategory } from '../views/context.ts';

declare module 'fastify' {
  interface FastifyReply {
    /**
     * Queues a one-time message for the next page this browser renders, which shows it in
     * its language: `message` is a message of the sources (see src/i18n), with `values`.
     */
    flash(message: string, category?: FlashCategory, values?: Flash['values']): FastifyReply;
  }
  interface FastifyRequest {
    /** Returns the queued messages and forgets them. */
    takeFlashes(reply: FastifyReply): Flash[];
  }
}

const COOKIE = 'flash';
const MAX_MESSAGES = 5;

/**
 * One-time messages in a short-lived signed cookie rather than the session, so an
 * anonymous visitor's "please log in" needs no session row.
 */
async function registerFlash(app: FastifyInstance) {
  const read = (
    value: string | undefined,
    unsign: (value: string) => { valid: boolean; value: string | null },
  ) => {
    if (!value) return [];
    const { valid, value: json } = unsign(value);
    if (!valid || !json) return [];
    try {
      const parsed = JSON.parse(json);
      return Array.isArray(parsed) ? (parsed as Flash[]).slice(0, MAX_MESSAGES) : [];
    } catch {
      return [];
    }
  };

  app.decorateReply(
    'flash',
    function flash(message: string, category: FlashCategory = 'info', values?: Flash['values']) {
      const queued = read(this.request.cookies[COOKIE], (value) => this.unsignCookie(value));
      const messages = [...queued, { category, message, values }].slice(-MAX_MESSAGES);
      return this.setCookie(COOKIE, JSON.stringify(messages), {
        path: '/',
        httpOnly: true,
        sameSite: 'lax',
        secure: 'auto',
        signed: true,
        maxAge: 300,
      });
    },
  );

  app.decorateRequest('takeFlashes', function takeFlashes(reply) {
    const messages = read(this.cookies[COOKIE], (value) => reply.unsignCookie(value));
    if (messages.length > 0) reply.clearCookie(COOKIE, { path: '/' });
    return messages;
  });
}

export const flashPlugin = fp(registerFlash, { name: 'flash', dependencies: ['session'] });
