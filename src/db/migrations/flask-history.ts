/**
 * The Flask Microblog's Alembic history up to v0.23's head, as facts about its schema: what
 * each revision added, oldest first. Adoption reads which tables and columns a database at
 * a given revision holds from this (docs/decisions/0028-adopting-a-flask-database.md).
 */
export interface FlaskRevision {
  rev: string;
  message: string;
  /** The columns this revision added, by table; a table seen for the first time is new. */
  adds: Record<string, string[]>;
}

export const FLASK_HISTORY: readonly FlaskRevision[] = [
  {
    rev: 'e517276bb1c2',
    message: 'users table',
    adds: { user: ['id', 'username', 'email', 'password_hash'] },
  },
  {
    rev: '780739b227a7',
    message: 'posts table',
    adds: { post: ['id', 'body', 'timestamp', 'user_id'] },
  },
  {
    rev: '37f06a334dbf',
    message: 'new fields in user model',
    adds: { user: ['about_me', 'last_seen'] },
  },
  {
    rev: 'ae346256b650',
    message: 'followers',
    adds: { followers: ['follower_id', 'followed_id'] },
  },
  { rev: '2b017edaa91f', message: 'add language to posts', adds: { post: ['language'] } },
  {
    rev: 'd049de007ccf',
    message: 'private messages',
    adds: {
      message: ['id', 'sender_id', 'recipient_id', 'body', 'timestamp'],
      user: ['last_message_read_time'],
    },
  },
  {
    rev: 'f7ac3d27bb1d',
    message: 'notifications',
    adds: { notification: ['id', 'name', 'user_id', 'timestamp', 'payload_json'] },
  },
  {
    rev: 'c81bac34faab',
    message: 'tasks',
    adds: { task: ['id', 'name', 'description', 'user_id', 'complete'] },
  },
  { rev: '834b1a697901', message: 'user tokens', adds: { user: ['token', 'token_expiration'] } },
];

/**
 * The tables a database at `rev` holds (in the order they were created, so parents come
 * before the tables that reference them) and their columns; `null` is Alembic's base.
 */
export function flaskSchemaAt(rev: string | null): Map<string, string[]> {
  const schema = new Map<string, string[]>();
  if (rev === null) return schema;
  for (const revision of FLASK_HISTORY) {
    for (const [table, columns] of Object.entries(revision.adds)) {
      schema.set(table, [...(schema.get(table) ?? []), ...columns]);
    }
    if (revision.rev === rev) return schema;
  }
  throw new Error(`Unknown Flask Microblog revision '${rev}'`);
}

export function isKnownFlaskRevision(rev: string): boolean {
  return FLASK_HISTORY.some((revision) => revision.rev === rev);
}
