import { Revision } from './revision.ts';

/** private messages, notifications, tasks and jobs */
export class Revision20261130064148 extends Revision {
  readonly message = 'private messages, notifications, tasks and jobs';

  readonly sqlite = {
    up: [
      'create table `job` (`id` integer not null primary key autoincrement, `name` text not null, `payload` text not null, `status` text not null, `attempts` integer not null, `max_attempts` integer not null, `run_at` datetime not null, `locked_until` datetime null, `locked_by` text null, `last_error` text null, `created_at` datetime not null, `finished_at` datetime null);',
      'create index `ix_job_status_run_at` on `job` (`status`, `run_at`);',
      'create table `task` (`id` text not null primary key, `name` text not null, `description` text null, `user_id` integer not null, `complete` integer not null default false, constraint `task_user_id_foreign` foreign key (`user_id`) references `user` (`id`) on delete cascade);',
      'create index `ix_task_name` on `task` (`name`);',
      'create index `ix_task_user_id` on `task` (`user_id`);',
      'create index `ix_task_user_id_complete` on `task` (`user_id`, `complete`);',
      'create table `notification` (`id` integer not null primary key autoincrement, `name` text not null, `user_id` integer not null, `timestamp` double not null, `payload_json` text not null, constraint `notification_user_id_foreign` foreign key (`user_id`) references `user` (`id`) on delete cascade);',
      'create index `ix_notification_user_id` on `notification` (`user_id`);',
      'create unique index `ix_notification_user_id_name` on `notification` (`user_id`, `name`);',
      'create table `message` (`id` integer not null primary key autoincrement, `sender_id` integer not null, `recipient_id` integer not null, `body` text not null, `timestamp` datetime not null, constraint `message_sender_id_foreign` foreign key (`sender_id`) references `user` (`id`) on delete cascade, constraint `message_recipient_id_foreign` foreign key (`recipient_id`) references `user` (`id`) on delete cascade);',
      'create index `ix_message_sender_id` on `message` (`sender_id`);',
      'create index `ix_message_recipient_id` on `message` (`recipient_id`);',
      'create index `ix_message_recipient_id_timestamp` on `message` (`recipient_id`, `timestamp`);',
      'create index `ix_message_sender_id_timestamp` on `message` (`sender_id`, `timestamp`);',
      'alter table `user` add column `last_message_read_time` datetime null;',
    ],
    down: [
      'pragma defer_foreign_keys = on;',
      'drop table if exists `job`;',
      'drop table if exists `task`;',
      'drop table if exists `notification`;',
      'drop table if exists `message`;',
      'alter table `user` drop column `last_message_read_time`;',
    ],
  };

  readonly postgresql = {
    up: [
      'create table "job" ("id" serial primary key, "name" varchar(64) not null, "payload" text not null, "status" varchar(16) not null, "attempts" int not null, "max_attempts" int not null, "run_at" timestamptz(3) not null, "locked_until" timestamptz(3) null, "locked_by" varchar(64) null, "last_error" text null, "created_at" timestamptz(3) not null, "finished_at" timestamptz(3) null);',
      'create index "ix_job_status_run_at" on "job" ("status", "run_at");',
      'create table "task" ("id" varchar(36) not null, "name" varchar(128) not null, "description" varchar(128) null, "user_id" int not null, "complete" boolean not null default false, primary key ("id"));',
      'create index "ix_task_name" on "task" ("name");',
      'create index "ix_task_user_id_complete" on "task" ("user_id", "complete");',
      'create table "notification" ("id" serial primary key, "name" varchar(128) not null, "user_id" int not null, "timestamp" double precision not null, "payload_json" text not null);',
      'alter table "notification" add constraint "ix_notification_user_id_name" unique ("user_id", "name");',
      'create table "message" ("id" serial primary key, "sender_id" int not null, "recipient_id" int not null, "body" varchar(140) not null, "timestamp" timestamptz(3) not null);',
      'create index "ix_message_recipient_id_timestamp" on "message" ("recipient_id", "timestamp");',
      'create index "ix_message_sender_id_timestamp" on "message" ("sender_id", "timestamp");',
      'alter table "user" add "last_message_read_time" timestamptz(3) null;',
      'alter table "task" add constraint "task_user_id_foreign" foreign key ("user_id") references "user" ("id") on delete cascade;',
      'alter table "notification" add constraint "notification_user_id_foreign" foreign key ("user_id") references "user" ("id") on delete cascade;',
      'alter table "message" add constraint "message_sender_id_foreign" foreign key ("sender_id") references "user" ("id") on delete cascade;',
      'alter table "message" add constraint "message_recipient_id_foreign" foreign key ("recipient_id") references "user" ("id") on delete cascade;',
    ],
    down: [
      'drop table if exists "job" cascade;',
      'drop table if exists "task" cascade;',
      'drop table if exists "notification" cascade;',
      'drop table if exists "message" cascade;',
      'alter table "user" drop column "last_message_read_time";',
    ],
  };

