import type { FastifyInstance } from 'fastify';
import { updateAccount } from '../../domain/accounts.ts';
import { isLocale } from '../../i18n/locales.ts';
import { LOCALE_COOKIE } from '../../plugins/i18n.ts';
import { safeNext } from '../safe-next.ts';

const A_YEAR = 365 * 86_400;

/**
 * The language switch at the foot of every page: a visitor's choice is kept in a cookie, a
 * signed-in user's in their account (as the profile's Language setting). Back to the page.
 */
export async function languageRoutes(app: FastifyInstance) {
  app.post<{ Body: { locale?: unknown; next?: unknown } }>('/language', async (request, reply) => {
    const locale = request.body?.locale;
    const next = safeNext(request.body?.next);
    if (!isLocale(locale)) return reply.redirect(next);
    reply.setCookie(LOCALE_COOKIE, locale, {
      path: '/',
      maxAge: A_YEAR,
      sameSite: 'lax',
      httpOnly: true,
      secure: 'auto',
    });
    if (request.user) await updateAccount(request.em, request.user, { locale });
    return reply.redirect(next);
  });
}
