import { Revision } from './revision.ts';

/** user admin role and disabled time */
export class Revision20261130090501 extends Revision {
  readonly message = 'user admin role and disabled time';

  readonly sqlite = {
    up: [
      'alter table `user` add column `is_admin` integer not null default false;',
      'alter table `user` add column `disabled_at` datetime null;',
    ],
    down: [
      'alter table `user` drop column `is_admin`;',
      'alter table `user` drop column `disabled_at`;',
    ],
  };

  readonly postgresql = {
    up: [
      'alter table "user" add "is_admin" boolean not null default false, add "disabled_at" timestamptz(3) null;',
    ],
    down: [
      'alter table "user" drop column "is_admin", drop column "disabled_at";',
    ],
  };

  readonly mysql = {
    up: [
      'alter table `user` add `is_admin` tinyint(1) not null default false, add `disabled_at` datetime(3) null;',
    ],
    down: [
      'alter table `user` drop column `is_admin`, drop column `disabled_at`;',
    ],
  };
}
