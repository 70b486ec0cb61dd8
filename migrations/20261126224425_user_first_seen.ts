import { Revision } from './revision.ts';

/** user first seen */
export class Revision20261126224425 extends Revision {
  readonly message = 'user first seen';

  readonly sqlite = {
    up: [
      'alter table `user` add column `first_seen` datetime null;',
    ],
    down: [
      'alter table `user` drop column `first_seen`;',
    ],
  };

  readonly postgresql = {
    up: [
      'alter table "user" add "first_seen" timestamptz(3) null;',
    ],
    down: [
      'alter table "user" drop column "first_seen";',
    ],
  };

  readonly mysql = {
    up: [
      'alter table `user` add `first_seen` datetime(3) null;',
    ],
    down: [
      'alter table `user` drop column `first_seen`;',
    ],
  };
}
