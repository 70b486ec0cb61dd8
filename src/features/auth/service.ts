import { raw, type SqlEntityManager } from '@mikro-orm/sql';
import { Session, Token, User } from '../../db/entities/index.ts';
import { DomainError } from '../../db/errors.ts';
import { inTransaction } from '../../db/transaction.ts';
import type { Mailer } from '../../mail/mailer.ts';
import { hashPassword, needsRehash, verifyPassword } from '../../security/passwords.ts';
import { createResetToken, verifyResetToken } from '../../security/reset-tokens.ts';
import { resetEmail } from './views/reset-email.tsx';

/** Compared against when no account matches, so a wrong username costs as long as a wrong password. */
const DUMMY_HASH = await hashPassword('not a real password');

/** Emails are stored lower-cased, so an address finds its account whatever its case. */
function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

/** The account a login names: an email (with `@`), or an exact username. */
export function findUserByLogin(em: SqlEntityManager, login: string): Promise<User | null> {
  const value = login.trim();
  return value.includes('@')
    ? em.findOne(User, { email: normalizeEmail(value) })
    : em.findOne(User, { username: value });
}

/**
 * Refuses a username or email another account has. Usernames are compared without
 * case, so "Mary" cannot register beside "mary" (a scan, but only on these rare writes).
 */
export async function assertAvailable(
  em: SqlEntityManager,
  fields: { username?: string; email?: string },
  exceptUserId?: number,
): Promise<void> {
  const others = { id: { $ne: exceptUserId ?? 0 } };
  if (fields.username !== undefined) {
    const lower = fields.username.toLowerCase();
    const taken = await em.count(User, { ...others, [raw('lower(username)')]: lower });
    if (taken > 0) throw new DomainError('Please use a different username.', 'username');
  }
  if (fields.email !== undefined) {
    const taken = await em.count(User, { ...others, email: normalizeEmail(fields.email) });
    if (taken > 0) throw new DomainError('Please use a different email address.', 'email');
  }
}

export async function registerUser(
  em: SqlEntityManager,
  form: { username: string; email: string; password: string; about_me?: string | null },
): Promise<User> {
  await assertAvailable(em, form);
  const user = em.create(User, {
    username: form.username,
    email: normalizeEmail(form.email),
    aboutMe: form.about_me?.trim() ? form.about_me : null,
  });
  await user.setPassword(form.password);
  // The flush turns a concurrent duplicate into the same DomainError.
  await em.flush();
  return user;
}

/** The user whose login (username or email) and password match, or null; never says which failed. */
export async function authenticate(
  em: SqlEntityManager,
  login: string,
  password: string,
): Promise<User | null> {
  const user = await findUserByLogin(em, login);
  if (!user?.passwordHash) {
    await verifyPassword(DUMMY_HASH, password);
    return null;
  }
  if (!(await user.checkPassword(password))) return null;
  if (needsRehash(user.passwordHash)) {
    // Carried over from the Flask Microblog: upgrade to argon2id now that we know the password.
    await user.setPassword(password);
    await em.flush();
  }
  return user;
}

/** The credentials a password change leaves working: the session or token that made it. */
export interface KeptCredentials {
  sessionKey?: string;
  accessTokenHash?: string;
}

/**
 * Ends every web session and API token of the account but the kept ones: a credential
 * that leaked with the old password stops working with it. Call it in the transaction
 * that stores the new password.
 */
async function revokeCredentials(
  em: SqlEntityManager,
  userId: number,
  keep: KeptCredentials = {},
): Promise<void> {
  const { sessionKey, accessTokenHash } = keep;
  await em.nativeDelete(
    Session,
    sessionKey ? { user: userId, id: { $ne: sessionKey } } : { user: userId },
  );
  await em.nativeDelete(
    Token,
    accessTokenHash
      ? { user: userId, accessTokenHash: { $ne: accessTokenHash } }
      : { user: userId },
  );
}

/** Sets a new password and, in the same transaction, revokes the account's other credentials. */
export async function changePassword(
  em: SqlEntityManager,
  user: User,
  password: string,
  keep: KeptCredentials = {},
): Promise<void> {
  await user.setPassword(password);
  await inTransaction(em, async () => {
    await em.flush();
    await revokeCredentials(em, user.id, keep);
  });
}

/** Emails a reset link when the address belongs to an account; silent otherwise. */
export async function sendPasswordReset(
  em: SqlEntityManager,
  mailer: Mailer,
  email: string,
  secretKey: string,
  linkFor: (token: string) => string,
): Promise<void> {
  const user = await em.findOne(User, { email: normalizeEmail(email) });
  if (!user) return;
  const link = linkFor(createResetToken(user, secretKey));
  await mailer.send({ to: user.email, ...resetEmail({ username: user.username, link }) });
}

/** The user a valid, unexpired, unused reset token names, or null. */
export async function userForResetToken(em: SqlEntityManager, token: string, secretKey: string) {
  const id = await verifyResetToken(token, secretKey, (userId) => em.findOne(User, userId));
  return id === null ? null : em.findOne(User, id);
}
