import type { SqlEntityManager } from '@mikro-orm/sql';
import type { Command } from 'commander';
import type { User } from '../db/entities/index.ts';
import type { AccountRow } from '../domain/user-admin.ts';
import { DomainError } from '../errors.ts';
import { parseWhole } from './arguments.ts';
import { openDatabase } from './database.ts';
import { askNewPassword, confirm, readFirstLine } from './prompt.ts';

/** The domain's functions, loaded on demand so `--help` stays fast. */
const admin = () => import('../domain/user-admin.ts');

/**
 * Runs `work` on the configured database. A rule the input broke names its field first
 * ("password: Use 8 to 256 characters."), since a command has no form to show it beside.
 */
async function withDatabase<T>(work: (em: SqlEntityManager) => Promise<T>): Promise<T> {
  const { orm } = await openDatabase();
  try {
    return await work(orm.em.fork() as SqlEntityManager);
  } catch (error) {
    if (error instanceof DomainError && error.field && error.field !== 'user') {
      throw new DomainError(`${error.field}: ${error.message}`);
    }
    throw error;
  } finally {
    await orm.close();
  }
}

/** Runs `work` on the account a username or email names. */
const onAccount = <T>(login: string, work: (em: SqlEntityManager, user: User) => Promise<T>) =>
  withDatabase(async (em) => work(em, await (await admin()).accountNamed(em, login)));

/**
 * A new password: the first line of stdin when asked to or when stdin is no terminal (a
 * script's pipe), else typed twice without echo. Never an argument, which `ps` would show.
 */
function newPassword(options: { passwordStdin?: boolean }): Promise<string> {
  return options.passwordStdin || !process.stdin.isTTY ? readFirstLine() : askNewPassword();
}

const time = (date: Date | null) => (date ? date.toISOString().slice(0, 16).replace('T', ' ') : '');

