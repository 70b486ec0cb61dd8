import type { Dialect } from '../../config/load.ts';

/** Stored as naive UTC by SQLAlchemy: text on SQLite, `timestamp` on PostgreSQL, `datetime` on MariaDB. */
const DATETIME_COLUMNS = new Set([
  'user.last_seen',
  'user.last_message_read_time',
  'post.timestamp',
  'message.timestamp',
]);
/** Flask's API tokens are replaced by ours (decision 0014); their holders sign in again. */
const DROPPED_COLUMNS = new Set(['user.token', 'user.token_expiration']);
/** Tables whose ids come from a sequence that PostgreSQL must carry on from. */
const SERIAL_TABLES = ['user', 'post', 'message', 'notification'];

export interface CopySource {
  dialect: Dialect;
  quote: (name: string) => string;
  /** Where a Flask table is while ours are filled. */
  stashed: (table: string) => string;
}

/**
 * The statements that copy a Flask database's rows (its tables and columns in `schema`)
 * into ours, converting what differs, then fill the columns Flask never had.
 */
export function copyStatements(source: CopySource, schema: Map<string, string[]>): string[] {
  const { dialect, quote } = source;
  const statements: string[] = [];
  for (const [table, columns] of schema) {
    const kept = columns.filter((column) => !DROPPED_COLUMNS.has(`${table}.${column}`));
    const values = kept.map((column) => convert(source, table, column));
    statements.push(
      `insert into ${quote(table)} (${kept.map(quote).join(', ')}) select ${values.join(', ')} from ${source.stashed(table)}${copyFilter(source, table)}`,
    );
  }
  statements.push(...derivedUserColumns(source, schema));
  // Flask's running tasks were RQ jobs that do not exist here: left incomplete, they would
  // show "Exporting posts…" forever and refuse every new export.
  if (schema.has('task'))
    statements.push(`update ${quote('task')} set ${quote('complete')} = true`);
  if (dialect === 'postgresql') {
    for (const table of SERIAL_TABLES.filter((name) => schema.has(name))) {
      const name = quote(table);
      statements.push(
        `select setval(pg_get_serial_sequence('${name}', 'id'), coalesce((select max(id) from ${name}), 0) + 1, false)`,
      );
    }
  }
  return statements;
}

/** The value to insert for a Flask column, converted where our format differs. */
function convert({ dialect, quote }: CopySource, table: string, column: string): string {
  const value = quote(column);
  // Flask stores '' when it could not tell a post's language; we store null.
  if (table === 'post' && column === 'language') return `nullif(${value}, '')`;
  if (!DATETIME_COLUMNS.has(`${table}.${column}`)) return value;
  // Ours are UTC with milliseconds (decision 0012): epoch milliseconds on SQLite.
  if (dialect === 'sqlite') {
    return `cast(round((julianday(${value}) - 2440587.5) * 86400000) as integer)`;
  }
  if (dialect === 'postgresql') return `${value} at time zone 'UTC'`;
  return value;
}

/**
 * Flask replaced a user's notification of a name by deleting the old one; keep only the
 * latest, as our (user, name) unique index requires.
 */
function copyFilter(source: CopySource, table: string): string {
  if (table !== 'notification') return '';
  return ` where id in (select latest from (select max(id) as latest from ${source.stashed(table)} group by user_id, name) as latest_notifications)`;
}

/** Columns Flask never had: when each user was first seen, and their post count. */
function derivedUserColumns({ dialect, quote: q }: CopySource, schema: Map<string, string[]>) {
  if (!schema.has('user')) return [];
  const [user, post] = [q('user'), q('post')];
  const now = {
    sqlite: "cast((julianday('now') - 2440587.5) * 86400000 as integer)",
    postgresql: 'current_timestamp(3)',
    mysql: 'utc_timestamp(3)',
    mariadb: 'utc_timestamp(3)',
  }[dialect];
  const ownPosts = `from ${post} where ${post}.${q('user_id')} = ${user}.${q('id')}`;
  const firstPost = schema.has('post') ? `(select min(${q('timestamp')}) ${ownPosts}), ` : '';
  const statements = [
    `update ${user} set ${q('first_seen')} = coalesce(${firstPost}${q('last_seen')}, ${now})`,
    `update ${user} set ${q('last_seen')} = ${q('first_seen')} where ${q('last_seen')} is null`,
  ];
  if (schema.has('post')) {
    statements.push(`update ${user} set ${q('post_count')} = (select count(*) ${ownPosts})`);
  }
  return statements;
}
