import { Command } from 'commander';
import { reportAndExit } from './errors.ts';

const program = new Command('microblog')
  .description('Microblog: the Flask Mega-Tutorial application, in TypeScript')
  .showHelpAfterError('(run "microblog --help" for usage)')
  .configureOutput({ outputError: (text, write) => write(text) });

program
  .command('run')
  .description('serve Microblog over HTTP (applies pending migrations first)')
  .option('--host <host>', 'address to listen on (default: HOST or localhost)')
  .option('--port <port>', 'port to listen on (default: PORT or 5000)')
  .action(async (options: { host?: string; port?: string }) => {
    const { runServer } = await import('../server.ts');
    await runServer(options);
  });

program
  .command('shell')
  .description('an interactive shell with orm, em, User and Post loaded (top-level await works)')
  .action(async () => {
    const { startShell } = await import('./shell.ts');
    await startShell();
  });

const { registerDbCommands } = await import('./db.ts');
registerDbCommands(program);

try {
  await program.parseAsync(process.argv);
} catch (error) {
  reportAndExit(error);
}