/** The accounts as a table with a header, one line each. */
function table(rows: AccountRow[]): string {
  const lines = [
    ['ID', 'USERNAME', 'EMAIL', 'ROLE', 'STATUS', 'POSTS', 'LAST SEEN (UTC)'],
    ...rows.map((row) => [
      String(row.id),
      row.username,
      row.email,
      row.admin ? 'admin' : 'user',
      row.disabledAt ? 'disabled' : 'active',
      String(row.posts),
      time(row.lastSeen),
    ]),
  ];
  const widths = lines[0].map((_, column) => Math.max(...lines.map((line) => line[column].length)));
  return lines
    .map((line) =>
      line
        .map((cell, column) => cell.padEnd(widths[column]))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

const accountJson = (user: User) => ({
  id: user.id,
  username: user.username,
  email: user.email,
  admin: user.isAdmin,
  disabled_at: user.disabledAt?.toISOString() ?? null,
});

export function registerUserCommands(program: Command): void {
  const users = program
    .command('users')
    .description('manage accounts: list, create, set passwords, disable, delete, promote');
  const who = ['<user>', 'the account, by username or email'] as const;

  users
    .command('list')
    .description('list accounts by username, with their role and status')
    .option('--search <text>', 'only those whose username or email contains this (any case)')
    .option('--limit <n>', 'at most this many (1 to 10,000)', '50')
    .option('--offset <n>', 'skip this many first', '0')
    .option('--json', 'print the accounts as JSON')
    .action(async (options: { search?: string; limit: string; offset: string; json?: boolean }) => {
      const limit = parseWhole(options.limit, '--limit', 1, 10_000);
      const offset = parseWhole(options.offset, '--offset', 0, 2_147_483_647);
      const { searchAccounts } = await admin();
      const search = options.search?.trim() || undefined;
      const { total, items } = await withDatabase((em) =>
        searchAccounts(em, { search, limit, offset }),
      );
      if (options.json) {
        const json = items.map(({ disabledAt, lastSeen, ...row }) => ({
          ...row,
          disabled_at: disabledAt?.toISOString() ?? null,
          last_seen: lastSeen?.toISOString() ?? null,
        }));
        return console.log(JSON.stringify({ total, offset, limit, users: json }, null, 2));
      }
      if (items.length === 0)
        return console.log(total === 0 ? 'No users.' : `No users past ${offset}.`);
      console.log(table(items));
      console.log(`\n${offset + 1} to ${offset + items.length} of ${total}`);
    });

  users
    .command('create')
    .description('create an account; the password is typed twice, or read from stdin')
    .argument('<username>')
    .argument('<email>')
    .option('--admin', 'make it an admin')
    .option('--password-stdin', 'read the password from the first line of stdin')
    .option('--json', 'print the new account as JSON')
    .action(
      async (
        username: string,
        email: string,
        options: { admin?: boolean; passwordStdin?: boolean; json?: boolean },
      ) => {
        const password = await newPassword(options);
        const { createAccount } = await admin();
        const user = await withDatabase((em) =>
          createAccount(em, { username, email, password, admin: options.admin }),
        );
        if (options.json) return console.log(JSON.stringify(accountJson(user), null, 2));
        console.log(`Created ${user.isAdmin ? 'admin ' : ''}${user.username} (id ${user.id}).`);
      },
    );

  users
    .command('set-password')
    .description("set an account's password; its web sessions and API tokens end")
    .argument(...who)
    .option('--password-stdin', 'read the password from the first line of stdin')
    .action(async (login: string, options: { passwordStdin?: boolean }) => {
      const password = await newPassword(options);
      const { changePassword } = await admin();
      const user = await onAccount(login, async (em, user) => {
        await changePassword(em, user, password);
        return user;
      });
      console.log(`Changed the password of ${user.username}; their sessions and tokens ended.`);
    });

  users
    .command('disable')
    .description('stop an account from logging in; its web sessions and API tokens end now')
    .argument(...who)
    .action(async (login: string) => {
      const { disableAccount } = await admin();
      const [user, outcome] = await onAccount(login, async (em, user) => [
        user,
        await disableAccount(em, user),
      ]);
      console.log(
        outcome === 'already'
          ? `${user.username} was already disabled.`
          : `Disabled ${user.username}; their sessions and tokens ended.`,
      );
    });

  users
    .command('enable')
    .description('let a disabled account log in again')
    .argument(...who)
    .action(async (login: string) => {
      const { enableAccount } = await admin();
      const [user, outcome] = await onAccount(login, async (em, user) => [
        user,
        await enableAccount(em, user),
      ]);
      console.log(
        outcome === 'already' ? `${user.username} was not disabled.` : `Enabled ${user.username}.`,
      );
    });

  for (const [name, isAdmin] of [
    ['promote', true],
    ['demote', false],
  ] as const) {
    users
      .command(name)
      .description(isAdmin ? 'make an account an admin' : 'make an admin an ordinary user again')
      .argument(...who)
      .action(async (login: string) => {
        const { setAdmin } = await admin();
        const [user, outcome] = await onAccount(login, async (em, user) => [
          user,
          await setAdmin(em, user, isAdmin),
        ]);
        const role = isAdmin ? 'an admin' : 'an ordinary user';
        console.log(
          `${user.username} ${outcome === 'already' ? 'was already' : 'is now'} ${role}.`,
        );
      });
  }

  users
    .command('delete')
    .description('delete an account with its posts, messages, follows, notifications and tasks')
    .argument(...who)
    .option('--yes', 'do not ask for confirmation (needed when stdin is not a terminal)')
    .option('--json', 'print what was deleted as JSON')
    .action(async (login: string, options: { yes?: boolean; json?: boolean }) => {
      const { deleteAccount } = await admin();
      const { username, deleted } = await onAccount(login, async (em, user) => {
        if (!options.yes) await confirmDeletion(user);
        return { username: user.username, deleted: await deleteAccount(em, user) };
      });
      if (options.json) return console.log(JSON.stringify({ username, ...deleted }, null, 2));
      const { posts, messages, follows } = deleted;
      const count = (n: number, what: string) => `${n} ${what}${n === 1 ? '' : 's'}`;
      console.log(
        `Deleted ${username}, with ${count(posts, 'post')}, ${count(messages, 'message')} and ${count(follows, 'follow')}.`,
      );
    });
}

/** Asks at a terminal; a script must say --yes, since nobody is there to answer. */
async function confirmDeletion(user: User): Promise<void> {
  if (!process.stdin.isTTY) {
    throw new DomainError(`Not deleting ${user.username}: confirm with --yes`);
  }
  const question = `Delete ${user.username} (${user.email}) and everything of theirs? This cannot be undone.`;
  if (!(await confirm(question))) throw new DomainError(`Not deleting ${user.username}`);
}
