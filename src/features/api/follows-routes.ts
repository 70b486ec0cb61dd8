import type { SqlEntityManager } from '@mikro-orm/sql';
import type { FastifyInstance, FastifySchema } from 'fastify';
import Type from 'typebox';
import type { Config } from '../../config.ts';
import { Follow, User } from '../../db/entities/index.ts';
import { DomainError } from '../../db/errors.ts';
import { HttpError } from '../../http-error.ts';
import { countFollows, type FollowDirection, followUsers } from '../users/service.ts';
import { caller, requireToken } from './auth.ts';
import {
  BEARER,
  errorResponses,
  NoContent,
  UserListQuery,
  UserListSchema,
} from './openapi-schemas.ts';
import { parsePageRequest } from './pagination.ts';
import {
  findUserByIdOrName,
  parseUserId,
  UserIdOrName,
  type UserSource,
  userPage,
} from './users-routes.ts';

type ById = { Params: { id: string } };

const UserId = Type.Object({ id: Type.String({ description: 'The user id' }) });

/** The `schema` of a follows route: every one needs a bearer token. */
const docs = (summary: string, fields: Omit<FastifySchema, 'summary'>): FastifySchema => ({
  tags: ['follows'],
  summary,
  security: BEARER,
  ...fields,
});

/** The user a `/me/following/<id>` path names (ids only, as in microblog-api), or a 404. */
async function target(em: SqlEntityManager, id: string): Promise<User> {
  const userId = parseUserId(id);
  const user = userId === undefined ? null : await em.findOne(User, userId);
  if (!user) throw new HttpError(404, 'User not found.');
  return user;
}

const isFollowing = async (em: SqlEntityManager, follower: User, followed: User) =>
  (await em.count(Follow, { follower: follower.id, followed: followed.id })) > 0;

/** Self-follows are a 400: the request can never succeed, whatever the state. */
function refuseSelf(me: User, user: User, verb: 'follow' | 'unfollow'): void {
  if (me.id === user.id) throw new HttpError(400, `You cannot ${verb} yourself.`);
}

/** Follows: /me/following/<id>, and the following/followers lists. */
export async function followApiRoutes(
  app: FastifyInstance,
  { config }: { config: Readonly<Config> },
) {
  app.addHook('onRequest', requireToken);

  app.get<ById>(
    '/me/following/:id',
    {
      schema: docs('Check if a user is followed', {
        params: UserId,
        response: { 204: NoContent('The user is followed'), ...errorResponses(401, 404) },
      }),
    },
    async (request, reply) => {
      const user = await target(request.em, request.params.id);
      if (!(await isFollowing(request.em, caller(request), user)))
        throw new HttpError(404, 'You are not following this user.');
      return reply.code(204).send();
    },
  );

  app.post<ById>(
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
      const em = request.em;
      const me = caller(request);
      const user = await target(em, request.params.id);
      refuseSelf(me, user, 'follow');
      const conflict = () => new HttpError(409, 'You are already following this user.');
      if (await isFollowing(em, me, user)) throw conflict();
      em.create(Follow, { follower: me, followed: user });
      try {
        await em.flush();
      } catch (error) {
        // A concurrent identical request inserted the row first: the primary key refused ours.
        if (!(error instanceof DomainError)) throw error;
        em.clear();
        throw conflict();
      }
      return reply.code(204).send();
    },
  );

  app.delete<ById>(
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
      const em = request.em;
      const me = caller(request);
      const user = await target(em, request.params.id);
      refuseSelf(me, user, 'unfollow');
      // One statement: of concurrent identical requests, only one deletes the row.
      const deleted = await em.nativeDelete(Follow, { follower: me.id, followed: user.id });
      if (deleted === 0) throw new HttpError(409, 'You are not following this user.');
      return reply.code(204).send();
    },
  );

  // `following` lists whom the user follows; `followers` who follows the user.
  const listOf = (em: SqlEntityManager, user: User, direction: FollowDirection): UserSource => ({
    count: (upTo) => countFollows(em, user.id, direction, upTo),
    read: (slice) => followUsers(em, user.id, direction, slice),
  });

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
      async (request) =>
        userPage(
          listOf(request.em, caller(request), direction),
          parsePageRequest(request.query),
          config,
        ),
    );

    app.get<ById>(
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
        const page = parsePageRequest(request.query);
        const user = await findUserByIdOrName(request.em, request.params.id);
        if (!user) throw new HttpError(404, 'User not found.');
        return userPage(listOf(request.em, user, direction), page, config);
      },
    );
  }
}
