/**
 * Databases as the Flask Microblog leaves them at each of its Alembic revisions (up to
 * v0.23's head), written from its migrations' schema facts: the DDL SQLAlchemy emits on
 * each dialect, and rows in the formats it stores (naive UTC datetimes; text on SQLite).
 */
import type { SqlEntityManager } from '@mikro-orm/sql';
import type { TestDialect } from './databases.ts';

type ColumnType =
  | 'serial'
  | 'integer'
  | 'text'
  | 'float'
  | 'boolean'
  | 'datetime'
  | `varchar(${number})`;

interface Column {
  name: string;
  type: ColumnType;
  notNull?: boolean;
}

interface NewTable {
  name: string;
  columns: Column[];
  primaryKey: string[];
  /** Columns that reference `user.id`. */
  userReferences?: string[];
}

interface FixtureRevision {
  rev: string;
  message: string;
  tables?: NewTable[];
  addColumns?: { table: string; columns: Column[] }[];
  /** Indexes named as Alembic's `op.f('ix_<table>_<column>')` names them. */
  indexes?: { table: string; column: string; unique?: boolean }[];
}

const col = (name: string, type: ColumnType, notNull = false): Column => ({ name, type, notNull });

export const FLASK_REVISIONS: FixtureRevision[] = [
  {
    rev: 'e517276bb1c2',
    message: 'users table',
    tables: [
      {
        name: 'user',
        columns: [
          col('id', 'serial', true),
          col('username', 'varchar(64)', true),
          col('email', 'varchar(120)', true),
          col('password_hash', 'varchar(256)'),
        ],
        primaryKey: ['id'],
      },
    ],
    indexes: [
      { table: 'user', column: 'email', unique: true },
      { table: 'user', column: 'username', unique: true },
    ],
  },
  {
    rev: '780739b227a7',
    message: 'posts table',
    tables: [
      {
        name: 'post',
        columns: [
          col('id', 'serial', true),
          col('body', 'varchar(140)', true),
          col('timestamp', 'datetime', true),
          col('user_id', 'integer', true),
        ],
        primaryKey: ['id'],
        userReferences: ['user_id'],
      },
    ],
    indexes: [
      { table: 'post', column: 'timestamp' },
      { table: 'post', column: 'user_id' },
    ],
  },
  {
    rev: '37f06a334dbf',
    message: 'new fields in user model',
    addColumns: [
      { table: 'user', columns: [col('about_me', 'varchar(140)'), col('last_seen', 'datetime')] },
    ],
  },
  {
    rev: 'ae346256b650',
    message: 'followers',
    tables: [
      {
        name: 'followers',
        columns: [col('follower_id', 'integer', true), col('followed_id', 'integer', true)],
        primaryKey: ['follower_id', 'followed_id'],
        userReferences: ['followed_id', 'follower_id'],
      },
    ],
  },
  {
    rev: '2b017edaa91f',
    message: 'add language to posts',
    addColumns: [{ table: 'post', columns: [col('language', 'varchar(5)')] }],
  },
  {
    rev: 'd049de007ccf',
    message: 'private messages',
    tables: [
      {
        name: 'message',
        columns: [
          col('id', 'serial', true),
          col('sender_id', 'integer', true),
          col('recipient_id', 'integer', true),
          col('body', 'varchar(140)', true),
          col('timestamp', 'datetime', true),
        ],
        primaryKey: ['id'],
        userReferences: ['recipient_id', 'sender_id'],
      },
    ],
    indexes: [
      { table: 'message', column: 'recipient_id' },
      { table: 'message', column: 'sender_id' },
      { table: 'message', column: 'timestamp' },
    ],
    addColumns: [{ table: 'user', columns: [col('last_message_read_time', 'datetime')] }],
  },
  {
    rev: 'f7ac3d27bb1d',
    message: 'notifications',
    tables: [
      {
        name: 'notification',
        columns: [
          col('id', 'serial', true),
          col('name', 'varchar(128)', true),
          col('user_id', 'integer', true),
          col('timestamp', 'float', true),
          col('payload_json', 'text', true),
        ],
        primaryKey: ['id'],
        userReferences: ['user_id'],
      },
    ],
    indexes: [
      { table: 'notification', column: 'name' },
      { table: 'notification', column: 'timestamp' },
      { table: 'notification', column: 'user_id' },
    ],
  },
  {
    rev: 'c81bac34faab',
    message: 'tasks',
    tables: [
      {
        name: 'task',
        columns: [
          col('id', 'varchar(36)', true),
          col('name', 'varchar(128)', true),
          col('description', 'varchar(128)'),
          col('user_id', 'integer', true),
          col('complete', 'boolean', true),
        ],
        primaryKey: ['id'],
        userReferences: ['user_id'],
      },
    ],
    indexes: [{ table: 'task', column: 'name' }],
  },
  {
    rev: '834b1a697901',
    message: 'user tokens',
    addColumns: [
      {
        table: 'user',
        columns: [col('token', 'varchar(32)'), col('token_expiration', 'datetime')],
      },
    ],
    indexes: [{ table: 'user', column: 'token', unique: true }],
  },
];

