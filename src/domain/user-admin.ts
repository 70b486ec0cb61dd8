import type { SqlEntityManager } from '@mikro-orm/sql';
import {
  Follow,
  Message,
  Notification,
  Post,
  Session,
  Task,
  Token,
  User,
} from '../db/entities/index.ts';
import { quoter, selectRows, toDate } from '../db/rows.ts';
import { inTransaction } from '../db/transaction.ts';
import { DomainError } from '../errors.ts';
import { msg } from '../i18n/marker.ts';
import { checkedPassword, findUserByLogin, registerUser, setPassword } from './accounts.ts';
import { unreadCount } from './messages.ts';
import { setNotification } from './notifications.ts';
import { assertRule, NEW_PASSWORD } from './rules.ts';

/**
 * What an operator does to accounts: from `microblog users` and, for disabling and
 * enabling, from an admin's buttons on a profile. docs/decisions/0027-user-administration.md
 */

/** The account a username or an email names, or a DomainError saying there is none. */
export async function accountNamed(em: SqlEntityManager, login: string): Promise<User> {
  const user = await findUserByLogin(em, login);
  if (!user)
    throw new DomainError(msg('There is no user called {username}.'), 'user', { username: login });
  return user;
}

/** A password an operator sets: the rule of the registration form, as a DomainError. */
function checkedNewPassword(password: string): string {
  checkedPassword(password, 'password');
  return assertRule(NEW_PASSWORD, password, 'password');
}

export interface NewAccount {
  username: string;
  email: string;
  password: string;
  admin?: boolean;
}

/** Creates an account as registration does (same rules), an admin one if asked. */
export async function createAccount(em: SqlEntityManager, account: NewAccount): Promise<User> {
  checkedNewPassword(account.password);
  return inTransaction(em, async () => {
    const user = await registerUser(em, account);
    user.isAdmin = account.admin === true;
    await em.flush();
    return user;
  });
}

/** Sets a new password; every web session and API token of the account ends with the old one. */
export async function changePassword(em: SqlEntityManager, user: User, password: string) {
  await setPassword(em, user, checkedNewPassword(password));
}

/**
 * Disables an account: it can no longer log in, and its web sessions and API tokens end in
 * the same transaction. An admin cannot disable themself from the web (`actor`), which
 * would lock them out of the button that undoes it.
 */
export async function disableAccount(
  em: SqlEntityManager,
  user: User,
  actor?: User,
): Promise<'disabled' | 'already' | 'self'> {
  if (actor?.id === user.id) return 'self';
  if (user.disabledAt) return 'already';
  user.disabledAt = new Date();
  await inTransaction(em, async () => {
    await em.flush();
    await em.nativeDelete(Session, { user: user.id });
    await em.nativeDelete(Token, { user: user.id });
  });
  return 'disabled';
}

/** Lets a disabled account log in again (with a fresh login: its old sessions are gone). */
export async function enableAccount(
  em: SqlEntityManager,
  user: User,
): Promise<'enabled' | 'already'> {
  if (!user.disabledAt) return 'already';
  user.disabledAt = null;
  await em.flush();
  return 'enabled';
}

/** Makes an account an admin, or an ordinary user again. */
export async function setAdmin(
  em: SqlEntityManager,
  user: User,
  admin: boolean,
): Promise<'changed' | 'already'> {
  if (user.isAdmin === admin) return 'already';
  user.isAdmin = admin;
  await em.flush();
  return 'changed';
}

/** What deleting an account removed with it. */
export interface DeletedAccount {
  posts: number;
  messages: number;
  follows: number;
}

/**
 * Deletes an account with everything that is theirs, in one transaction: posts, messages
 * sent and received, follows both ways, notifications, tasks, sessions and tokens. Other
 * users' follower counts are counted from `followers`, so they stay right; the unread count
 * of whoever had unread messages from them is recomputed.
 */
export async function deleteAccount(em: SqlEntityManager, user: User): Promise<DeletedAccount> {
  const id = user.id;
  return inTransaction(em, async () => {
    const q = quoter(em);
    const sentTo = await selectRows<{ recipient_id: unknown }>(
      em,
      `select distinct recipient_id from ${q('message')} where sender_id = ? and recipient_id <> ?`,
      [id, id],
    );
    const recipients = await em.find(User, {
      id: { $in: sentTo.map((row) => Number(row.recipient_id)) },
    });
    const messages = await em.nativeDelete(Message, { $or: [{ sender: id }, { recipient: id }] });
    const follows = await em.nativeDelete(Follow, { $or: [{ follower: id }, { followed: id }] });
    const posts = await em.nativeDelete(Post, { author: id });
    await em.nativeDelete(Notification, { user: id });
    await em.nativeDelete(Task, { user: id });
    await em.nativeDelete(Session, { user: id });
    await em.nativeDelete(Token, { user: id });
    em.remove(user);
    await em.flush();
    for (const recipient of recipients) {
      await setNotification(
        em,
        recipient.id,
        'unread_message_count',
        await unreadCount(em, recipient),
      );
    }
    return { posts, messages, follows };
  });
}

/** One account as `users list` shows it. */
export interface AccountRow {
  id: number;
  username: string;
  email: string;
  admin: boolean;
  disabledAt: Date | null;
  posts: number;
  lastSeen: Date | null;
}

/** `!` escapes LIKE's wildcards the same way on every database (backslash does not). */
const likePattern = (text: string) => `%${text.toLowerCase().replace(/[!%_]/g, '!$&')}%`;

/**
 * A window of the accounts by username, those whose username or email contains `search`
 * (ignoring case) if given, with how many match in all.
 */
export async function searchAccounts(
  em: SqlEntityManager,
  { search, limit, offset }: { search?: string; limit: number; offset: number },
): Promise<{ total: number; items: AccountRow[] }> {
  const q = quoter(em);
  const where = search
    ? `where lower(${q('username')}) like ? escape '!' or ${q('email')} like ? escape '!'`
    : '';
  const params = search ? [likePattern(search), likePattern(search)] : [];
  const [{ total }] = await selectRows<{ total: unknown }>(
    em,
    `select count(*) as total from ${q('user')} ${where}`,
    params,
  );
  // Whole numbers checked by the caller, inlined: MariaDB refuses placeholders here.
  const window = `limit ${Math.trunc(limit)} offset ${Math.trunc(offset)}`;
  const rows = await selectRows<Record<string, unknown>>(
    em,
    `select id, username, email, is_admin, disabled_at, post_count, last_seen from ${q('user')} ${where} order by username ${window}`,
    params,
  );
  return {
    total: Number(total),
    items: rows.map((row) => ({
      id: Number(row.id),
      username: String(row.username),
      email: String(row.email),
      admin: Boolean(Number(row.is_admin)),
      disabledAt: row.disabled_at == null ? null : toDate(row.disabled_at),
      posts: Number(row.post_count),
      lastSeen: row.last_seen == null ? null : toDate(row.last_seen),
    })),
  };
}
