import type { MikroORM, Transaction } from '@mikro-orm/core';
import type { AbstractSqlDriver, SqlSchemaGenerator } from '@mikro-orm/sql';
import type { DatabaseConfig } from '../../config/load.ts';
import { MigrationError } from '../../errors.ts';
import { introspectLiveSchema } from '../live-schema.ts';
import { adoptFlaskDatabase, flaskRevision } from './adopt-flask.ts';
import { HAND_WRITTEN_COLUMNS, HAND_WRITTEN_OBJECTS } from './hand-written.ts';
import type { RevisionInfo } from './history.ts';
import { withMigrationLock } from './lock.ts';
import { splitStatements } from './sql.ts';

export interface MigrationContext {
  orm: MikroORM;
  database: DatabaseConfig;
  history: RevisionInfo[];
  log: (line: string) => void;
}

async function appliedNames({ orm, history }: MigrationContext): Promise<string[]> {
  const rows = await orm.migrator.getExecuted();
  const known = new Set(history.map((revision) => revision.name));
  const names = rows.map((row) => row.name);
  const stranger = names.find((name) => !known.has(name));
  if (stranger) {
    throw new MigrationError(
      `The database is at revision '${stranger}', which is not in migrations/`,
    );
  }
  return names;
}

/** Finds a revision by id, file name or a unique prefix of either. */
function findRevision(history: RevisionInfo[], target: string): number {
  const exact = history.findIndex((r) => r.rev === target || r.name === target);
  if (exact >= 0) return exact;
  const matches = history.flatMap((r, i) => (r.name.startsWith(target) ? [i] : []));
  if (matches.length === 1) return matches[0];
  if (matches.length > 1) throw new MigrationError(`Revision '${target}' is ambiguous`);
  throw new MigrationError(`Unknown revision '${target}'`);
}

function describeStep(direction: 'upgrade' | 'downgrade', history: RevisionInfo[], index: number) {
  const previous = history[index - 1]?.rev ?? '';
  const { rev, message } = history[index];
  return direction === 'upgrade'
    ? `Running upgrade ${previous} -> ${rev}, ${message}`
    : `Running downgrade ${rev} -> ${previous}, ${message}`;
}

async function run(
  context: MigrationContext,
  direction: 'upgrade' | 'downgrade',
  names: string[],
  transaction?: Transaction,
) {
  const { orm, history, log } = context;
  if (names.length === 0) {
    const applied = await appliedNames(context);
    const at = history.find((r) => r.name === applied.at(-1))?.rev ?? 'base';
    log(`Nothing to ${direction}: the database is at ${at}.`);
    return [];
  }
  const event = direction === 'upgrade' ? 'migrating' : 'reverting';
  const announce = ({ name }: { name: string }) =>
    log(
      describeStep(
        direction,
        history,
        history.findIndex((r) => r.name === name),
      ),
    );
  orm.migrator.on(event, announce);
  try {
    const options = { migrations: names, transaction };
    return direction === 'upgrade'
      ? await orm.migrator.up(options)
      : await orm.migrator.down(options);
  } finally {
    orm.migrator.off(event, announce);
  }
}

/**
 * Applies pending revisions up to `target` (`head`, a revision, or `+N`). A database the
 * Flask Microblog created is adopted first (docs/decisions/0028-adopting-a-flask-database.md).
 */
