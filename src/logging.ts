import { type LoggerOptions, pino } from 'pino';
import type { Config } from './config/load.ts';

/**
 * Pretty lines for a person at a terminal, JSON lines for everything else; with LOG_FILE,
 * the JSON lines also go to that file, rolled daily or at 10 MB, the last 10 kept. The
 * server and `microblog worker` log alike.
 */
export function loggerOptions({ logLevel: level, logFile }: Config): LoggerOptions {
  const console = process.stdout.isTTY
    ? { target: 'pino-pretty', options: { translateTime: 'SYS:HH:MM:ss' } }
    : { target: 'pino/file', options: { destination: 1 } };
  // Plain JSON to stdout needs no transport (and no worker thread).
  if (!logFile && !process.stdout.isTTY) return { level };
  const file = {
    target: 'pino-roll',
    options: { file: logFile, frequency: 'daily', size: '10m', limit: { count: 10 }, mkdir: true },
  };
  return { level, transport: { targets: logFile ? [console, file] : [console] } };
}

/** A logger for a process that is not the server (the server's is Fastify's own). */
export function createLogger(config: Config) {
  return pino(loggerOptions(config));
}
