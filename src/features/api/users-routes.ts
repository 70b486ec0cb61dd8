import type { SqlEntityManager } from '@mikro-orm/sql';
import type { FastifyInstance, preHandlerAsyncHookHandler } from 'fastify';
import Type, { type Static } from 'typebox';
import type { Config } from '../../config.ts';
import { User } from '../../db/entities/index.ts';
import { DomainError } from '../../db/errors.ts';
import { API_PASSWORD, EMAIL, USERNAME } from '../auth/schemas.ts';
import { assertAvailable, changePassword, registerUser } from '../auth/service.ts';
import { bearerToken, caller, requireToken } from './auth.ts';
import { ApiValidationError, apiError } from './errors.ts';
import {
  BEARER,
  errorResponses,
  PUBLIC,
  UserListQuery,
  UserListSchema,
  UserSchema,
} from './openapi-schemas.ts';
import { type PageRequest, pageReply, parsePageRequest } from './pagination.ts';
import { userJson } from './serializers.ts';
import { accessTokenHash } from './tokens-service.ts';

// The field rules of microblog-api, shared by registration and PUT /api/me.
const ABOUT_ME = Type.Union([Type.String({ maxLength: 140 }), Type.Null()], {
  errorMessage: 'Use at most 140 characters, or null.',
});

const CreateUserBody = Type.Object(
  { username: USERNAME, email: EMAIL, password: API_PASSWORD, about_me: Type.Optional(ABOUT_ME) },
  { additionalProperties: false },
);
const UpdateUserBody = Type.Object(
  {
    username: Type.Optional(USERNAME),
    email: Type.Optional(EMAIL),
    about_me: Type.Optional(ABOUT_ME),
    password: Type.Optional(API_PASSWORD),
    old_password: Type.Optional(Type.String({ maxLength: 256 })),
  },
  { additionalProperties: false },
);

/** A path segment naming a user: all digits is an id, anything else a username. */
export const UserIdOrName = Type.Object({
  id: Type.String({ description: 'A user id, or a username' }),
});

/** The largest id the `user.id` column (a 32-bit integer on PostgreSQL and MariaDB) holds. */
const MAX_ID = 2_147_483_647;
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching them is the point.
const CONTROL_CHARACTERS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;

/** Text no column should hold: NUL and other control characters, or lone surrogates. */
const unsafeText = (value: string) => CONTROL_CHARACTERS.test(value) || !value.isWellFormed();

/** Refuses body strings with control characters or lone UTF-16 surrogates, per field. */
export function assertCleanText(body: Record<string, unknown>): void {
  for (const [field, value] of Object.entries(body)) {
    if (typeof value === 'string' && unsafeText(value))
      throw new ApiValidationError('json', field, 'Contains characters that are not allowed.');
  }
}

/** A path id as a user id, or undefined when it cannot name one (negative, not digits, too big). */
export function parseUserId(value: string): number | undefined {
  if (!/^\d{1,10}$/.test(value)) return undefined;
  const id = Number(value);
  return id >= 1 && id <= MAX_ID ? id : undefined;
}

/** The user a path segment names: all digits is an id, anything else a username. */
export async function findUserByIdOrName(
  em: SqlEntityManager,
  value: string,
): Promise<User | null> {
  if (/^\d+$/.test(value)) {
    const id = parseUserId(value);
    return id === undefined ? null : em.findOne(User, id);
  }
  if (value.length > 64 || unsafeText(value)) return null;
  return em.findOne(User, { username: value });
}

/** A 404 naming what the caller asked for. */
export const userNotFound = () => apiError(404, 'User not found.');

/** Where a page of users comes from: everyone, or one side of someone's follows. */
export interface UserSource {
  /** How many users there are, or with `upTo`, how many sort at or before that username. */
  count(upTo?: string): Promise<number>;
  /** Users `offset` to `offset + count` by username, or those after the username `after`. */
  read(slice: { offset: number; count: number; after?: string }): Promise<User[]>;
}

export const everyone = (em: SqlEntityManager): UserSource => ({
  count: (upTo) => em.count(User, upTo === undefined ? {} : { username: { $lte: upTo } }),
  read: ({ offset, count, after }) =>
    em.find(User, after === undefined ? {} : { username: { $gt: after } }, {
      orderBy: { username: 'asc' },
      limit: count,
      offset,
    }),
});

/**
 * A page of users, ordered by username. With an `after` cursor, the reported offset is
 * the number of users up to and including it, as in microblog-api, so walking with
 * `offset` and with `after` report the same pages.
 */
