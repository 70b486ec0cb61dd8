import type { FastifyRequest } from 'fastify';
import { loginAccountKey } from '../domain/accounts.ts';
import { plausibleName } from '../domain/input.ts';
import type { AccountKeys } from '../plugins/rate-limit.ts';
import { basicCredentials } from '../security/basic-auth.ts';

/** A field of the form or JSON body, if it could name an account. */
function bodyField(request: FastifyRequest, name: string): string | undefined {
  return plausibleName((request.body as Record<string, unknown> | undefined)?.[name]);
}

/**
 * Whose account an attempt is against, for the per-account rate limits of the web pages
 * and the API alike: the login form, the API's Basic credentials, the username asked for,
 * or the signed-in caller.
 */
export const accountKeys: AccountKeys = {
  login: async (request) => {
    const login =
      bodyField(request, 'username') ??
      plausibleName(basicCredentials(request.headers.authorization)?.[0]);
    return login === undefined ? undefined : loginAccountKey(request.em, login);
  },
  register: async (request) => bodyField(request, 'username')?.toLowerCase(),
  password: async (request) =>
    request.user ? `user:${request.user.id}` : bodyField(request, 'email')?.toLowerCase(),
  messages: async (request) => (request.user ? `user:${request.user.id}` : undefined),
};
