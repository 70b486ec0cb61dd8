import { Revision } from './revision.ts';

/** api tokens */
export class Revision20261126224444 extends Revision {
  readonly message = 'api tokens';

  readonly sqlite = {
    up: [
      'create table `token` (`id` integer not null primary key autoincrement, `access_token_hash` text not null, `access_expiration` datetime not null, `refresh_token_hash` text not null, `refresh_expiration` datetime not null, `user_id` integer not null, constraint `token_user_id_foreign` foreign key (`user_id`) references `user` (`id`) on delete cascade);',
      'create unique index `ix_token_access_token_hash` on `token` (`access_token_hash`);',
      'create unique index `ix_token_refresh_token_hash` on `token` (`refresh_token_hash`);',
      'create index `ix_token_refresh_expiration` on `token` (`refresh_expiration`);',
      'create index `ix_token_user_id` on `token` (`user_id`);',
    ],
    down: [
      'pragma defer_foreign_keys = on;',
      'drop table if exists `token`;',
    ],
  };

  readonly postgresql = {
    up: [
      'create table "token" ("id" serial primary key, "access_token_hash" varchar(64) not null, "access_expiration" timestamptz(3) not null, "refresh_token_hash" varchar(64) not null, "refresh_expiration" timestamptz(3) not null, "user_id" int not null);',
      'alter table "token" add constraint "ix_token_access_token_hash" unique ("access_token_hash");',
      'alter table "token" add constraint "ix_token_refresh_token_hash" unique ("refresh_token_hash");',
      'create index "ix_token_refresh_expiration" on "token" ("refresh_expiration");',
      'create index "ix_token_user_id" on "token" ("user_id");',
      'alter table "token" add constraint "token_user_id_foreign" foreign key ("user_id") references "user" ("id") on delete cascade;',
    ],
    down: [
      'drop table if exists "token" cascade;',
    ],
  };

  readonly mysql = {
    up: [
      'create table `token` (`id` int unsigned not null auto_increment primary key, `access_token_hash` varchar(64) not null, `access_expiration` datetime(3) not null, `refresh_token_hash` varchar(64) not null, `refresh_expiration` datetime(3) not null, `user_id` int unsigned not null) default character set utf8mb4 engine = InnoDB;',
      'alter table `token` add unique `ix_token_access_token_hash` (`access_token_hash`);',
      'alter table `token` add unique `ix_token_refresh_token_hash` (`refresh_token_hash`);',
      'alter table `token` add index `ix_token_refresh_expiration` (`refresh_expiration`);',
      'alter table `token` add index `ix_token_user_id` (`user_id`);',
      'alter table `token` add constraint `token_user_id_foreign` foreign key (`user_id`) references `user` (`id`) on delete cascade;',
    ],
    down: [
      'drop table if exists `token`;',
    ],
  };
}
