import { Revision } from './revision.ts';

/** post index in feed order */
export class Revision20261130092134 extends Revision {
  readonly message = 'post index in feed order';

  readonly sqlite = {
    up: [
      'drop index `ix_post_user_id_timestamp`;',
      'create index `ix_post_user_id_timestamp_id` on `post` (`user_id`, `timestamp`, `id`);',
    ],
    down: [
      'drop index `ix_post_user_id_timestamp_id`;',
      'create index `ix_post_user_id_timestamp` on `post` (`user_id`, `timestamp`);',
    ],
  };

  readonly postgresql = {
    up: [
      'drop index "ix_post_user_id_timestamp";',
      'create index "ix_post_user_id_timestamp_id" on "post" ("user_id", "timestamp", "id");',
    ],
    down: [
      'drop index "ix_post_user_id_timestamp_id";',
      'create index "ix_post_user_id_timestamp" on "post" ("user_id", "timestamp");',
    ],
  };

  readonly mysql = {
    up: [
      'alter table `post` drop index `ix_post_user_id_timestamp`;',
      'alter table `post` add index `ix_post_user_id_timestamp_id` (`user_id`, `timestamp`, `id`);',
    ],
    down: [
      'alter table `post` drop index `ix_post_user_id_timestamp_id`;',
      'alter table `post` add index `ix_post_user_id_timestamp` (`user_id`, `timestamp`);',
    ],
  };
}