  readonly mysql = {
    up: [
      'create table `job` (`id` int unsigned not null auto_increment primary key, `name` varchar(64) not null, `payload` text not null, `status` varchar(16) not null, `attempts` int not null, `max_attempts` int not null, `run_at` datetime(3) not null, `locked_until` datetime(3) null, `locked_by` varchar(64) null, `last_error` text null, `created_at` datetime(3) not null, `finished_at` datetime(3) null) default character set utf8mb4 engine = InnoDB;',
      'alter table `job` add index `ix_job_status_run_at` (`status`, `run_at`);',
      'create table `task` (`id` varchar(36) not null, `name` varchar(128) not null, `description` varchar(128) null, `user_id` int unsigned not null, `complete` tinyint(1) not null default false, primary key (`id`)) default character set utf8mb4 engine = InnoDB;',
      'alter table `task` add index `ix_task_name` (`name`);',
      'alter table `task` add index `ix_task_user_id` (`user_id`);',
      'alter table `task` add index `ix_task_user_id_complete` (`user_id`, `complete`);',
      'create table `notification` (`id` int unsigned not null auto_increment primary key, `name` varchar(128) not null, `user_id` int unsigned not null, `timestamp` double not null, `payload_json` text not null) default character set utf8mb4 engine = InnoDB;',
      'alter table `notification` add index `ix_notification_user_id` (`user_id`);',
      'alter table `notification` add unique `ix_notification_user_id_name` (`user_id`, `name`);',
      'create table `message` (`id` int unsigned not null auto_increment primary key, `sender_id` int unsigned not null, `recipient_id` int unsigned not null, `body` varchar(140) not null, `timestamp` datetime(3) not null) default character set utf8mb4 engine = InnoDB;',
      'alter table `message` add index `ix_message_sender_id` (`sender_id`);',
      'alter table `message` add index `ix_message_recipient_id` (`recipient_id`);',
      'alter table `message` add index `ix_message_recipient_id_timestamp` (`recipient_id`, `timestamp`);',
      'alter table `message` add index `ix_message_sender_id_timestamp` (`sender_id`, `timestamp`);',
      'alter table `user` add `last_message_read_time` datetime(3) null;',
      'alter table `task` add constraint `task_user_id_foreign` foreign key (`user_id`) references `user` (`id`) on delete cascade;',
      'alter table `notification` add constraint `notification_user_id_foreign` foreign key (`user_id`) references `user` (`id`) on delete cascade;',
      'alter table `message` add constraint `message_sender_id_foreign` foreign key (`sender_id`) references `user` (`id`) on delete cascade;',
      'alter table `message` add constraint `message_recipient_id_foreign` foreign key (`recipient_id`) references `user` (`id`) on delete cascade;',
    ],
    down: [
      'drop table if exists `job`;',
      'drop table if exists `task`;',
      'drop table if exists `notification`;',
      'drop table if exists `message`;',
      'alter table `user` drop column `last_message_read_time`;',
    ],
  };
}
