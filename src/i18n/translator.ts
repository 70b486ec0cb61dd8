import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { IntlMessageFormat } from 'intl-messageformat';
import { projectRoot } from '../config/load.ts';
import { LOCALES, type Locale } from './locales.ts';

/**
 * Messages are ICU MessageFormat, written in English in the sources (`t('{count, plural,
 * one {# follower} other {# followers}}', { count })`) and translated in
 * `locales/<locale>.json`, keyed by the English text. docs/decisions/0020-i18n.md
 */
export type MessageValues = Record<string, string | number | Date>;

export interface Translator {
  locale: Locale;
  /** `message` in this language, its placeholders filled in. */
  t(message: string, values?: MessageValues): string;
  /** A date and time in this language, in `timeZone` (UTC unless the reader's is known). */
  dateTime(date: Date, timeZone?: string): string;
}

function catalogue(locale: Locale): Map<string, string> {
  if (locale === 'en') return new Map();
  const file = join(projectRoot, 'locales', `${locale}.json`);
  const entries = Object.entries(JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>);
  return new Map(entries.filter(([, translation]) => translation !== ''));
}

function createTranslator(locale: Locale): Translator {
  const messages = catalogue(locale);
  // Parsing a message costs more than formatting it: each is parsed once per language.
  const formats = new Map<string, IntlMessageFormat>();
  const dates = new Map<string, Intl.DateTimeFormat>();
  return {
    locale,
    t(message, values) {
      let format = formats.get(message);
      if (!format) {
        format = new IntlMessageFormat(messages.get(message) ?? message, locale);
        formats.set(message, format);
      }
      return String(format.format(values));
    },
    dateTime(date, timeZone = 'UTC') {
      let format = dates.get(timeZone);
      if (!format) {
        format = new Intl.DateTimeFormat(locale, {
          dateStyle: 'medium',
          timeStyle: 'short',
          timeZone,
        });
        dates.set(timeZone, format);
      }
      return format.format(date);
    },
  };
}

/** One translator per language, made once: rendering reads, never changes, them. */
const translators = new Map(LOCALES.map((locale) => [locale, createTranslator(locale)]));

export function translatorFor(locale: Locale): Translator {
  return translators.get(locale) ?? (translators.get('en') as Translator);
}
