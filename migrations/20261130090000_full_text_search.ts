import { Revision } from './revision.ts';

/**
 * full-text search over posts (hand-written: the models cannot describe these objects;
 * docs/decisions/0030-full-text-search.md). Every engine indexes a post inside the
 * transaction that writes it: SQLite through triggers, PostgreSQL and MariaDB in the index.
 */
export class Revision20261130090000 extends Revision {
  readonly message = 'full-text search';

  // An external-content FTS5 table (the text stays in `post` alone), kept in step by
  // triggers, then filled from the posts already there.
  readonly sqlite = {
    up: [
      "create virtual table `post_fts` using fts5(body, content='post', content_rowid='id', tokenize='unicode61 remove_diacritics 2');",
      'create trigger `post_fts_ai` after insert on `post` begin insert into `post_fts` (rowid, body) values (new.id, new.body); end;',
      "create trigger `post_fts_ad` after delete on `post` begin insert into `post_fts` (`post_fts`, rowid, body) values ('delete', old.id, old.body); end;",
      "create trigger `post_fts_au` after update of body on `post` begin insert into `post_fts` (`post_fts`, rowid, body) values ('delete', old.id, old.body); insert into `post_fts` (rowid, body) values (new.id, new.body); end;",
      "insert into `post_fts` (`post_fts`) values ('rebuild');",
    ],
    down: [
      'drop trigger `post_fts_au`;',
      'drop trigger `post_fts_ad`;',
      'drop trigger `post_fts_ai`;',
      'drop table `post_fts`;',
    ],
  };

  // The `simple` configuration: no stemming and no stop words, so every word is found as
  // typed, in any language (and no extension to install).
  readonly postgresql = {
    up: [
      'create index "ix_post_body_search" on "post" using gin (to_tsvector(\'simple\', "body"));',
    ],
    down: ['drop index "ix_post_body_search";'],
  };

  // InnoDB skips words under innodb_ft_min_token_size (3) and its stop words ("a", "to",
  // "the"), and changing either needs a server setting. So the index covers a generated
  // column where every word carries the suffix "zq": "a" becomes "azq", "the" "thezq", and
  // everything but letters, digits and marks becomes a space.
  readonly mysql = {
    up: [
      "alter table `post` add column `search_words` text as (regexp_replace(regexp_replace(lower(`body`), '[^\\\\p{L}\\\\p{N}\\\\p{M}]+', ' '), '([\\\\p{L}\\\\p{N}\\\\p{M}]+)', '\\\\1zq')) stored;",
      'alter table `post` add fulltext index `ix_post_search_words` (`search_words`);',
    ],
    down: [
      'alter table `post` drop index `ix_post_search_words`;',
      'alter table `post` drop column `search_words`;',
    ],
  };
}