export async function upgrade(context: MigrationContext, target = 'head') {
  return withMigrationLock(context.orm, context.database, async () => {
    const { history } = context;
    const flask = await flaskRevision(context);
    if (flask !== undefined) {
      if (target !== 'head' && target !== 'heads') {
        throw new MigrationError(
          'A Flask Microblog database is adopted up to head: run "microblog db upgrade" without a target',
        );
      }
      // Counted here: inside PostgreSQL's transaction, the migrator sees only committed rows.
      const applied = new Set(await appliedNames(context));
      await adoptFlaskDatabase(context, flask, async (until, tx) => {
        const stop = until === 'head' ? history.length - 1 : findRevision(history, until);
        const names = history
          .slice(0, stop + 1)
          .flatMap((r) => (applied.has(r.name) ? [] : [r.name]));
        for (const name of names) applied.add(name);
        if (names.length > 0) await run(context, 'upgrade', names, tx);
      });
      return [];
    }
    const applied = new Set(await appliedNames(context));
    const pending = history.filter((r) => !applied.has(r.name));
    let names: RevisionInfo[];
    if (target === 'head' || target === 'heads') names = pending;
    else if (/^\+\d+$/.test(target)) {
      const count = Number(target.slice(1));
      if (count > pending.length) {
        throw new MigrationError(
          `Cannot upgrade ${count} revisions: only ${pending.length} pending`,
        );
      }
      names = pending.slice(0, count);
    } else {
      const stop = findRevision(history, target);
      names = history.slice(0, stop + 1).filter((r) => !applied.has(r.name));
    }
    return run(
      context,
      'upgrade',
      names.map((r) => r.name),
    );
  });
}

/** Reverts the last revision, or down to `target` (a revision, `base`, or `-N`). */
export async function downgrade(context: MigrationContext, target?: string) {
  return withMigrationLock(context.orm, context.database, async () => {
    const { history } = context;
    const applied = await appliedNames(context);
    let count: number;
    if (target === undefined) count = 1;
    else if (target === 'base') count = applied.length;
    else if (/^-\d+$/.test(target)) count = Number(target.slice(1));
    else {
      const index = findRevision(history, target);
      const position = applied.indexOf(history[index].name);
      if (position < 0) {
        throw new MigrationError(
          `Revision '${history[index].rev}' is not applied; cannot downgrade to it`,
        );
      }
      count = applied.length - position - 1;
    }
    if (count > applied.length) {
      throw new MigrationError(
        `Cannot downgrade below base: ${count} revision(s) requested, ${applied.length} applied`,
      );
    }
    const names = applied.slice(applied.length - count);
    await checkDowngrades(context, names);
    return run(context, 'downgrade', names);
  });
}

/**
 * Asks every revision to be reverted whether it may be, before any is: a refusal must leave
 * the database as it was, and SQLite and MariaDB cannot undo the steps already run.
 */
async function checkDowngrades({ orm, history }: MigrationContext, names: string[]) {
  const driver = orm.em.getDriver() as AbstractSqlDriver;
  for (const name of [...names].reverse()) {
    const revision = history.find((r) => r.name === name);
    if (revision) await new revision.cls(driver, orm.config).checkDowngrade();
  }
}

/** The applied head revision, or undefined at base. */
export async function currentRevision(
  context: MigrationContext,
): Promise<RevisionInfo | undefined> {
  const applied = await appliedNames(context);
  const last = applied.at(-1);
  return context.history.find((r) => r.name === last);
}

export async function pendingRevisions(context: MigrationContext): Promise<RevisionInfo[]> {
  const applied = new Set(await appliedNames(context));
  return context.history.filter((r) => !applied.has(r.name));
}

/**
 * SQL that would bring the live database in line with the entities; empty when they
 * agree. Objects of hand-written revisions are taken out of the introspected schema
 * first: the models cannot describe them (and MikroORM's SQLite diff cannot even print
 * an expression index).
 */
export async function liveSchemaDrift({ orm }: MigrationContext): Promise<string[]> {
  const live = await introspectLiveSchema(orm);
  for (const table of live.getTables()) {
    table.setIndexes(
      table.getIndexes().filter((index) => !HAND_WRITTEN_OBJECTS.includes(index.keyName)),
    );
    table.setTriggers(
      table.getTriggers().filter((trigger) => !HAND_WRITTEN_OBJECTS.includes(trigger.name)),
    );
    for (const column of HAND_WRITTEN_COLUMNS) table.removeColumn(column);
  }
  const generator = orm.schema as unknown as SqlSchemaGenerator;
  const diff = await generator.getUpdateSchemaMigrationSQL({
    wrap: false,
    safe: false,
    dropTables: true,
    fromSchema: live,
  });
  return splitStatements(diff.up);
}
