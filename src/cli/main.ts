import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Command } from 'commander';
import { projectRoot } from '../config/load.ts';
import { parseWhole } from './arguments.ts';
import { registerBackupCommands } from './backup.ts';
import { registerDbCommands } from './db.ts';
import { reportAndExit } from './errors.ts';
import { registerFakeCommands } from './fake.ts';
import { registerJobCommands } from './jobs.ts';
import { registerSearchCommands } from './search.ts';
import { registerUserCommands } from './users.ts';

const { version } = JSON.parse(readFileSync(join(projectRoot, 'package.json'), 'utf8')) as {
  version: string;
};

interface ServerCommandOptions {
  host?: string;
  port?: string;
  worker: boolean;
  workers?: string;
}

const program = new Command('microblog')
  .description('Microblog: the Flask Mega-Tutorial application, in TypeScript')
  .version(version, '-V, --version', 'print the version of Microblog')
  // Usage mistakes are one line, like every other error of the command.
  .configureOutput({
    outputError: (text, write) => write(`microblog: ${text.replace(/^error: /, '')}`),
  });

program
  .command('run')
  .description('serve Microblog over HTTP (applies pending migrations first)')
  .option('--host <host>', 'address to listen on (default: HOST or localhost)')
  .option('--port <port>', 'port to listen on (default: PORT or 5000)')
  .option('--no-worker', 'leave background jobs to `microblog worker` (or IN_PROCESS_WORKER=false)')
  .option('--workers <n>', 'serve from n processes sharing the port (node:cluster)')
  .action(async ({ workers, ...options }: ServerCommandOptions) => {
    if (workers === undefined) {
      const { runServer } = await import('../server.ts');
      await runServer(options);
      return;
    }
    const { runCluster } = await import('../cluster.ts');
    await runCluster(parseWhole(workers, '--workers', 1, 64), options);
  });

program
  .command('shell')
  .description('an interactive shell with orm, em, User and Post loaded (top-level await works)')
  .action(async () => {
    const { startShell } = await import('./shell.ts');
    await startShell();
  });

registerBackupCommands(registerDbCommands(program));
registerFakeCommands(program);
registerJobCommands(program);
registerUserCommands(program);
registerSearchCommands(program);

try {
  await program.parseAsync(process.argv);
} catch (error) {
  reportAndExit(error);
}
