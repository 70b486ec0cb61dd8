import { UniqueConstraintViolationException } from '@mikro-orm/core';
import { DomainError } from '../errors.ts';
import { msg } from '../i18n/marker.ts';

// SQLite names the column (`user.username`); PostgreSQL and MariaDB name the index.
const UNIQUE_FIELDS: Record<string, { field: string; message: string }> = {
  'user.username': { field: 'username', message: msg('username already taken') },
  ix_user_username: { field: 'username', message: msg('username already taken') },
  ix_user_username_lower: { field: 'username', message: msg('username already taken') },
  'user.email': { field: 'email', message: msg('email already registered') },
  ix_user_email: { field: 'email', message: msg('email already registered') },
};

/** Turns a unique-constraint violation from any driver into a DomainError naming the field. */
export function explainConstraintError(error: unknown): unknown {
  if (!(error instanceof UniqueConstraintViolationException)) return error;
  const key = Object.keys(UNIQUE_FIELDS).find((name) =>
    new RegExp(`\\b${name.replace('.', '\\.')}\\b`).test(error.message),
  );
  if (!key) return new DomainError(msg('a record with that value already exists'));
  const { field, message } = UNIQUE_FIELDS[key];
  return new DomainError(message, field);
}
