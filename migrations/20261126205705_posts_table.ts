import { Revision } from './revision.ts';

/** posts table */
export class Revision20261126205705 extends Revision {
  readonly message = 'posts table';

  readonly sqlite = {
    up: [
      'create table `post` (`id` integer not null primary key autoincrement, `body` text not null, `timestamp` datetime not null, `user_id` integer not null, constraint `post_user_id_foreign` foreign key (`user_id`) references `user` (`id`));',
      'create index `ix_post_timestamp` on `post` (`timestamp`);',
      'create index `ix_post_user_id` on `post` (`user_id`);',
    ],
    down: [
      'pragma defer_foreign_keys = on;',
      'drop table if exists `post`;',
    ],
  };

  readonly postgresql = {
    up: [
      'create table "post" ("id" serial primary key, "body" varchar(140) not null, "timestamp" timestamptz(3) not null, "user_id" int not null);',
      'create index "ix_post_timestamp" on "post" ("timestamp");',
      'create index "ix_post_user_id" on "post" ("user_id");',
      'alter table "post" add constraint "post_user_id_foreign" foreign key ("user_id") references "user" ("id");',
    ],
    down: [
      'drop table if exists "post" cascade;',
    ],
  };

  readonly mysql = {
    up: [
      'create table `post` (`id` int unsigned not null auto_increment primary key, `body` varchar(140) not null, `timestamp` datetime(3) not null, `user_id` int unsigned not null) default character set utf8mb4 engine = InnoDB;',
      'alter table `post` add index `ix_post_timestamp` (`timestamp`);',
      'alter table `post` add index `ix_post_user_id` (`user_id`);',
      'alter table `post` add constraint `post_user_id_foreign` foreign key (`user_id`) references `user` (`id`);',
    ],
    down: [
      'drop table if exists `post`;',
    ],
  };
}
