import { Revision } from './revision.ts';

/** followers */
export class Revision20261126210615 extends Revision {
  readonly message = 'followers';

  readonly sqlite = {
    up: [
      'create table `followers` (`follower_id` integer not null, `followed_id` integer not null, primary key (`follower_id`, `followed_id`), constraint `followers_follower_id_foreign` foreign key (`follower_id`) references `user` (`id`) on update cascade on delete cascade, constraint `followers_followed_id_foreign` foreign key (`followed_id`) references `user` (`id`) on update cascade on delete cascade);',
      'create index `ix_followers_follower_id` on `followers` (`follower_id`);',
      'create index `ix_followers_followed_id` on `followers` (`followed_id`);',
    ],
    down: [
      'pragma defer_foreign_keys = on;',
      'drop table if exists `followers`;',
    ],
  };

  readonly postgresql = {
    up: [
      'create table "followers" ("follower_id" int not null, "followed_id" int not null, primary key ("follower_id", "followed_id"));',
      'create index "ix_followers_followed_id" on "followers" ("followed_id");',
      'alter table "followers" add constraint "followers_follower_id_foreign" foreign key ("follower_id") references "user" ("id") on update cascade on delete cascade;',
      'alter table "followers" add constraint "followers_followed_id_foreign" foreign key ("followed_id") references "user" ("id") on update cascade on delete cascade;',
    ],
    down: [
      'drop table if exists "followers" cascade;',
    ],
  };

  readonly mysql = {
    up: [
      'create table `followers` (`follower_id` int unsigned not null, `followed_id` int unsigned not null, primary key (`follower_id`, `followed_id`)) default character set utf8mb4 engine = InnoDB;',
      'alter table `followers` add index `ix_followers_follower_id` (`follower_id`);',
      'alter table `followers` add index `ix_followers_followed_id` (`followed_id`);',
      'alter table `followers` add constraint `followers_follower_id_foreign` foreign key (`follower_id`) references `user` (`id`) on update cascade on delete cascade;',
      'alter table `followers` add constraint `followers_followed_id_foreign` foreign key (`followed_id`) references `user` (`id`) on update cascade on delete cascade;',
    ],
    down: [
      'drop table if exists `followers`;',
    ],
  };
}
