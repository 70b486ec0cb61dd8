/**
 * `npm test`'s runner: the whole suite once per database. SQLite always; PostgreSQL and
 * MariaDB when TEST_POSTGRES_URL / TEST_MARIADB_URL point at a server. Without them
 * those passes are skipped with a message, unless TEST_REQUIRE_ALL_DATABASES=1 (as in
 * CI), where a missing server is a failure.
 */
import { spawn } from 'node:child_process';
import {
  SERVER_URL_VARIABLES,
  serverProblem,
  type TestDialect,
} from '../test/support/databases.ts';

interface Counts {
  passed: number;
  failed: number;
  skipped: number;
}

const required = process.env.TEST_REQUIRE_ALL_DATABASES === '1';
const extraArgs = process.argv.slice(2);
const files = extraArgs.length > 0 ? extraArgs : ['test/**/*.test.ts'];

function runPass(dialect: TestDialect): Promise<Counts> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', '--test', '--test-reporter=spec', ...files],
      { env: { ...process.env, TEST_DATABASE: dialect }, stdio: ['ignore', 'pipe', 'inherit'] },
    );
    // The summary's "ℹ pass N" lines, kept as they stream by (a long failure report
    // follows them, so the end of the output is not enough).
    let reported = '';
    let partial = '';
    child.stdout.on('data', (chunk: Buffer) => {
      process.stdout.write(chunk);
      const lines = (partial + chunk.toString()).split('\n');
      partial = lines.pop() ?? '';
      reported += `${lines.filter((line) => line.startsWith('ℹ ')).join('\n')}\n`;
    });
    child.on('error', reject);
    child.on('close', (code) => {
      const count = (label: string) =>
        Number(new RegExp(`ℹ ${label} (\\d+)`).exec(reported)?.[1] ?? 0);
      const counts = {
        passed: count('pass'),
        failed: count('fail') + count('cancelled'),
        skipped: count('skipped'),
      };
      // A crash before the summary is a failure too.
      if (code !== 0 && counts.failed === 0) counts.failed = 1;
      resolve(counts);
    });
  });
}

const summary: string[] = [];
const total: Counts = { passed: 0, failed: 0, skipped: 0 };
let missing = false;
for (const dialect of ['sqlite', 'postgresql', 'mariadb'] as const) {
  if (dialect !== 'sqlite') {
    const problem = await serverProblem(dialect);
    if (problem) {
      const message = `${dialect}: suite skipped (${problem}; set ${SERVER_URL_VARIABLES[dialect]} to an admin URL to run it)`;
      summary.push(message);
      console.log(`\n${message}`);
      missing ||= required;
      continue;
    }
  }
  console.log(`\n=== test suite on ${dialect} ===`);
  const counts = await runPass(dialect);
  summary.push(
    `${dialect}: ${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped`,
  );
  total.passed += counts.passed;
  total.failed += counts.failed;
  total.skipped += counts.skipped;
}

console.log(`\n${summary.join('\n')}`);
if (missing)
  console.log('TEST_REQUIRE_ALL_DATABASES=1: every database must be tested, and one was not.');
console.log(`total: ${total.passed} passed, ${total.failed} failed, ${total.skipped} skipped`);
process.exit(total.failed > 0 || missing ? 1 : 0);
