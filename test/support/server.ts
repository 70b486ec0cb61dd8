import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { projectRoot } from '../../src/config/load.ts';

export interface RunningServer {
  url: string;
  output(): string;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** Starts `microblog run` on a free port, as a person would, and resolves once it listens. */
export async function startServer(
  env: Record<string, string>,
  args: string[] = [],
): Promise<RunningServer> {
  const child = spawn(
    process.execPath,
    [
      join(projectRoot, 'bin', 'microblog.js'),
      'run',
      '--host',
      '127.0.0.1',
      '--port',
      '0',
      ...args,
    ],
    { env: { ...process.env, LOG_LEVEL: 'info', ...env } },
  );
  let output = '';
  const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (chunk) => {
      output += chunk;
      const match = /Server listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
      if (match) resolve(match[1]);
    });
    child.stderr.on('data', (chunk) => {
      output += chunk;
    });
    exited.then(() => reject(new Error(`the server exited before listening:\n${output}`)));
  });
  return {
    url,
    output: () => output,
    stop: (signal: NodeJS.Signals = 'SIGTERM') => {
      if (child.exitCode === null) child.kill(signal);
      return exited;
    },
  };
}
