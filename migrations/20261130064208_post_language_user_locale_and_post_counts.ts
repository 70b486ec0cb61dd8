import { Revision } from './revision.ts';

/**
 * post language, user locale and post counts (generated, then given by hand the statement
 * that counts the posts users already have).
 */
export class Revision20261130064208 extends Revision {
  readonly message = 'post language, user locale and post counts';

  readonly sqlite = {
    up: [
      'alter table `user` add column `locale` text null;',
      'alter table `user` add column `post_count` integer not null default 0;',
      'alter table `post` add column `language` text null;',
      'update `user` set `post_count` = (select count(*) from `post` where `post`.`user_id` = `user`.`id`);',
    ],
    down: [
      'alter table `post` drop column `language`;',
      'alter table `user` drop column `locale`;',
      'alter table `user` drop column `post_count`;',
    ],
  };

  readonly postgresql = {
    up: [
      'alter table "user" add "locale" varchar(5) null, add "post_count" int not null default 0;',
      'alter table "post" add "language" varchar(5) null;',
      'update "user" set "post_count" = (select count(*) from "post" where "post"."user_id" = "user"."id");',
    ],
    down: [
      'alter table "post" drop column "language";',
      'alter table "user" drop column "locale", drop column "post_count";',
    ],
  };

  readonly mysql = {
    up: [
      'alter table `user` add `locale` varchar(5) null, add `post_count` int not null default 0;',
      'alter table `post` add `language` varchar(5) null;',
      'update `user` set `post_count` = (select count(*) from `post` where `post`.`user_id` = `user`.`id`);',
    ],
    down: [
      'alter table `post` drop column `language`;',
      'alter table `user` drop column `locale`, drop column `post_count`;',
    ],
  };
}
