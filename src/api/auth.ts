import type { FastifyReply, FastifyRequest } from 'fastify';
import { recordVisit } from '../domain/accounts.ts';
import { userForAccessToken } from '../domain/tokens.ts';
import { HttpError } from '../errors.ts';
import { msg } from '../i18n/marker.ts';

declare module 'fastify' {
  interface FastifyInstance {
    /** Signs and verifies the API's access tokens; derived from SECRET_KEY. */
    accessTokenKey: string;
  }
}

/** Ours are about 130 characters; anything far longer is refused without parsing. */
export const MAX_TOKEN_LENGTH = 512;

/** The token of an `Authorization: Bearer …` header, if any. */
export function bearerToken(request: FastifyRequest): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.authorization ?? '');
  return match?.[1];
}

/**
 * onRequest hook of every endpoint but registration and password reset: the token's owner
 * becomes `request.user`. It runs before the body is validated, as in microblog-api: an
 * expired token is a 401 whatever the body, which is what tells a client to refresh it.
 */
export async function requireToken(request: FastifyRequest, reply: FastifyReply) {
  const token = bearerToken(request);
  const user =
    token && token.length <= MAX_TOKEN_LENGTH
      ? await userForAccessToken(request.em, token, request.server.accessTokenKey)
      : null;
  if (!user) {
    // A Bearer challenge, as microblog-api's; browsers show no login dialog for it.
    reply.header('www-authenticate', 'Bearer realm="Authentication Required"');
    throw new HttpError(401, msg('A valid access token is required.'));
  }
  request.user = user;
  await recordVisit(request.em, user);
}
