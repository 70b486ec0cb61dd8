import { Revision } from './revision.ts';

/**
 * backfill seen times (hand-written: data only). Rows older than the `first_seen` and
 * `last_seen` columns have NULL there, and API clients cannot show a null date. Each
 * missing one takes the other, else the time of the upgrade. Downgrading keeps the
 * values: they are true enough, and which ones were filled in is not recorded.
 */
export class Revision20261127001500 extends Revision {
  readonly message = 'backfill seen times';

  readonly sqlite = {
    // SQLite columns hold milliseconds since the epoch, as the driver writes them.
    up: backfill('`', "cast((julianday('now') - 2440587.5) * 86400000 as integer)"),
    down: [],
  };

  readonly postgresql = {
    up: backfill('"', 'current_timestamp(3)'),
    down: [],
  };

  readonly mysql = {
    up: backfill('`', 'utc_timestamp(3)'),
    down: [],
  };
}

function backfill(quote: string, now: string): string[] {
  const [user, first, last] = ['user', 'first_seen', 'last_seen'].map((n) => quote + n + quote);
  return [
    `update ${user} set ${first} = coalesce(${last}, ${now}) where ${first} is null;`,
    `update ${user} set ${last} = ${first} where ${last} is null;`,
  ];
}
