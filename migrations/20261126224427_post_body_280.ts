import { MigrationError } from '../src/errors.ts';
import { Revision } from './revision.ts';

/**
 * post body 280 (generated, then given a downgrade check by hand): narrowing back to
 * 140 would truncate longer posts on PostgreSQL and fail half-way on MariaDB, so the
 * downgrade refuses while any post is longer.
 */
export class Revision20261126224427 extends Revision {
  readonly message = 'post body 280';

  override async checkDowngrade(): Promise<void> {
    const length = this.dialect === 'sqlite' ? 'length' : 'char_length';
    const [row] = await this.execute(`select count(*) as n from post where ${length}(body) > 140`);
    if (Number(row?.n) > 0) {
      throw new MigrationError(
        `Cannot downgrade 'post body 280': ${row?.n} post(s) are longer than 140 characters`,
      );
    }
  }

  readonly sqlite = {
    up: [],
    down: [],
  };

  readonly postgresql = {
    up: [
      'alter table "post" alter column "body" type varchar(280) using ("body"::varchar(280));',
    ],
    down: [
      'alter table "post" alter column "body" type varchar(140) using ("body"::varchar(140));',
    ],
  };

  readonly mysql = {
    up: [
      'alter table `post` modify `body` varchar(280) not null;',
    ],
    down: [
      'alter table `post` modify `body` varchar(140) not null;',
    ],
  };
}
