import Fastify, { type FastifyServerOptions } from 'fastify';
import type { Config } from './config.ts';
import { healthRoutes } from './features/health/routes.ts';
import { mainRoutes } from './features/main/routes.ts';
import { errorPagesPlugin } from './plugins/errors.ts';
import { ormPlugin } from './plugins/orm.ts';
import { viewsPlugin } from './plugins/views.ts';

export interface BuildOptions {
  /** Apply pending migrations while starting (what `npm start` does). */
  migrate?: boolean;
  logger?: FastifyServerOptions['logger'];
}

/** Builds the application: cross-cutting plugins first, then the features. */
export async function buildApp(config: Readonly<Config>, options: BuildOptions = {}) {
  const app = Fastify({
    logger: options.logger ?? false,
    requestIdHeader: false,
  });
  await app.register(ormPlugin, { config, migrate: options.migrate });
  await app.register(viewsPlugin);
  await app.register(errorPagesPlugin);
  await app.register(healthRoutes);
  await app.register(mainRoutes);
  return app;
}