// Made by Werkzeug 3.1's generate_password_hash, as the Flask Microblog stores them.
export const WERKZEUG_USERS = {
  alice: {
    password: 'alice-scrypt-password',
    hash: 'scrypt:32768:8:1$ERd3LfHNnEOJqusw$dd7a15b8259258e5b198608ade7f8e31aa1b4c88b3e14a93922ece4512eea90deb3e4bb270b72e3730d8da171ee817ce17e09e194268fbf899e48ab3f346e152',
  },
  bob: {
    password: 'bob-pbkdf2-password',
    hash: 'pbkdf2:sha256:1000000$YKucHSqtdR8moedn$2c4dd4e4f6d6d3d508131947259f730612c37d6b10b5fcddb2d17967389bb1a8',
  },
};

type Row = Record<string, string | number | boolean | null>;

/**
 * The rows a Flask Microblog at head holds; older revisions get the columns they have.
 * Sub-second parts are under half a unit, so the stored value is the same whether a server
 * rounds or truncates (MariaDB's `datetime` keeps whole seconds).
 */
export const FLASK_ROWS: Record<string, Row[]> = {
  user: [
    {
      id: 1,
      username: 'alice',
      email: 'alice@example.com',
      password_hash: WERKZEUG_USERS.alice.hash,
      about_me: 'Here since the Flask days',
      last_seen: '2024-03-01 10:00:00.250100',
      last_message_read_time: '2024-01-05 08:01:00.000000',
      token: '0123456789abcdef0123456789abcdef',
      token_expiration: '2024-03-01 11:00:00.000000',
    },
    {
      id: 2,
      username: 'bob',
      email: 'bob@example.com',
      password_hash: WERKZEUG_USERS.bob.hash,
      about_me: null,
      last_seen: null,
      last_message_read_time: null,
      token: null,
      token_expiration: null,
    },
    {
      id: 7,
      username: 'Carol',
      email: 'carol@example.com',
      password_hash: null,
      about_me: null,
      last_seen: '2023-05-06 07:08:09.000000',
      last_message_read_time: null,
      token: null,
      token_expiration: null,
    },
  ],
  // Ids are not in time order, so an order by id would not pass for one by time.
  post: [
    {
      id: 1,
      body: 'Later, from alice',
      timestamp: '2023-11-14 22:13:21.123456',
      user_id: 1,
      language: 'en',
    },
    {
      id: 2,
      body: 'First of all',
      timestamp: '2023-01-02 03:04:05.345123',
      user_id: 2,
      language: '',
    },
    {
      id: 3,
      body: 'Leap day',
      timestamp: '2024-02-29 23:59:59.000001',
      user_id: 1,
      language: 'es',
    },
    {
      id: 4,
      body: 'Same day, earlier',
      timestamp: '2023-11-14 09:13:21.400200',
      user_id: 7,
      language: null,
    },
  ],
  followers: [
    { follower_id: 1, followed_id: 2 },
    { follower_id: 2, followed_id: 1 },
    { follower_id: 7, followed_id: 1 },
  ],
  message: [
    {
      id: 1,
      sender_id: 2,
      recipient_id: 1,
      body: 'hi alice',
      timestamp: '2024-01-05 08:00:00.100000',
    },
    {
      id: 2,
      sender_id: 1,
      recipient_id: 2,
      body: 'hi bob',
      timestamp: '2024-01-05 08:05:00.200000',
    },
  ],
  // Alice's first unread count was replaced by the second, but both rows are here.
  notification: [
    { id: 1, name: 'unread_message_count', user_id: 1, timestamp: 1704441600.5, payload_json: '1' },
    {
      id: 2,
      name: 'unread_message_count',
      user_id: 1,
      timestamp: 1704441900.25,
      payload_json: '0',
    },
    {
      id: 3,
      name: 'task_progress',
      user_id: 2,
      timestamp: 1704442000.75,
      payload_json: '{"task_id": "9f1c", "progress": 100}',
    },
  ],
  task: [
    {
      id: '9f1c3e6a-0b7d-4c1e-9a55-2f0e8d7c6b5a',
      name: 'export_posts',
      description: 'Exporting posts...',
      user_id: 2,
      complete: true,
    },
    {
      id: '1a2b3c4d-5e6f-4a8b-9c0d-1e2f3a4b5c6d',
      name: 'export_posts',
      description: 'Exporting posts...',
      user_id: 1,
      complete: false,
    },
  ],
};

