import { DomainError } from '../errors.ts';
import { msg } from '../i18n/marker.ts';

/**
 * How text from users is checked and normalised, for every adapter: NUL and other control
 * characters (tab and line breaks aside) and lone UTF-16 surrogates are never stored, since
 * SQLite and PostgreSQL reject NUL and no column means to hold the others.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching them is the point.
const CONTROL_CHARACTERS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;

/** Whether `value` holds characters no stored text may hold. */
export function hasForbiddenCharacters(value: string): boolean {
  return CONTROL_CHARACTERS.test(value) || !value.isWellFormed();
}

export const FORBIDDEN_CHARACTERS_MESSAGE = msg(
  'This value contains characters that are not allowed.',
);

/** Refuses text with forbidden characters, as a DomainError on `field`. */
export function assertCleanText(value: string, field: string): string {
  if (hasForbiddenCharacters(value)) throw new DomainError(FORBIDDEN_CHARACTERS_MESSAGE, field);
  return value;
}

/** Emails are stored lower-cased, so an address finds its account whatever its case. */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

/** Optional text such as "about me": blank means not set (null). */
export function optionalText(value: string | null | undefined): string | null {
  return value?.trim() ? value : null;
}

/** The largest id an `integer` column holds on PostgreSQL and MariaDB. */
const MAX_ID = 2_147_483_647;

/** A row id typed in a path, or undefined when no row can have it (so: not found). */
export function parseId(value: unknown): number | undefined {
  if (typeof value !== 'string' || !/^\d{1,10}$/.test(value)) return undefined;
  const id = Number(value);
  return id >= 1 && id <= MAX_ID ? id : undefined;
}

/** A username typed in a path or a login field, if it could name anyone. */
export function plausibleName(value: unknown, maxLength = 120): string | undefined {
  if (typeof value !== 'string') return undefined;
  const trimmed = value.trim();
  if (!trimmed || trimmed.length > maxLength || hasForbiddenCharacters(trimmed)) return undefined;
  return trimmed;
}
