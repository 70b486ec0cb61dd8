import { raw, type SqlEntityManager } from '@mikro-orm/sql';
import { Session, Token, User } from '../db/entities/index.ts';
import { columnsOf, selectRows } from '../db/rows.ts';
import { inTransaction } from '../db/transaction.ts';
import { DomainError } from '../errors.ts';
import type { Locale } from '../i18n/locales.ts';
import { msg } from '../i18n/marker.ts';
import { hashPassword, needsRehash, verifyPassword } from '../security/passwords.ts';
import { assertCleanText, normalizeEmail, optionalText } from './input.ts';
import { ABOUT_ME, API_PASSWORD, assertRule, EMAIL, USERNAME } from './rules.ts';
import { sessionKey } from './sessions.ts';

/** Compared against when no account matches, so a wrong username costs as long as a wrong password. */
const DUMMY_HASH = await hashPassword('not a real password');

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
async function assertAvailable(
  em: SqlEntityManager,
  fields: { username?: string; email?: string },
  exceptUserId = 0,
): Promise<void> {
  const others = { id: { $ne: exceptUserId } };
  if (fields.username !== undefined) {
    const lower = fields.username.toLowerCase();
    const taken = await em.count(User, { ...others, [raw('lower(username)')]: lower });
    if (taken > 0) throw new DomainError(msg('Please use a different username.'), 'username');
  }
  if (fields.email !== undefined) {
    const taken = await em.count(User, { ...others, email: fields.email });
    if (taken > 0) throw new DomainError(msg('Please use a different email address.'), 'email');
  }
}

/**
 * A username, email and about-me text that follow the rules, normalised, or a DomainError
 * naming the field as the forms and the API do.
 */
function checked(fields: { username?: string; email?: string; aboutMe?: string | null }) {
  const { username: name, email: address, aboutMe: about } = fields;
  for (const [field, value] of Object.entries({
    username: name,
    email: address,
    about_me: about,
  })) {
    if (typeof value === 'string') assertCleanText(value, field);
  }
  if (fields.username !== undefined) assertRule(USERNAME, fields.username, 'username');
  const email = fields.email === undefined ? undefined : normalizeEmail(fields.email);
  if (email !== undefined) assertRule(EMAIL, email, 'email');
  const aboutMe = fields.aboutMe === undefined ? undefined : optionalText(fields.aboutMe);
  if (aboutMe) assertRule(ABOUT_ME, aboutMe, 'about_me');
  return { username: fields.username, email, aboutMe };
}

/**
 * A new password: the API's rule (the web's is stricter), and no characters that could make
 * two different passwords hash alike (a lone surrogate becomes U+FFFD in UTF-8).
 */
export function checkedPassword(password: string, field: string): string {
  assertCleanText(password, field);
  return assertRule(API_PASSWORD, password, field);
}

export interface Registration {
  username: string;
  email: string;
  password: string;
  aboutMe?: string | null;
}

/** Creates an account; a taken username or email is a DomainError on that field. */
export async function registerUser(em: SqlEntityManager, form: Registration): Promise<User> {
  const { aboutMe } = checked(form);
  checkedPassword(form.password, 'password');
  const { username } = form;
  const email = normalizeEmail(form.email);
  await assertAvailable(em, { username, email });
  const user = em.create(User, { username, email, aboutMe: aboutMe ?? null });
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
  // A disabled account fails like a wrong password, once the password has cost the same:
  // saying "disabled" would confirm the password to whoever tried it (decision 0027).
  if (user.disabledAt) return null;
  if (needsRehash(user.passwordHash)) {
    // Carried over from the Flask Microblog: upgrade to argon2id now that we know the password.
    await user.setPassword(password);
    await em.flush();
  }
  return user;
}

/** The credentials a password change leaves working: the session or token that made it. */
export interface KeptCredentials {
  sessionId?: string;
  accessTokenHash?: string;
}

