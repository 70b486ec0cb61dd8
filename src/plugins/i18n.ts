import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { isLocale, type Locale, negotiateLocale } from '../i18n/locales.ts';
import { type Translator, translatorFor } from '../i18n/translator.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** Speaks the request's language: the user's choice, else the browser's. */
    readonly translator: Translator;
  }
}

/** The cookie a visitor's language switch sets. */
export const LOCALE_COOKIE = 'locale';

const chosen = new WeakMap<FastifyRequest, Translator>();

/**
 * The language of a request: the signed-in user's setting, else the visitor's choice (a
 * cookie), else the best match of Accept-Language, else English. Worked out when first
 * needed, once the signed-in user is known. docs/decisions/0020-i18n.md
 */
function localeOf(request: FastifyRequest): Locale {
  const setting = request.user?.locale;
  if (isLocale(setting)) return setting;
  const cookie = request.cookies?.[LOCALE_COOKIE];
  if (isLocale(cookie)) return cookie;
  return negotiateLocale(request.headers['accept-language']);
}

async function registerI18n(app: FastifyInstance) {
  app.decorateRequest('translator', {
    getter(this: FastifyRequest) {
      let translator = chosen.get(this);
      if (!translator) {
        translator = translatorFor(localeOf(this));
        chosen.set(this, translator);
      }
      return translator;
    },
  });
}

export const i18nPlugin = fp(registerI18n, { name: 'i18n' });
