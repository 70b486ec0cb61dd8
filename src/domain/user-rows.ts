import { toDate } from '../db/rows.ts';

/** A user as lists of posts and messages read them: every field the API shows of a user. */
export interface UserRecord {
  id: number;
  username: string;
  email: string;
  passwordHash: string | null;
  aboutMe: string | null;
  firstSeen: Date | null;
  lastSeen: Date | null;
}

const COLUMNS = ['id', 'username', 'email', 'password_hash', 'about_me', 'first_seen', 'last_seen'];

/** The select list of a user's columns from `alias`, each named `<prefix><column>`. */
export const userColumns = (alias: string, prefix: string) =>
  COLUMNS.map((column) => `${alias}.${column} as ${prefix}${column}`).join(', ');

const optionalDate = (value: unknown) => (value == null ? null : toDate(value));

/** The user whose columns `userColumns(…, prefix)` selected into `row`. */
export function userFromRow(row: Record<string, unknown>, prefix: string): UserRecord {
  const column = (name: string) => row[`${prefix}${name}`];
  return {
    id: Number(column('id')),
    username: String(column('username')),
    email: String(column('email')),
    passwordHash: (column('password_hash') as string | null) ?? null,
    aboutMe: (column('about_me') as string | null) ?? null,
    firstSeen: optionalDate(column('first_seen')),
    lastSeen: optionalDate(column('last_seen')),
  };
}
