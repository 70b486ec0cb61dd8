/**
 * Database objects that hand-written revisions create and the models cannot describe.
 * Schema drift checks leave them alone (docs/decisions/0002-migration-pitfalls.md, rule 6).
 */
export const HAND_WRITTEN_OBJECTS = [
  'ix_user_username_lower',
  // Full-text search (docs/decisions/0030-full-text-search.md): PostgreSQL's GIN index,
  // MariaDB's FULLTEXT index and the generated column it covers.
  'ix_post_body_search',
  'ix_post_search_words',
  // SQLite's triggers that keep the FTS5 table in step with the posts (not named
  // *_insert, *_delete: MikroORM would read those as one trigger on two events).
  'post_fts_ai',
  'post_fts_ad',
  'post_fts_au',
];

/** Columns hand-written revisions add to the models' tables. */
export const HAND_WRITTEN_COLUMNS = ['search_words'];

/** SQLite's FTS5 table and the shadow tables FTS5 keeps beside it. */
export const HAND_WRITTEN_TABLES = [
  'post_fts',
  'post_fts_config',
  'post_fts_data',
  'post_fts_docsize',
  'post_fts_idx',
];
