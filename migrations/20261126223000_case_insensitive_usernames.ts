import { Revision } from './revision.ts';

/**
 * case-insensitive usernames (hand-written: the models cannot express an index on
 * lower(username)). Registration already refuses "Mary" beside "mary"; this index makes
 * two such registrations at the same moment fail too. MariaDB needs none: its default
 * collation already compares usernames without case.
 */
export class Revision20261126223000 extends Revision {
  readonly message = 'case-insensitive usernames';

  readonly sqlite = {
    up: ['create unique index `ix_user_username_lower` on `user` (lower(`username`));'],
    down: ['drop index `ix_user_username_lower`;'],
  };

  readonly postgresql = {
    up: ['create unique index "ix_user_username_lower" on "user" (lower("username"));'],
    down: ['drop index "ix_user_username_lower";'],
  };

  readonly mysql = {
    up: [],
    down: [],
  };
}
