import type { SqlEntityManager } from '@mikro-orm/sql';
import { User } from '../db/entities/index.ts';
import { isLocale, type Locale } from '../i18n/locales.ts';
import { translatorFor } from '../i18n/translator.ts';
import type { Mailer } from '../mail/mailer.ts';
import { resetPasswordEmail } from '../mail/reset-password-email.tsx';
import { createResetToken, verifyResetToken } from '../security/reset-tokens.ts';
import { checkedPassword, setPassword } from './accounts.ts';
import { normalizeEmail } from './input.ts';

/**
 * Emails a reset link when the address belongs to an account; silent otherwise. The email
 * speaks the account's language, else `locale`, the language of whoever asked.
 */
export async function sendPasswordReset(
  em: SqlEntityManager,
  mailer: Mailer,
  email: string,
  secretKey: string,
  linkFor: (token: string) => string,
  locale: Locale = 'en',
): Promise<void> {
  const user = await em.findOne(User, { email: normalizeEmail(email) });
  if (!user) return;
  const link = linkFor(createResetToken(user, secretKey));
  const translator = translatorFor(isLocale(user.locale) ? user.locale : locale);
  const message = resetPasswordEmail({ username: user.username, link, translator });
  await mailer.send({ to: user.email, ...message });
}

/** The user a valid, unexpired, unused reset token names, or null. */
export async function userForResetToken(em: SqlEntityManager, token: string, secretKey: string) {
  const id = await verifyResetToken(token, secretKey, (userId) => em.findOne(User, userId));
  return id === null ? null : em.findOne(User, id);
}

/**
 * Sets the password a reset link was for, and ends every web session and API token of
 * the account: whoever asked for the reset may not be the only one who had the old one.
 */
export async function resetPassword(
  em: SqlEntityManager,
  token: string,
  password: string,
  secretKey: string,
): Promise<'reset' | 'invalid-token'> {
  const user = await userForResetToken(em, token, secretKey);
  if (!user) return 'invalid-token';
  checkedPassword(password, 'password');
  await setPassword(em, user, password);
  return 'reset';
}