function dialectSql(dialect: TestDialect) {
  const q = (name: string) => (dialect === 'mariadb' ? `\`${name}\`` : `"${name}"`);
  const type = (column: Column): string => {
    const notNull = column.notNull ? ' NOT NULL' : '';
    switch (column.type) {
      case 'serial':
        return {
          sqlite: 'INTEGER NOT NULL',
          postgresql: 'SERIAL NOT NULL',
          mariadb: 'INTEGER NOT NULL AUTO_INCREMENT',
        }[dialect];
      case 'datetime':
        return (dialect === 'postgresql' ? 'TIMESTAMP WITHOUT TIME ZONE' : 'DATETIME') + notNull;
      case 'boolean':
        return (dialect === 'mariadb' ? 'BOOL' : 'BOOLEAN') + notNull;
      default:
        return column.type.toUpperCase() + notNull;
    }
  };
  return { q, type };
}

/** The DDL of one revision, in the order Alembic runs it. */
function revisionDdl(revision: FixtureRevision, dialect: TestDialect): string[] {
  const { q, type } = dialectSql(dialect);
  const statements: string[] = [];
  for (const table of revision.tables ?? []) {
    const parts = [
      ...table.columns.map((column) => `${q(column.name)} ${type(column)}`),
      ...(table.userReferences ?? []).map(
        (column) => `FOREIGN KEY(${q(column)}) REFERENCES ${q('user')} (${q('id')})`,
      ),
      `PRIMARY KEY (${table.primaryKey.map(q).join(', ')})`,
    ];
    statements.push(`CREATE TABLE ${q(table.name)} (\n\t${parts.join(',\n\t')}\n)`);
  }
  for (const { table, columns } of revision.addColumns ?? []) {
    for (const column of columns) {
      statements.push(`ALTER TABLE ${q(table)} ADD COLUMN ${q(column.name)} ${type(column)}`);
    }
  }
  for (const { table, column, unique } of revision.indexes ?? []) {
    statements.push(
      `CREATE ${unique ? 'UNIQUE ' : ''}INDEX ${q(`ix_${table}_${column}`)} ON ${q(table)} (${q(column)})`,
    );
  }
  return statements;
}

/** The tables and columns a Flask database at `rev` has, by this fixture's own DDL. */
export function fixtureColumnsAt(rev: string): Map<string, string[]> {
  const columns = new Map<string, string[]>();
  for (const revision of FLASK_REVISIONS) {
    for (const table of revision.tables ?? []) {
      columns.set(
        table.name,
        table.columns.map((column) => column.name),
      );
    }
    for (const { table, columns: added } of revision.addColumns ?? []) {
      columns.get(table)?.push(...added.map((column) => column.name));
    }
    if (revision.rev === rev) return columns;
  }
  throw new Error(`No fixture revision ${rev}`);
}

/**
 * Makes the (empty) database behind `em` a Flask Microblog database at `rev`, with the rows
 * of FLASK_ROWS that fit it, and `alembic_version` saying so (`stampAs` overrides the stamp).
 */
export async function buildFlaskDatabase(
  em: SqlEntityManager,
  dialect: TestDialect,
  rev: string,
  { stampAs = rev }: { stampAs?: string } = {},
): Promise<void> {
  const { q } = dialectSql(dialect);
  const statements = [
    `CREATE TABLE ${q('alembic_version')} (\n\t${q('version_num')} VARCHAR(32) NOT NULL,\n\tCONSTRAINT ${q('alembic_version_pkc')} PRIMARY KEY (${q('version_num')})\n)`,
  ];
  const last = FLASK_REVISIONS.findIndex((revision) => revision.rev === rev);
  for (const revision of FLASK_REVISIONS.slice(0, last + 1))
    statements.push(...revisionDdl(revision, dialect));
  for (const sql of statements) await em.execute(sql);
  for (const [table, columns] of fixtureColumnsAt(rev)) {
    for (const row of FLASK_ROWS[table]) {
      const values = columns.map((column) => {
        const value = row[column];
        // SQLite has no booleans: SQLAlchemy stores 0 and 1.
        return typeof value === 'boolean' && dialect === 'sqlite' ? Number(value) : value;
      });
      await em.execute(
        `INSERT INTO ${q(table)} (${columns.map(q).join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`,
        values,
      );
    }
  }
  await em.execute(`INSERT INTO ${q('alembic_version')} (${q('version_num')}) VALUES (?)`, [
    stampAs,
  ]);
  if (dialect === 'postgresql') {
    // Explicit ids leave the sequences behind, as they would not be after Flask's inserts.
    for (const table of ['user', 'post', 'message', 'notification']) {
      if (fixtureColumnsAt(rev).has(table)) {
        await em.execute(
          `SELECT setval(pg_get_serial_sequence('"${table}"', 'id'), (SELECT max(id) FROM "${table}"))`,
        );
      }
    }
  }
}
