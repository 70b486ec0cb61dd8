import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import Type from 'typebox';
import { registerUser, updateAccount } from '../domain/accounts.ts';
import { ABOUT_ME, ABOUT_ME_MAX, API_PASSWORD, EMAIL, USERNAME } from '../domain/rules.ts';
import { accessTokenHash } from '../domain/tokens.ts';
import { everyone, findUserByIdOrName, listUsers } from '../domain/users.ts';
import { HttpError, ValidationError } from '../errors.ts';
import { msg } from '../i18n/marker.ts';
import { signedIn } from '../plugins/auth.ts';
import { bearerToken, requireToken } from './auth.ts';
import {
  BEARER,
  errorResponses,
  PUBLIC,
  UserListQuery,
  UserListSchema,
  UserSchema,
} from './openapi-schemas.ts';
import { pageReply, parsePageRequest } from './pagination.ts';
import { serializers } from './serializers.ts';

/** microblog-api's `about_me`: null clears it. */
const NULLABLE_ABOUT_ME = Type.Union([ABOUT_ME, Type.Null()], {
  errorMessage: {
    template: msg('Use at most {limit} characters, or null.'),
    values: { limit: ABOUT_ME_MAX },
  },
});

const CreateUserBody = Type.Object(
  {
    username: USERNAME,
    email: EMAIL,
    password: API_PASSWORD,
    about_me: Type.Optional(NULLABLE_ABOUT_ME),
  },
  { additionalProperties: false },
);
const UpdateUserBody = Type.Object(
  {
    username: Type.Optional(USERNAME),
    email: Type.Optional(EMAIL),
    about_me: Type.Optional(NULLABLE_ABOUT_ME),
    password: Type.Optional(API_PASSWORD),
    old_password: Type.Optional(Type.String({ maxLength: 256 })),
  },
  { additionalProperties: false },
);

/** A path segment naming a user: all digits is an id, anything else a username. */
export const UserIdOrName = Type.Object({
  id: Type.String({ description: 'A user id, or a username' }),
});

export async function userApiRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['users'];

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
      const { about_me: aboutMe, ...fields } = request.body;
      const user = await registerUser(request.em, { ...fields, aboutMe });
      return reply.code(201).send(serializers(request).userJson(user));
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
    async (request) => {
      const page = parsePageRequest(request.query);
      const list = await listUsers(everyone(request.em), page);
      const { userJson } = serializers(request);
      return pageReply(list.items.map(userJson), { ...page, offset: list.offset }, list.total);
    },
  );

  app.get(
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
    async (request) => {
      const user = await findUserByIdOrName(request.em, request.params.id);
      if (!user) throw new HttpError(404, msg('User not found.'));
      return serializers(request).userJson(user);
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
    async (request) => serializers(request).userJson(signedIn(request)),
  );

  app.put(
    '/me',
    {
      onRequest: requireToken,
      // Guessing `old_password` here is limited like the web's password form.
      preHandler: async function limitPasswordChanges(request, reply) {
        const { password, old_password } = request.body;
        if (password !== undefined || old_password !== undefined)
          await app.rateLimits.password.call(this, request, reply);
      },
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
      const user = signedIn(request);
      const { about_me: aboutMe, old_password, password, ...fields } = request.body;
      // microblog-api answers a new password without the old one with a bare 400.
      if (password !== undefined && old_password === undefined) {
        const needed = msg('The current password is needed to set a new one.');
        throw new ValidationError('json', 'old_password', needed, { plain: true });
      }
      // A new password signs the account out everywhere but in the client that changed it.
      const kept = accessTokenHash(bearerToken(request) ?? '', app.accessTokenKey) ?? undefined;
      const outcome = await updateAccount(request.em, user, {
        ...fields,
        aboutMe,
        currentPassword: old_password,
        newPassword: password,
        keep: { accessTokenHash: kept },
      });
      if (outcome === 'wrong-password')
        throw new ValidationError('json', 'old_password', msg('Password is incorrect'));
      return serializers(request).userJson(user);
    },
  );
}
