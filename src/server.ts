import { buildApp, startInProcessWorker } from './app.ts';
import { loadConfig } from './config/load.ts';
import { loggerOptions } from './logging.ts';

export interface ServerOptions {
  host?: string;
  port?: string;
  /** false (`--no-worker`) leaves background jobs to `microblog worker` processes. */
  worker?: boolean;
  /** false when the cluster's primary has applied the migrations already. */
  migrate?: boolean;
}

/**
 * Starts the server, and a worker of background jobs in the same process unless
 * IN_PROCESS_WORKER=false or `--no-worker`. On SIGTERM or SIGINT the worker stops taking
 * jobs and finishes (or hands back) those it runs, then the server and the database close.
 */
export async function runServer({
  worker = true,
  migrate = true,
  ...overrides
}: ServerOptions = {}) {
  const config = loadConfig({
    ...process.env,
    ...(overrides.host ? { HOST: overrides.host } : {}),
    ...(overrides.port ? { PORT: overrides.port } : {}),
  });
  const app = await buildApp(config, { migrate, logger: loggerOptions(config) });
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
  const jobs = worker && config.inProcessWorker ? startInProcessWorker(app) : undefined;
  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    app.log.info(`${signal} received: closing`);
    await jobs?.close();
    await app.close();
    process.exit(0);
  };
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  process.once('SIGINT', () => void shutdown('SIGINT'));
  await app.listen({ host: config.host, port: config.port });
}
