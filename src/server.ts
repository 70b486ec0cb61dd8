import type { FastifyServerOptions } from 'fastify';
import { buildApp } from './app.ts';
import { loadConfig } from './config/load.ts';

function loggerOptions(level: string): FastifyServerOptions['logger'] {
  // Pretty lines for a person at a terminal; JSON lines for everything else.
  if (!process.stdout.isTTY) return { level };
  return {
    level,
    transport: { target: 'pino-pretty', options: { translateTime: 'SYS:HH:MM:ss' } },
  };
}

/** Starts the server and closes it (and the database) cleanly on SIGTERM or SIGINT. */
export async function runServer(overrides: { host?: string; port?: string } = {}) {
  const config = loadConfig({
    ...process.env,
    ...(overrides.host ? { HOST: overrides.host } : {}),
    ...(overrides.port ? { PORT: overrides.port } : {}),
  });
  const app = await buildApp(config, { migrate: true, logger: loggerOptions(config.logLevel) });
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
