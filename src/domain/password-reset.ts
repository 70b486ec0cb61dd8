import type { SqlEntityManager } from '@mikro-orm/sql';
import { User } from '../db/entities/index.ts';
import { isLocale, type Locale } from '../i18n/locales.ts';
import { translatorFor } from '../i18n/translator.ts';
import type { JobDefinition, JobQueue } from '../jobs/index.ts';
import { resetPasswordEmail } from '../mail/reset-password-email.tsx';
import { createResetToken, verifyResetToken } from '../security/reset-tokens.ts';
import { checkedPassword, setPassword } from './accounts.ts';
import { normalizeEmail } from './input.ts';

export const PASSWORD_RESET_JOB = 'password-reset';

/**
 * Where a reset link points: the web's reset page with the token in its path, or the API
 * client's page (PASSWORD_RESET_URL) with it in the query.
 */
export interface ResetLink {
  url: string;
  tokenIn: 'path' | 'query';
}

function linkWith({ url, tokenIn }: ResetLink, token: string): string {
  if (tokenIn === 'path') return `${url}${token}`;
  const link = new URL(url);
  link.searchParams.set('token', token);
  return link.toString();
}

/**
 * Asks for a reset link to be emailed to `email`, by a background job: the answer, and how
 * long it takes, never depend on whether the address has an account or on the mail server.
 */
export async function requestPasswordReset(
  jobs: JobQueue,
  email: string,
  link: ResetLink,
  locale: Locale = 'en',
): Promise<void> {
  await jobs.enqueue(PASSWORD_RESET_JOB, { email, link, locale } satisfies ResetRequest);
}

interface ResetRequest {
  email: string;
  link: ResetLink;
  /** The language of whoever asked; the email speaks the account's own when it has one. */
  locale?: string;
}

/** Emails a reset link when the address belongs to an account; silent otherwise. */
export const passwordResetJob: JobDefinition<ResetRequest> = {
  async run({ em, mailer, config }, { email, link, locale }) {
    const user = await em.findOne(User, { email: normalizeEmail(email) });
    if (!user) return;
    const url = linkWith(link, createResetToken(user, config.secretKey));
    const language = isLocale(user.locale) ? user.locale : isLocale(locale) ? locale : 'en';
    const translator = translatorFor(language);
    await mailer.send({
      to: user.email,
      ...resetPasswordEmail({ username: user.username, link: url, translator }),
    });
  },
};

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
