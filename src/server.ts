import type { FastifyServerOptions } from 'fastify';
import { buildApp } from './app.ts';
import { type Config, loadConfig } from './config/load.ts';

/**
 * Pretty lines for a person at a terminal, JSON lines for everything else; with LOG_FILE,
 * the JSON lines also go to that file, rolled daily or at 10 MB, the last 10 kept.
 */
function loggerOptions({ logLevel: level, logFile }: Config): FastifyServerOptions['logger'] {
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

/** Starts the server and closes it (and the database) cleanly on SIGTERM or SIGINT. */
export async function runServer(overrides: { host?: string; port?: string } = {}) {
  const config = loadConfig({
    ...process.env,
    ...(overrides.host ? { HOST: overrides.host } : {}),
    ...(overrides.port ? { PORT: overrides.port } : {}),
  });
  const app = await buildApp(config, { migrate: true, logger: loggerOptions(config) });
  if (config.secretKeyGenerated) {
    app.log.warn(
      `SECRET_KEY is not set: using a generated key kept in ${config.instanceDir}. Set SECRET_KEY in production.`,
    );
  }
  if (!config.baseUrl) {
    app.log.warn(
      'BASE_URL is not set: emailed links use the Host header of the request. Set BASE_URL in production.',
    );
  }
  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    app.log.info(`${signal} received: closing`);
    await app.close();
    process.exit(0);
  };
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  process.once('SIGINT', () => void shutdown('SIGINT'));
  await app.listen({ host: config.host, port: config.port });
}
