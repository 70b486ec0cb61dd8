import type { Transaction } from '@mikro-orm/core';
import { MigrationError } from '../../errors.ts';
import { ALEMBIC_TABLE, FlaskDatabase } from './flask-database.ts';
import { FLASK_HISTORY, flaskSchemaAt, isKnownFlaskRevision } from './flask-history.ts';
import type { MigrationContext } from './runner.ts';

/**
 * Our revision whose schema first holds everything the Flask Microblog keeps: its rows are
 * copied into that schema, then the later revisions run as on any database, so this module
 * never has to follow our head (docs/decisions/0028-adopting-a-flask-database.md).
 */
export const ADOPTION_REVISION = '20261130064208';

/** Runs our pending revisions up to `until` (a revision id, or `head`), in `tx` when given. */
export type RunRevisions = (until: string, tx?: Transaction) => Promise<void>;

/** The database's Flask revision, `null` at Alembic's base, or undefined for no Flask database. */
export async function flaskRevision(context: MigrationContext): Promise<string | null | undefined> {
  const flask = new FlaskDatabase(context);
  if (!(await flask.tableExists(ALEMBIC_TABLE))) return undefined;
  const rows = await flask.query<{ version_num: string }>(
    `select version_num from ${flask.quote(ALEMBIC_TABLE)}`,
  );
  if (rows.length > 1) {
    throw new MigrationError('The Flask database has several Alembic heads; it cannot be adopted');
  }
  return rows[0]?.version_num ?? null;
}

/**
 * Takes over a database the Flask Microblog created: its tables are set aside, ours are
 * created up to ADOPTION_REVISION, the rows are copied over (datetimes converted), the Flask
 * tables and `alembic_version` are dropped, and the remaining revisions run. PostgreSQL does
 * it all in one transaction; on SQLite and MariaDB each step can be run again after a failure.
 */
export async function adoptFlaskDatabase(
  context: MigrationContext,
  rev: string | null,
  runRevisions: RunRevisions,
): Promise<void> {
  if (rev !== null && !isKnownFlaskRevision(rev)) {
    const head = FLASK_HISTORY.at(-1)?.rev;
    throw new MigrationError(
      `The database is at Flask Microblog revision '${rev}', which is not one this version can adopt (up to ${head})`,
    );
  }
  const flask = new FlaskDatabase(context);
  const schema = flaskSchemaAt(rev);
  context.log(`Adopting a Flask Microblog database at its revision ${rev ?? 'base'}`);
  const adopt = async (tx?: Transaction) => {
    const step = (work: (tx: Transaction) => Promise<void>) =>
      tx ? work(tx) : flask.connection.transactional(work);
    // Once one of our revisions ran, the Flask tables were set aside (and maybe dropped).
    const started = (await context.orm.migrator.getExecuted()).length > 0;
    if (!started && !(await flask.isStashed(schema, tx))) {
      await step((inner) => flask.refuseCaseOnlyDuplicates(schema, inner));
      await step((inner) => flask.stash(schema, inner));
    }
    await runRevisions(ADOPTION_REVISION, tx);
    await step((inner) => flask.copy(schema, inner));
    await step((inner) => flask.dropStash(schema, inner));
    await runRevisions('head', tx);
  };
  if (flask.dialect === 'postgresql') await flask.connection.transactional(adopt);
  else await adopt();
}
