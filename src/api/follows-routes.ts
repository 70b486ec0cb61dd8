import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyRequest, FastifySchema } from 'fastify';
import Type from 'typebox';
import type { User } from '../db/entities/index.ts';
import { type FollowDirection, follow, isFollowing, unfollow } from '../domain/follows.ts';
import { findUserById, findUserByIdOrName, followsOf, listUsers } from '../domain/users.ts';
import { HttpError } from '../errors.ts';
import { msg } from '../i18n/marker.ts';
import { signedIn } from '../plugins/auth.ts';
import { requireToken } from './auth.ts';
import {
  BEARER,
  errorResponses,
  NoContent,
  UserListQuery,
  UserListSchema,
} from './openapi-schemas.ts';
import { pageReply, parsePageRequest } from './pagination.ts';
import { serializers } from './serializers.ts';
import { UserIdOrName } from './users-routes.ts';

const UserId = Type.Object({ id: Type.String({ description: 'The user id' }) });

/** The `schema` of a follows route: every one needs a bearer token. */
const docs = <S extends Omit<FastifySchema, 'summary'>>(summary: string, fields: S) => ({
  tags: ['follows'],
  summary,
  security: BEARER,
  ...fields,
});

/** The user a `/me/following/<id>` path names (ids only, as in microblog-api), or a 404. */
async function target(request: FastifyRequest, id: string): Promise<User> {
  const user = await findUserById(request.em, id);
  if (!user) throw new HttpError(404, msg('User not found.'));
  return user;
}

/** Self-follows are a 400: the request can never succeed, whatever the state. */
const cannot = (message: string) => new HttpError(400, message);

/** A page of one side of someone's follows, by username. */
async function followList(request: FastifyRequest, user: User, direction: FollowDirection) {
  const page = parsePageRequest(request.query);
  const list = await listUsers(followsOf(request.em, user.id, direction), page);
  const { userJson } = serializers(request);
  return pageReply(list.items.map(userJson), { ...page, offset: list.offset }, list.total);
}

/** Follows: /me/following/<id>, and the following/followers lists. */
export async function followApiRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  app.addHook('onRequest', requireToken);

  app.get(
    '/me/following/:id',
    {
      schema: docs('Check if a user is followed', {
        params: UserId,
        response: { 204: NoContent('The user is followed'), ...errorResponses(401, 404) },
      }),
    },
    async (request, reply) => {
      const user = await target(request, request.params.id);
      if (!(await isFollowing(request.em, signedIn(request), user)))
        throw new HttpError(404, msg('You are not following this user.'));
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/me/following/:id',
    {
      schema: docs('Follow a user', {
        params: UserId,
        response: {
          204: NoContent('The user is now followed'),
          ...errorResponses(400, 401, 404, 409),
        },
      }),
    },
    async (request, reply) => {
      const user = await target(request, request.params.id);
      const outcome = await follow(request.em, signedIn(request), user);
      if (outcome === 'self') throw cannot(msg('You cannot follow yourself.'));
      if (outcome === 'already')
        throw new HttpError(409, msg('You are already following this user.'));
      return reply.code(204).send(null);
    },
  );

  app.delete(
    '/me/following/:id',
    {
      schema: docs('Unfollow a user', {
        params: UserId,
        response: {
          204: NoContent('The user is no longer followed'),
          ...errorResponses(400, 401, 404, 409),
        },
      }),
    },
    async (request, reply) => {
      const user = await target(request, request.params.id);
      const outcome = await unfollow(request.em, signedIn(request), user);
      if (outcome === 'self') throw cannot(msg('You cannot unfollow yourself.'));
      if (outcome === 'not-following')
        throw new HttpError(409, msg('You are not following this user.'));
      return reply.code(204).send(null);
    },
  );

  const whom = { following: 'the users followed by', followers: 'the followers of' };

  for (const direction of ['following', 'followers'] as const) {
    const listed = { 200: UserListSchema, ...errorResponses(400, 401) };
    app.get(
      `/me/${direction}`,
      {
        schema: docs(`Retrieve ${whom[direction]} the authenticated user`, {
          description: 'Ordered by username; `after` is a username.',
          querystring: UserListQuery,
          response: listed,
        }),
      },
      (request) => followList(request, signedIn(request), direction),
    );

    app.get(
      `/users/:id/${direction}`,
      {
        schema: docs(`Retrieve ${whom[direction]} a user`, {
          description: 'Ordered by username; `after` is a username.',
          params: UserIdOrName,
          querystring: UserListQuery,
          response: { ...listed, ...errorResponses(404) },
        }),
      },
      async (request) => {
        const user = await findUserByIdOrName(request.em, request.params.id);
        if (!user) throw new HttpError(404, msg('User not found.'));
        return followList(request, user, direction);
      },
    );
  }
}
