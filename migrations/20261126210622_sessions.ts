import { Revision } from './revision.ts';

/** sessions */
export class Revision20261126210622 extends Revision {
  readonly message = 'sessions';

  readonly sqlite = {
    up: [
      'create table `session` (`id` text not null primary key, `user_id` integer null, `data` text not null, `expires_at` datetime not null, constraint `session_user_id_foreign` foreign key (`user_id`) references `user` (`id`) on delete cascade);',
      'create index `ix_session_user_id` on `session` (`user_id`);',
      'create index `ix_session_expires_at` on `session` (`expires_at`);',
    ],
    down: [
      'pragma defer_foreign_keys = on;',
      'drop table if exists `session`;',
    ],
  };

  readonly postgresql = {
    up: [
      'create table "session" ("id" varchar(64) not null, "user_id" int null, "data" text not null, "expires_at" timestamptz(3) not null, primary key ("id"));',
      'create index "ix_session_user_id" on "session" ("user_id");',
      'create index "ix_session_expires_at" on "session" ("expires_at");',
      'alter table "session" add constraint "session_user_id_foreign" foreign key ("user_id") references "user" ("id") on delete cascade;',
    ],
    down: [
      'drop table if exists "session" cascade;',
    ],
  };

  readonly mysql = {
    up: [
      'create table `session` (`id` varchar(64) not null, `user_id` int unsigned null, `data` text not null, `expires_at` datetime(3) not null, primary key (`id`)) default character set utf8mb4 engine = InnoDB;',
      'alter table `session` add index `ix_session_user_id` (`user_id`);',
      'alter table `session` add index `ix_session_expires_at` (`expires_at`);',
      'alter table `session` add constraint `session_user_id_foreign` foreign key (`user_id`) references `user` (`id`) on delete cascade;',
    ],
    down: [
      'drop table if exists `session`;',
    ],
  };
}
