import { Revision } from './revision.ts';

/** users table */
export class Revision20261126205639 extends Revision {
  readonly message = 'users table';

  readonly sqlite = {
    up: [
      'create table `user` (`id` integer not null primary key autoincrement, `username` text not null, `email` text not null, `password_hash` text null);',
      'create unique index `ix_user_username` on `user` (`username`);',
      'create unique index `ix_user_email` on `user` (`email`);',
    ],
    down: ['pragma defer_foreign_keys = on;', 'drop table if exists `user`;'],
  };

  readonly postgresql = {
    up: [
      'create table "user" ("id" serial primary key, "username" varchar(64) not null, "email" varchar(120) not null, "password_hash" varchar(256) null);',
      'alter table "user" add constraint "ix_user_username" unique ("username");',
      'alter table "user" add constraint "ix_user_email" unique ("email");',
    ],
    down: ['drop table if exists "user" cascade;'],
  };

  readonly mysql = {
    up: [
      'create table `user` (`id` int unsigned not null auto_increment primary key, `username` varchar(64) not null, `email` varchar(120) not null, `password_hash` varchar(256) null) default character set utf8mb4 engine = InnoDB;',
      'alter table `user` add unique `ix_user_username` (`username`);',
      'alter table `user` add unique `ix_user_email` (`email`);',
    ],
    down: ['drop table if exists `user`;'],
  };
}
