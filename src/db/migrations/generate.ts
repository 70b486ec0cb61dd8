import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  type AbstractSqlPlatform,
  type DatabaseSchema,
  SchemaComparator,
  type SchemaDifference,
  type SqlSchemaGenerator,
} from '@mikro-orm/sql';
import type { DialectScript, ScriptDialect } from './revision.ts';
import { offlineOrm, readSnapshot, SCRIPT_DIALECTS, writeSnapshot } from './snapshots.ts';
import { splitStatements } from './sql.ts';

export interface GeneratedRevision {
  /** The revision's file name in the repository; absent when nothing changed. */
  file?: string;
  /** One line per change, in the spirit of Alembic's "Detected added table 'user'". */
  detected: string[];
}

function describe(diff: SchemaDifference): string[] {
  const lines: string[] = [];
  const indexes = (defs: Iterable<{ keyName: string; columnNames: string[] }>, verb: string) => {
    for (const index of defs) {
      if (index.keyName === 'primary') continue;
      lines.push(`Detected ${verb} index '${index.keyName}' on '${index.columnNames.join(', ')}'`);
    }
  };
  for (const table of Object.values(diff.newTables)) {
    lines.push(`Detected added table '${table.name}'`);
    indexes(
      table.getIndexes().filter((index) => !index.primary),
      'added',
    );
  }
  for (const table of Object.values(diff.removedTables))
    lines.push(`Detected removed table '${table.name}'`);
  for (const [qualified, change] of Object.entries(diff.changedTables)) {
    // PostgreSQL qualifies table names with their schema ("public.post"); report "post".
    const name = qualified.split('.').pop() ?? qualified;
    for (const column of Object.keys(change.addedColumns))
      lines.push(`Detected added column '${name}.${column}'`);
    for (const column of Object.keys(change.removedColumns))
      lines.push(`Detected removed column '${name}.${column}'`);
    for (const [from, column] of Object.entries(change.renamedColumns)) {
      lines.push(`Detected renamed column '${name}.${from}' to '${column.name}'`);
    }
    for (const [column, what] of Object.entries(change.changedColumns)) {
      lines.push(
        `Detected changed column '${name}.${column}' (${[...what.changedProperties].join(', ')})`,
      );
    }
    indexes(Object.values(change.addedIndexes), 'added');
    indexes(Object.values(change.removedIndexes), 'removed');
    indexes(Object.values(change.changedIndexes), 'changed');
    for (const [from, index] of Object.entries(change.renamedIndexes)) {
      lines.push(`Detected renamed index '${from}' to '${index.keyName}' on '${name}'`);
    }
  }
  return lines;
}

/**
 * SQLite cannot drop a table that other rows reference while foreign keys are checked
 * immediately, and `foreign_keys=off` does nothing inside the migration's transaction.
 */
function withDeferredForeignKeys(dialect: ScriptDialect, statements: string[]): string[] {
  if (dialect !== 'sqlite' || !statements.some((sql) => /^drop table/i.test(sql)))
    return statements;
  return ['pragma defer_foreign_keys = on;', ...statements];
}

function revisionSlug(message: string): string {
  return (
    message
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '_')
      .replace(/^_+|_+$/g, '')
      .slice(0, 60) || 'revision'
  );
}

function revisionId(now: Date): string {
  return now.toISOString().replace(/\D/g, '').slice(0, 14);
}

function quote(sql: string): string {
  return `'${sql.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n')}'`;
}

function renderScript(script: DialectScript): string {
  const list = (statements: string[]) =>
    statements.length
      ? `[\n${statements.map((sql) => `      ${quote(sql)},\n`).join('')}    ]`
      : '[]';
  return `{\n    up: ${list(script.up)},\n    down: ${list(script.down)},\n  }`;
}

function renderRevision(
  rev: string,
  message: string,
  scripts: Record<ScriptDialect, DialectScript>,
) {
  const blocks = SCRIPT_DIALECTS.map(
    (dialect) => `  readonly ${dialect} = ${renderScript(scripts[dialect])};`,
  );
  return [
    `import { Revision } from './revision.ts';`,
    '',
    `/** ${message.replace(/\*\//g, '* /')} */`,
    `export class Revision${rev} extends Revision {`,
    `  readonly message = ${quote(message)};`,
    '',
    blocks.join('\n\n'),
    '}',
    '',
  ].join('\n');
}

interface ModelDiff {
  scripts: Record<ScriptDialect, DialectScript>;
  targets: { dialect: ScriptDialect; target: DatabaseSchema }[];
  detected: string[];
}

/**
 * Diffs the entities against each dialect's committed snapshot with MikroORM's own
 * schema comparator. Offline: no database server is needed.
 */
async function diffModels(dir: string): Promise<ModelDiff> {
  const diff: ModelDiff = { scripts: {} as ModelDiff['scripts'], targets: [], detected: [] };
  for (const dialect of SCRIPT_DIALECTS) {
    const orm = await offlineOrm(dialect, dir);
    try {
      const fromSchema = await readSnapshot(orm, dialect, dir);
      const generator = orm.schema as unknown as SqlSchemaGenerator;
      const sql = await generator.getUpdateSchemaMigrationSQL({
        wrap: false,
        safe: false,
        dropTables: true,
        fromSchema,
      });
      const target = generator.getTargetSchema();
      diff.scripts[dialect] = {
        up: splitStatements(sql.up),
        down: withDeferredForeignKeys(dialect, splitStatements(sql.down)),
      };
      diff.targets.push({ dialect, target });
      // Some changes exist only in some dialects (SQLite has no varchar lengths), so
      // report what any of them detected.
      if (fromSchema) {
        const comparator = new SchemaComparator(orm.em.getPlatform() as AbstractSqlPlatform);
        for (const line of describe(comparator.compare(fromSchema, target))) {
          if (!diff.detected.includes(line)) diff.detected.push(line);
        }
      }
    } finally {
      await orm.close();
    }
  }
  return diff;
}

/** The SQL a new revision would hold, per dialect; every `up` is empty when nothing changed. */
export async function generateRevisionSql(dir: string): Promise<DialectScript[]> {
  return Object.values((await diffModels(dir)).scripts);
}

/** Writes a revision for the model changes and advances the snapshots; writes nothing if none. */
export async function generateRevision(
  message: string,
  dir: string,
  now = new Date(),
): Promise<GeneratedRevision> {
  const { scripts, targets, detected } = await diffModels(dir);
  if (SCRIPT_DIALECTS.every((dialect) => scripts[dialect].up.length === 0)) return { detected: [] };
  const rev = revisionId(now);
  const file = `${rev}_${revisionSlug(message)}.ts`;
  writeFileSync(join(dir, file), renderRevision(rev, message, scripts), { flag: 'wx' });
  for (const { dialect, target } of targets) writeSnapshot(dir, dialect, target);
  return { file, detected };
}
