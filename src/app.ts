import formbody from '@fastify/formbody';
import Fastify, { type FastifyServerOptions } from 'fastify';
import type { Config } from './config.ts';
import { apiPlugin } from './features/api/plugin.ts';
import { authRoutes } from './features/auth/routes.ts';
import { avatarRoutes } from './features/avatars/routes.ts';
import { healthRoutes } from './features/health/routes.ts';
import { mainRoutes } from './features/main/routes.ts';
import { userRoutes } from './features/users/routes.ts';
import { authPlugin } from './plugins/auth.ts';
import { csrfPlugin } from './plugins/csrf.ts';
import { errorPagesPlugin } from './plugins/errors.ts';
import { flashPlugin } from './plugins/flash.ts';
import { mailerPlugin } from './plugins/mailer.ts';
import { ormPlugin } from './plugins/orm.ts';
import { rateLimitPlugin } from './plugins/rate-limit.ts';
import { securityPlugin } from './plugins/security.ts';
import { sessionPlugin } from './plugins/session.ts';
import { staticPlugin } from './plugins/static.ts';
import { viewsPlugin } from './plugins/views.ts';

export interface BuildOptions {
  /** Apply pending migrations while starting (what `npm start` does). */
  migrate?: boolean;
  logger?: FastifyServerOptions['logger'];
}

/** Password-reset links are live credentials for 15 minutes: never log one. */
function redactUrl(url: string): string {
  return url.replace(/^(\/auth\/reset_password\/)[^?#]*/, '$1[redacted]');
}

function withRedaction(logger: FastifyServerOptions['logger']): FastifyServerOptions['logger'] {
  if (!logger || typeof logger !== 'object') return logger;
  return {
    ...logger,
    serializers: {
      req: (request: { method: string; url: string; ip?: string }) => ({
        method: request.method,
        url: redactUrl(request.url),
        remoteAddress: request.ip,
      }),
    },
  };
}

/** Builds the application: cross-cutting plugins first, then the features. */
export async function buildApp(config: Readonly<Config>, options: BuildOptions = {}) {
  const proxies = config.trustProxy;
  const app = Fastify({
    logger: withRedaction(options.logger ?? false),
    requestIdHeader: false,
    // A number is a hop count; Fastify's types take it as a function.
    trustProxy:
      typeof proxies === 'number' ? (_address: string, hop: number) => hop < proxies : proxies,
    bodyLimit: config.bodyLimit,
  });
  await app.register(ormPlugin, { config, migrate: options.migrate });
  await app.register(formbody);
  await app.register(securityPlugin);
  await app.register(staticPlugin);
  await app.register(sessionPlugin, { config });
  await app.register(csrfPlugin);
  await app.register(flashPlugin);
  await app.register(authPlugin);
  await app.register(rateLimitPlugin, { config });
  await app.register(mailerPlugin, { config });
  await app.register(viewsPlugin, { config });
  await app.register(errorPagesPlugin);
  await app.register(healthRoutes);
  await app.register(avatarRoutes);
  await app.register(mainRoutes, { config });
  await app.register(authRoutes, { prefix: '/auth', config });
  await app.register(userRoutes, { config });
  await app.register(apiPlugin, { prefix: '/api', config });
  return app;
}
