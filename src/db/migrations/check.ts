import { generateRevisionSql } from './generate.ts';
import { liveSchemaDrift, type MigrationContext, pendingRevisions } from './runner.ts';

/**
 * Everything `db check` verifies, as one message per problem: the models against the
 * committed snapshots (a missing revision), the database against the history (pending
 * revisions), and the live schema against the models (drift).
 */
export async function checkEverything(
  context: MigrationContext,
  directory: string,
): Promise<string[]> {
  const problems: string[] = [];
  const unwritten = await generateRevisionSql(directory);
  if (unwritten.some((script) => script.up.length > 0)) {
    problems.push(
      'The models have changes that no revision holds: run "microblog db migrate -m ..."',
    );
  }
  const pending = await pendingRevisions(context);
  if (pending.length > 0) {
    problems.push(
      `The database is ${pending.length} revision(s) behind: run "microblog db upgrade"`,
    );
    return problems;
  }
  const drift = await liveSchemaDrift(context);
  if (drift.length > 0) {
    problems.push(
      `The database schema differs from the models; it would take:\n  ${drift.join('\n  ')}`,
    );
  }
  return problems;
}