export async function userPage(source: UserSource, page: PageRequest, config: Readonly<Config>) {
  const total = await source.count();
  const after = page.after;
  const offset = after === undefined ? page.offset : await source.count(after);
  // An offset past the end reads nothing: pageReply refuses it.
  const users =
    after === undefined && offset >= total
      ? []
      : await source.read({ offset: after === undefined ? offset : 0, count: page.limit, after });
  return pageReply(
    users.map((user) => userJson(user, config)),
    { ...page, offset },
    total,
  );
}

/** Runs `write`, turning a DomainError naming a field into a 400 on that JSON field. */
async function asFieldErrors<T>(write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (error instanceof DomainError)
      throw new ApiValidationError('json', error.field ?? '_schema', error.message);
    throw error;
  }
}

export async function userApiRoutes(
  app: FastifyInstance,
  { config }: { config: Readonly<Config> },
) {
  const json = (user: User) => userJson(user, config);
  const tags = ['users'];
  // Guessing `old_password` through PUT /api/me is limited like the web's password form.
  const limitPasswordChanges: preHandlerAsyncHookHandler = async function (request, reply) {
    const body = request.body as { password?: unknown; old_password?: unknown } | undefined;
    if (body?.password !== undefined || body?.old_password !== undefined)
      await app.rateLimits.password.call(this, request, reply);
  };

  // Registration is public: a bogus `Authorization` header is simply ignored.
  app.post(
    '/users',
    {
      preHandler: app.rateLimits.register,
      schema: {
        tags,
        summary: 'Register a new user',
        security: PUBLIC,
        body: CreateUserBody,
        response: { 201: UserSchema, ...errorResponses(400, 413, 429) },
      },
    },
    async (request, reply) => {
      const body = request.body as Static<typeof CreateUserBody>;
      assertCleanText(body);
      const user = await asFieldErrors(() => registerUser(request.em, body));
      return reply.code(201).send(json(user));
    },
  );

  app.get(
    '/users',
    {
      onRequest: requireToken,
      schema: {
        tags,
        summary: 'Retrieve all users',
        description: 'Ordered by username; `after` is a username.',
        security: BEARER,
        querystring: UserListQuery,
        response: { 200: UserListSchema, ...errorResponses(400, 401) },
      },
    },
    async (request) => userPage(everyone(request.em), parsePageRequest(request.query), config),
  );

  app.get<{ Params: { id: string } }>(
    '/users/:id',
    {
      onRequest: requireToken,
      schema: {
        tags,
        summary: 'Retrieve a user by id or username',
        security: BEARER,
        params: UserIdOrName,
        response: { 200: UserSchema, ...errorResponses(401, 404) },
      },
    },
    async (request, reply) => {
      const user = await findUserByIdOrName(request.em, request.params.id);
      return user ? json(user) : reply.code(404).send(userNotFound());
    },
  );

  app.get(
    '/me',
    {
      onRequest: requireToken,
      schema: {
        tags,
        summary: 'Retrieve the authenticated user',
        security: BEARER,
        response: { 200: UserSchema, ...errorResponses(401) },
      },
    },
    async (request) => json(caller(request)),
  );

  app.put(
    '/me',
    {
      onRequest: requireToken,
      preHandler: limitPasswordChanges,
      schema: {
        tags,
        summary: 'Edit the authenticated user',
        description: 'Changing the password requires the correct `old_password`.',
        security: BEARER,
        body: UpdateUserBody,
        response: { 200: UserSchema, ...errorResponses(400, 401, 413, 429) },
      },
    },
    async (request) => {
      const body = request.body as Static<typeof UpdateUserBody>;
      assertCleanText(body);
      const user = caller(request);
      const em = request.em;
      // A given old_password must be right even without a new password, as in microblog-api.
      if (body.password !== undefined || body.old_password !== undefined) {
        const correct =
          body.old_password !== undefined && (await user.checkPassword(body.old_password));
        if (!correct) throw new ApiValidationError('json', 'old_password', 'Incorrect password.');
      }
      const email = body.email?.trim().toLowerCase();
      await asFieldErrors(async () => {
        await assertAvailable(
          em,
          {
            username:
              body.username !== undefined && body.username !== user.username
                ? body.username
                : undefined,
            email: email !== undefined && email !== user.email ? email : undefined,
          },
          user.id,
        );
        if (body.username !== undefined) user.username = body.username;
        if (email !== undefined) user.email = email;
        if (body.about_me !== undefined)
          user.aboutMe = body.about_me?.trim() ? body.about_me : null;
        if (body.password === undefined) return em.flush();
        // A new password signs the account out everywhere but in the client that changed it.
        const kept = accessTokenHash(bearerToken(request) ?? '', app.accessTokenKey) ?? undefined;
        await changePassword(em, user, body.password, { accessTokenHash: kept });
      });
      return json(user);
    },
  );
}
