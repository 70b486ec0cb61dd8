import { Revision } from './revision.ts';

/** new fields in user model */
export class Revision20261126210612 extends Revision {
  readonly message = 'new fields in user model';

  readonly sqlite = {
    up: [
      'alter table `user` add column `about_me` text null;',
      'alter table `user` add column `last_seen` datetime null;',
    ],
    down: [
      'alter table `user` drop column `about_me`;',
      'alter table `user` drop column `last_seen`;',
    ],
  };

  readonly postgresql = {
    up: [
      'alter table "user" add "about_me" varchar(140) null, add "last_seen" timestamptz(3) null;',
    ],
    down: [
      'alter table "user" drop column "about_me", drop column "last_seen";',
    ],
  };

  readonly mysql = {
    up: [
      'alter table `user` add `about_me` varchar(140) null, add `last_seen` datetime(3) null;',
    ],
    down: [
      'alter table `user` drop column `about_me`, drop column `last_seen`;',
    ],
  };
}
