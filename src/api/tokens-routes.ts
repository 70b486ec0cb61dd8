import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import Type from 'typebox';
import { authenticate } from '../domain/accounts.ts';
import { requestPasswordReset, resetPassword } from '../domain/password-reset.ts';
import { API_PASSWORD, EMAIL } from '../domain/rules.ts';
import {
  type IssuedTokens,
  issueTokens,
  revokeAccessToken,
  rotateTokens,
} from '../domain/tokens.ts';
import { HttpError, ValidationError } from '../errors.ts';
import { msg } from '../i18n/marker.ts';
import { basicCredentials } from '../security/basic-auth.ts';
import { bearerToken, MAX_TOKEN_LENGTH, requireToken } from './auth.ts';
import {
  BASIC,
  BEARER,
  errorResponses,
  NoContent,
  PUBLIC,
  TokensSchema,
} from './openapi-schemas.ts';

const REFRESH_COOKIE = 'refresh_token';

const RefreshBody = Type.Object(
  {
    access_token: Type.String({ maxLength: MAX_TOKEN_LENGTH }),
    refresh_token: Type.Optional(Type.String({ maxLength: MAX_TOKEN_LENGTH })),
  },
  { additionalProperties: false },
);
const ResetRequestBody = Type.Object({ email: EMAIL }, { additionalProperties: false });
const ResetBody = Type.Object(
  { token: Type.String({ minLength: 1, maxLength: 1024 }), new_password: API_PASSWORD },
  { additionalProperties: false },
);

/** A failed login: never a Basic challenge, which would pop up a browser dialog. */
function invalidCredentials(reply: FastifyReply): never {
  reply.header('www-authenticate', 'Form');
  throw new HttpError(401, msg('Invalid username or password.'));
}

export async function tokenRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { tokens: settings, secretKey } = app.config;
  const send = (
    request: FastifyRequest,
    reply: FastifyReply,
    tokens: IssuedTokens,
    status = 200,
  ) => {
    const secure = request.protocol === 'https';
    // HttpOnly and scoped to this endpoint; cross-site clients need SameSite=None, which
    // browsers accept only with Secure.
    reply.setCookie(REFRESH_COOKIE, tokens.refreshToken, {
      path: '/api/tokens',
      httpOnly: true,
      secure,
      sameSite: secure ? 'none' : 'lax',
      maxAge: settings.refreshDays * 86_400,
    });
    return reply.code(status).send({
      access_token: tokens.accessToken,
      refresh_token: settings.refreshInBody ? tokens.refreshToken : null,
    });
  };

  const tags = ['tokens'];

  app.post(
    '/tokens',
    {
      preHandler: app.rateLimits.login,
      schema: {
        tags,
        summary: 'Create new access and refresh tokens',
        description:
          'Logs in with HTTP Basic credentials. The refresh token is also set as an HttpOnly cookie.',
        security: BASIC,
        response: { 200: TokensSchema, ...errorResponses(401, 413, 429) },
      },
    },
    async (request, reply) => {
      const credentials = basicCredentials(request.headers.authorization);
      if (!credentials) return invalidCredentials(reply);
      const user = await authenticate(request.em, credentials[0], credentials[1]);
      if (!user) return invalidCredentials(reply);
      return send(
        request,
        reply,
        await issueTokens(request.em, user, settings, app.accessTokenKey),
      );
    },
  );

  app.put(
    '/tokens',
    {
      schema: {
        tags,
        summary: 'Refresh an access token',
        description:
          'Takes the expired access token, and the refresh token from the body or its cookie.',
        security: PUBLIC,
        body: RefreshBody,
        response: { 200: TokensSchema, ...errorResponses(400, 401, 413) },
      },
    },
    async (request, reply) => {
      const access = request.body.access_token;
      const refresh = request.body.refresh_token ?? request.cookies[REFRESH_COOKIE];
      if (!access || !refresh || refresh.length > MAX_TOKEN_LENGTH) {
        throw new HttpError(401, msg('A valid access token and refresh token are required.'));
      }
      const tokens = await rotateTokens(request.em, access, refresh, settings, app.accessTokenKey);
      if (!tokens) throw new HttpError(401, msg('The tokens are invalid or expired.'));
      return send(request, reply, tokens);
    },
  );

  // Password reset: always 204, whether or not the address has an account.
  app.post(
    '/tokens/reset',
    {
      preHandler: app.rateLimits.password,
      schema: {
        tags,
        summary: 'Request a password reset email',
        security: PUBLIC,
        body: ResetRequestBody,
        response: {
          204: NoContent('Accepted, whether or not the address has an account'),
          ...errorResponses(400, 413, 429),
        },
      },
    },
    async (request, reply) => {
      // Queued, like the web form's: the answer never depends on the address.
      const link = { url: settings.passwordResetUrl, tokenIn: 'query' } as const;
      const { locale } = request.translator;
      await requestPasswordReset(app.jobs, request.body.email, link, locale).catch((error) =>
        request.log.error({ err: error }, 'could not queue a password reset email'),
      );
      return reply.code(204).send(null);
    },
  );

  app.put(
    '/tokens/reset',
    {
      preHandler: app.rateLimits.password,
      schema: {
        tags,
        summary: 'Reset a password with the emailed token',
        security: PUBLIC,
        body: ResetBody,
        response: { 204: NoContent('The password is changed'), ...errorResponses(400, 413, 429) },
      },
    },
    async (request, reply) => {
      const { token, new_password: password } = request.body;
      // A new password ends every API token and web session of the account.
      const outcome = await resetPassword(request.em, token, password, secretKey);
      // A bare 400 in microblog-api; `errors.json` too, which React reads on any failure.
      if (outcome === 'invalid-token') {
        const invalid = msg('The token is invalid or has expired.');
        throw new ValidationError('json', 'token', invalid, { plain: true });
      }
      return reply.code(204).send(null);
    },
  );

  app.delete(
    '/tokens',
    {
      onRequest: requireToken,
      schema: {
        tags,
        summary: 'Revoke an access token',
        security: BEARER,
        response: { 204: NoContent('The token is revoked'), ...errorResponses(401) },
      },
    },
    async (request, reply) => {
      await revokeAccessToken(request.em, bearerToken(request) ?? '', app.accessTokenKey);
      return reply.code(204).send(null);
    },
  );
}
