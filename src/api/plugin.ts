import fastifyCors from '@fastify/cors';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import { type ApiErrorBody, apiErrorBody, describeError, type Translate } from '../errors.ts';
import { deriveKey } from '../security/keys.ts';
import { followApiRoutes } from './follows-routes.ts';
import { strictJsonBodies } from './json-body.ts';
import { messageApiRoutes } from './messages-routes.ts';
import { postApiRoutes } from './posts-routes.ts';
import { tokenRoutes } from './tokens-routes.ts';
import { userApiRoutes } from './users-routes.ts';
import { strictValidator } from './validation.ts';

/**
 * The JSON API under /api, compatible with microblog-api. Everything here answers JSON,
 * errors included; no HTML page is ever returned. The API never authenticates with the
 * session cookie (bearer tokens only), which is why the web's CSRF check skips it.
 */
export async function apiPlugin(app: FastifyInstance) {
  await apiCommon(app);
  app.decorate('accessTokenKey', deriveKey(app.config.secretKey, 'api-access-tokens'));
  app.setValidatorCompiler(strictValidator);
  // Before the routes: the document is built from the schemas they declare.
  await app.register(fastifySwagger, {
    openapi: {
      info: {
        title: 'Microblog API',
        version: '1.0.0',
        description: 'Compatible with microblog-api.',
      },
      servers: [{ url: '/' }],
      components: {
        securitySchemes: {
          token: { type: 'http', scheme: 'bearer' },
          basic: { type: 'http', scheme: 'basic' },
        },
      },
    },
  });
  await app.register(swaggerUi);
  // After the handlers of apiCommon, so the routes' scopes inherit them.
  await app.register(tokenRoutes);
  await app.register(userApiRoutes);
  await app.register(followApiRoutes);
  await app.register(postApiRoutes);
  await app.register(messageApiRoutes);
}

/**
 * Swagger UI renders one <style> element of its own. Its hash, and nothing else inline,
 * is allowed on the docs pages only; an upgrade that changes it shows up as a CSP error
 * in the browser test.
 */
const SWAGGER_UI_STYLE = "'sha256-RL3ie0nH+Lzz2YNqQN83mnU0J1ot4QL7b99vMdIX99w='";

async function swaggerUi(app: FastifyInstance) {
  app.addHook('onSend', async (_request, reply) => {
    const policy = reply.getHeader('content-security-policy');
    if (typeof policy === 'string') {
      reply.header(
        'content-security-policy',
        policy.replace("style-src 'self'", `style-src 'self' ${SWAGGER_UI_STYLE}`),
      );
    }
  });
  // The UI is mounted under /api, which it must know to link its own assets.
  await app.register(fastifySwaggerUi, { routePrefix: '/docs', indexPrefix: '/api' });
}

/** The API's JSON for any error: microblog-api's shape (src/errors.ts decides what to show). */
function errorBody(error: unknown, t: Translate): ApiErrorBody {
  const { status, message, fields, plain, unexpected } = describeError(error, 'json', t);
  if (unexpected) return apiErrorBody(500, message);
  if (fields && plain) return { ...apiErrorBody(status, message), errors: fields };
  if (fields) {
    return {
      ...apiErrorBody(400, t('The request did not validate.')),
      message: 'Validation Error',
      errors: fields,
    };
  }
  const body = apiErrorBody(status, message);
  // The React client reads `errors.json` from any failed form submission; without it a
  // 429 would crash the page instead of showing why.
  if (status === 429) body.errors = { json: { _schema: [message] } };
  return body;
}

/** CORS, and JSON for every error and unknown path, in the current scope. */
export async function apiCommon(app: FastifyInstance) {
  strictJsonBodies(app);
  const { corsOrigins } = app.config;
  await app.register(fastifyCors, {
    // Echo the caller's origin (never `*`), so browsers may send credentials.
    origin: corsOrigins.length > 0 ? corsOrigins : true,
    credentials: true,
    methods: ['GET', 'POST', 'PUT', 'DELETE', 'OPTIONS'],
    allowedHeaders: ['Authorization', 'Content-Type'],
  });

  app.setNotFoundHandler((request, reply) => {
    const { t } = request.translator;
    const allowed = app.allowedMethods(request.url);
    if (allowed.length > 0) {
      reply.header('allow', allowed.join(', '));
      return reply
        .code(405)
        .send(apiErrorBody(405, t('The method is not allowed for the requested URL.')));
    }
    const path = request.url.split('?')[0];
    const missing = t('There is no {method} {path} in the API.', { method: request.method, path });
    return reply.code(404).send(apiErrorBody(404, missing));
  });

  app.setErrorHandler((error, request, reply) => {
    const body = errorBody(error, request.translator.t);
    if (body.code >= 500) {
      request.em?.clear();
      request.log.error({ err: error, reqId: request.id }, 'API request failed');
    }
    return reply.code(body.code).send(body);
  });
}
