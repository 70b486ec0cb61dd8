import formbody from '@fastify/formbody';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { apiPlugin } from './api/plugin.ts';
import type { Config } from './config/load.ts';
import { loadUser, recordVisit } from './domain/accounts.ts';
import { jobHandlers } from './domain/jobs.ts';
import { pageNews } from './domain/news.ts';
import { endSession, loadSession, purgeExpiredSessions, saveSession } from './domain/sessions.ts';
import { accountKeys } from './http/account-keys.ts';
import { startWorker, type Worker, type WorkerOptions } from './jobs/index.ts';
import { allowedMethodsPlugin } from './plugins/allowed-methods.ts';
import { authPlugin, signedIn } from './plugins/auth.ts';
import { csrfPlugin } from './plugins/csrf.ts';
import { errorReportsPlugin } from './plugins/error-reports.ts';
import { errorPagesPlugin } from './plugins/errors.ts';
import { eventsPlugin } from './plugins/events.ts';
import { flashPlugin } from './plugins/flash.ts';
import { i18nPlugin } from './plugins/i18n.ts';
import { jobsPlugin } from './plugins/jobs.ts';
import { mailerPlugin } from './plugins/mailer.ts';
import { metricsPlugin } from './plugins/metrics.ts';
import { ormPlugin } from './plugins/orm.ts';
import { oversizedBodiesPlugin } from './plugins/oversized-bodies.ts';
import { rateLimitPlugin } from './plugins/rate-limit.ts';
import { replicaReadsPlugin } from './plugins/replica-reads.ts';
import { securityPlugin } from './plugins/security.ts';
import { sessionPlugin } from './plugins/session.ts';
import { staticPlugin } from './plugins/static.ts';
import { viewsPlugin } from './plugins/views.ts';
import { redactUrl } from './security/redact.ts';
import { authRoutes } from './web/auth/routes.ts';
import { avatarRoutes } from './web/avatars/routes.ts';
import { healthRoutes } from './web/health/routes.ts';
import { languageRoutes } from './web/language/routes.ts';
import { messageRoutes } from './web/messages/routes.ts';
import { notificationRoutes } from './web/notifications/routes.ts';
import { profileRoutes } from './web/profiles/routes.ts';
import { searchRoutes } from './web/search/routes.ts';
import { timelineRoutes } from './web/timeline/routes.ts';
import { translateRoutes } from './web/translate/routes.ts';

declare module 'fastify' {
  interface FastifyInstance {
    /** The settings, read once at start-up (src/config/). */
    config: Config;
  }
}

export interface BuildOptions {
  /** Apply pending migrations while starting (what `npm start` does). */
  migrate?: boolean;
  logger?: FastifyServerOptions['logger'];
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

/**
 * Builds the application: the cross-cutting plugins first, each given what it needs to
 * know of the domain, then the web pages and the API. docs/architecture.md
 */
export async function buildApp(config: Config, options: BuildOptions = {}) {
  const proxies = config.trustProxy;
  const app = Fastify({
    logger: withRedaction(options.logger ?? false),
    requestIdHeader: false,
    // A number is a hop count; Fastify's types take it as a function.
    trustProxy:
      typeof proxies === 'number' ? (_address: string, hop: number) => hop < proxies : proxies,
    bodyLimit: config.bodyLimit,
  });
  app.decorate('config', config);
  await app.register(allowedMethodsPlugin);
  await app.register(ormPlugin, { migrate: options.migrate });
  await app.register(formbody);
  await app.register(oversizedBodiesPlugin);
  await app.register(securityPlugin);
  await app.register(staticPlugin);
  const rows = {
    save: saveSession,
    load: loadSession,
    end: endSession,
    purgeExpired: purgeExpiredSessions,
  };
  await app.register(sessionPlugin, { rows });
  await app.register(csrfPlugin);
  await app.register(flashPlugin);
  await app.register(authPlugin, { loadUser, recordVisit });
  await app.register(replicaReadsPlugin);
  await app.register(i18nPlugin);
  await app.register(rateLimitPlugin, { accountKeys });
  await app.register(mailerPlugin);
  await app.register(eventsPlugin);
  await app.register(jobsPlugin);
  await app.register(metricsPlugin);
  await app.register(errorReportsPlugin);
  await app.register(viewsPlugin, {
    pageNews: (request) => pageNews(request.em, signedIn(request)),
  });
  await app.register(errorPagesPlugin);
  await app.register(healthRoutes);
  await app.register(avatarRoutes);
  await app.register(timelineRoutes);
  await app.register(authRoutes, { prefix: '/auth' });
  await app.register(profileRoutes);
  await app.register(searchRoutes);
  await app.register(messageRoutes);
  await app.register(notificationRoutes);
  await app.register(languageRoutes);
  await app.register(translateRoutes);
  await app.register(apiPlugin, { prefix: '/api' });
  return app;
}

/**
 * Runs background jobs in the app's own process, on its database, mailer and event bus
 * (`microblog run` unless told not to). Close it before the app.
 */
export function startInProcessWorker(app: FastifyInstance, options: WorkerOptions = {}): Worker {
  const { config, orm, mailer, events, log } = app;
  return startWorker({ config, orm, mailer, events, log }, jobHandlers, options);
}
