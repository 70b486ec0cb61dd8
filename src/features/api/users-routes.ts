import type { FastifyInstance } from 'fastify';
import type { Config } from '../../config.ts';
import { caller, requireToken } from './auth.ts';
import { userJson } from './serializers.ts';

export async function userApiRoutes(
  app: FastifyInstance,
  { config }: { config: Readonly<Config> },
) {
  app.get('/me', { preHandler: requireToken }, async (request) =>
    userJson(caller(request), config.avatarProvider),
  );
}
