import { Revision } from './revision.ts';

/** post author timestamp index */
export class Revision20261126210618 extends Revision {
  readonly message = 'post author timestamp index';

  readonly sqlite = {
    up: [
      'create index `ix_post_user_id_timestamp` on `post` (`user_id`, `timestamp`);',
    ],
    down: [
      'drop index `ix_post_user_id_timestamp`;',
    ],
  };

  readonly postgresql = {
    up: [
      'drop index "ix_post_user_id";',
      'create index "ix_post_user_id_timestamp" on "post" ("user_id", "timestamp");',
    ],
    down: [
      'drop index "ix_post_user_id_timestamp";',
      'create index "ix_post_user_id" on "post" ("user_id");',
    ],
  };

  readonly mysql = {
    up: [
      'alter table `post` add index `ix_post_user_id_timestamp` (`user_id`, `timestamp`);',
    ],
    down: [
      'alter table `post` drop index `ix_post_user_id_timestamp`;',
    ],
  };
}