export interface AccountChanges {
  username?: string;
  email?: string;
  /** Blank clears it. */
  aboutMe?: string | null;
  /** The language of the pages; null: the browser's. */
  locale?: Locale | null;
  /** Must be right whenever it is given, and to set a new password. */
  currentPassword?: string;
  newPassword?: string;
  /** With a new password: the session or token that made the change keeps working. */
  keep?: KeptCredentials;
}

/**
 * Changes an account in one transaction. A new password needs the current one, and ends
 * every other web session and API token of the account, so a credential that leaked with
 * the old password stops working with it. A taken username or email is a DomainError.
 */
export async function updateAccount(
  em: SqlEntityManager,
  user: User,
  changes: AccountChanges,
): Promise<'updated' | 'wrong-password'> {
  const { username, email, aboutMe } = checked(changes);
  if (changes.currentPassword !== undefined || changes.newPassword !== undefined) {
    if (!(await user.checkPassword(changes.currentPassword ?? ''))) return 'wrong-password';
  }
  if (changes.newPassword !== undefined) checkedPassword(changes.newPassword, 'password');
  await assertAvailable(
    em,
    {
      username: username !== user.username ? username : undefined,
      email: email !== user.email ? email : undefined,
    },
    user.id,
  );
  if (username !== undefined) user.username = username;
  if (email !== undefined) user.email = email;
  if (aboutMe !== undefined) user.aboutMe = aboutMe;
  if (changes.locale !== undefined) user.locale = changes.locale;
  if (changes.newPassword === undefined) await em.flush();
  else await setPassword(em, user, changes.newPassword, changes.keep);
  return 'updated';
}

/** Stores a new password and ends the account's other credentials, in one transaction. */
export async function setPassword(
  em: SqlEntityManager,
  user: User,
  password: string,
  keep: KeptCredentials = {},
): Promise<void> {
  await user.setPassword(password);
  await inTransaction(em, async () => {
    await em.flush();
    const { sessionId, accessTokenHash } = keep;
    await em.nativeDelete(
      Session,
      sessionId ? { user: user.id, id: { $ne: sessionKey(sessionId) } } : { user: user.id },
    );
    await em.nativeDelete(
      Token,
      accessTokenHash
        ? { user: user.id, accessTokenHash: { $ne: accessTokenHash } }
        : { user: user.id },
    );
  });
}

/**
 * The signed-in user of a request, read as a plain row and handed to the unit of work: on
 * every signed-in request this costs a quarter of what `em.findOne` does (measured). A
 * disabled account is no one, so a session that outlived the disabling signs nobody in.
 */
export async function loadUser(em: SqlEntityManager, id: number): Promise<User | null> {
  const [row] = await selectRows<Record<string, unknown>>(
    em,
    `select ${columnsOf(em, User, 'u')} from ${em.getPlatform().quoteIdentifier('user')} as u where u.id = ? and u.disabled_at is null`,
    [id],
  );
  return row ? em.map(User, row) : null;
}

/** `last_seen` is written at most once a minute per user, not on every request. */
const LAST_SEEN_EVERY_MS = 60 * 1000;

/** Records that `user` was seen now, at most once a minute. True when it wrote. */
export async function recordVisit(em: SqlEntityManager, user: User): Promise<boolean> {
  const now = new Date();
  if (user.lastSeen && now.getTime() - user.lastSeen.getTime() < LAST_SEEN_EVERY_MS) return false;
  user.lastSeen = now;
  await em.flush();
  return true;
}

/**
 * Whose account a login attempt is against, for rate limits. Usernames are unique
 * regardless of case, so the lower-cased username names the account; an email is resolved
 * to its account's username, so "mary", "MARY" and "mary@example.com" share one count.
 */
export async function loginAccountKey(em: SqlEntityManager, login: string): Promise<string> {
  if (!login.includes('@')) return `name:${login.toLowerCase()}`;
  const user = await findUserByLogin(em, login);
  return user ? `name:${user.username.toLowerCase()}` : `email:${login.toLowerCase()}`;
}
