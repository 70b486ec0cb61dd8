import type { SqlEntityManager } from '@mikro-orm/sql';
import type { Command } from 'commander';
import { DomainError } from '../errors.ts';
import type { JobInfo, JobQueue, JobStatus } from '../jobs/index.ts';
import { JOB_STATUSES } from '../jobs/queue.ts';
import { parseWhole } from './arguments.ts';

/** Runs `work` with the configured job queue (and its database), closing both after. */
async function withQueue<T>(
  work: (queue: JobQueue, em: SqlEntityManager) => Promise<T>,
): Promise<T> {
  const [{ openDatabase }, { openJobQueue }] = await Promise.all([
    import('./database.ts'),
    import('../jobs/index.ts'),
  ]);
  const { config, orm } = await openDatabase();
  // Redis's own complaints would add lines; a failed command says what went wrong.
  const quiet = { warn() {}, info() {} };
  const queue = openJobQueue(config, orm, quiet);
  try {
    return await work(queue, orm.em.fork() as SqlEntityManager);
  } finally {
    await queue.close();
    await orm.close();
  }
}

const time = (date: Date | null) => (date ? date.toISOString().slice(0, 19).replace('T', ' ') : '');

/** The jobs as a table with a header, one line each; the last error's first line, cut short. */
function table(jobs: JobInfo[]): string {
  const rows = [
    ['ID', 'NAME', 'STATUS', 'ATTEMPTS', 'CREATED (UTC)', 'FINISHED (UTC)', 'LAST ERROR'],
    ...jobs.map((job) => [
      job.id,
      job.name,
      job.status,
      `${job.attempts}/${job.maxAttempts}`,
      time(job.createdAt),
      time(job.finishedAt),
      (job.lastError ?? '').split('\n')[0].slice(0, 60),
    ]),
  ];
  const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => row[column].length)));
  return rows
    .map((row) =>
      row
        .map((cell, column) => cell.padEnd(widths[column]))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

export function registerJobCommands(program: Command): void {
  program
    .command('worker')
    .description('run background jobs, until SIGTERM or SIGINT (as many processes as needed)')
    .option('--concurrency <n>', 'jobs run at once by this process (1 to 100)', '1')
    .action(async (options: { concurrency: string }) => {
      const concurrency = parseWhole(options.concurrency, '--concurrency', 1, 100);
      const { runWorker } = await import('./worker.ts');
      await runWorker({ concurrency });
    });

  const jobs = program
    .command('jobs')
    .description('background jobs: list them, retry a failed one, cancel a waiting one');

  jobs
    .command('list')
    .description('list the newest jobs, with a count of each status')
    .option('--status <status>', `only jobs with this status (${JOB_STATUSES.join(', ')})`)
    .option('--limit <n>', 'at most this many (1 to 10,000)', '50')
    .option('--json', 'print the jobs as JSON')
    .action(async (options: { status?: string; limit: string; json?: boolean }) => {
      const { status } = options;
      if (status !== undefined && !(JOB_STATUSES as readonly string[]).includes(status)) {
        throw new DomainError(
          `--status must be one of ${JOB_STATUSES.join(', ')}, not "${status}"`,
        );
      }
      const limit = parseWhole(options.limit, '--limit', 1, 10_000);
      await withQueue(async (queue) => {
        const found = await queue.list({ status: status as JobStatus | undefined, limit });
        if (options.json) return console.log(JSON.stringify(found, null, 2));
        console.log(found.length > 0 ? table(found) : `No ${status ? `${status} ` : ''}jobs.`);
        const counts = Object.entries(await queue.counts());
        console.log(`\n${counts.map(([name, n]) => `${name} ${n}`).join(', ')}`);
      });
    });

  jobs
    .command('retry')
    .description('run a failed job again, its attempts counted afresh')
    .argument('<id>', 'the job, as `jobs list` shows it')
    .action(async (id: string) => {
      const outcome = await withQueue((queue) => queue.retry(id));
      if (outcome === 'not-found') throw new DomainError(`There is no job ${id}`);
      if (outcome === 'not-failed') {
        throw new DomainError(`Job ${id} has not failed: only a failed job can be retried`);
      }
      console.log(`Job ${id} will run again.`);
    });

  jobs
    .command('cancel')
    .description('cancel a job that no worker has started yet')
    .argument('<id>', 'the job, as `jobs list` shows it')
    .action(async (id: string) => {
      const { cancelJob } = await import('../domain/jobs.ts');
      const outcome = await withQueue((queue, em) => cancelJob(em, queue, id));
      if (outcome === 'not-found') throw new DomainError(`There is no job ${id}`);
      if (outcome === 'running')
        throw new DomainError(`Job ${id} is running: it cannot be cancelled`);
      if (outcome === 'finished') throw new DomainError(`Job ${id} has already finished`);
      console.log(`Job ${id} is cancelled.`);
    });
}
