/**
 * The response schemas of the API, shared by its routes. They document the API at
 * /api/docs and also serialize the responses (fast-json-stringify drops what a schema
 * does not declare and coerces types), so each one lists every field the handlers send,
 * with its exact type; see `userJson`, the routes' `postJson` and `apiError`.
 */
import Type, { type TSchema } from 'typebox';

const nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

/** A user, as `userJson` writes one. */
export const UserSchema = Type.Object(
  {
    id: Type.Integer(),
    url: Type.String({ description: 'The API URL of this user' }),
    username: Type.String(),
    email: Type.String(),
    has_password: Type.Boolean(),
    avatar_url: Type.String({ description: 'Absolute; append `&s=<px>` for a given size' }),
    about_me: nullable(Type.String({ description: 'Null when never set' })),
    first_seen: nullable(Type.String({ format: 'date-time' })),
    last_seen: nullable(Type.String({ format: 'date-time' })),
    posts_url: Type.String(),
  },
  { description: 'A user' },
);

/** A post with its author. */
export const PostSchema = Type.Object(
  {
    id: Type.Integer(),
    url: Type.String({ description: 'The API URL of this post' }),
    text: Type.String(),
    timestamp: Type.String({ format: 'date-time' }),
    author: UserSchema,
  },
  { description: 'A post' },
);

/**
 * The query string of every list, for the document. The values stay strings here:
 * `parsePageRequest` checks them, so a list answers the same messages either way.
 */
const paginationQuery = (after: string) =>
  Type.Object({
    limit: Type.Optional(Type.String({ description: 'Items per page, 1 to 25 (the default)' })),
    offset: Type.Optional(Type.String({ description: 'Items to skip; not with `after`' })),
    after: Type.Optional(Type.String({ description: after })),
  });
export const PostListQuery = paginationQuery('An ISO timestamp: the posts older than it');
export const PostSearchQuery = Type.Object({
  ...PostListQuery.properties,
  q: Type.Optional(
    Type.String({
      description:
        'Words to search for: the posts holding all of them, best match first; not with `after`',
    }),
  ),
});
export const UserListQuery = paginationQuery('A username: the users after it, by username');

export const PaginationSchema = Type.Object({
  offset: Type.Integer(),
  limit: Type.Integer(),
  count: Type.Integer({ description: 'The number of items in this page' }),
  total: Type.Integer({ description: 'The number of items in the whole list' }),
});

const pageOf = <T extends TSchema>(item: T, description: string) =>
  Type.Object({ data: Type.Array(item), pagination: PaginationSchema }, { description });

export const UserListSchema = pageOf(UserSchema, 'A page of users');

/** A private message, with both its people. */
export const MessageSchema = Type.Object(
  {
    id: Type.Integer(),
    url: Type.String({ description: 'The API URL of this message' }),
    text: Type.String(),
    timestamp: Type.String({ format: 'date-time' }),
    sender: UserSchema,
    recipient: UserSchema,
  },
  { description: 'A private message' },
);
export const MessageListSchema = pageOf(MessageSchema, 'A page of messages');
export const PostListSchema = pageOf(PostSchema, 'A page of posts');

/** The token pair; `refresh_token` is null unless sent in the body too (else only as a cookie). */
export const TokensSchema = Type.Object(
  {
    access_token: Type.String(),
    refresh_token: nullable(Type.String()),
  },
  { description: 'An access token, and a refresh token' },
);

/** A success without a body. */
export const NoContent = (description: string) => Type.Null({ description });

const errorFields = {
  code: Type.Integer({ description: 'The HTTP status code' }),
  message: Type.String({ description: 'The reason phrase' }),
  description: Type.String(),
};

/** Every error but a validation failure. */
export const ErrorSchema = Type.Object(errorFields, { description: 'An error' });

/**
 * A 400. A schema or field check fails with message "Validation Error" and `errors`,
 * messages by location (`json`, `query`, `path`) and field; other 400s have no `errors`.
 * A 429 has the same shape: its message is repeated in `errors.json._schema`.
 */
export const ValidationErrorSchema = Type.Object(
  {
    ...errorFields,
    errors: Type.Optional(
      Type.Record(Type.String(), Type.Record(Type.String(), Type.Array(Type.String())), {
        description: 'Messages by location, then by field',
      }),
    ),
  },
  { description: 'Validation Error' },
);

const ERROR_DESCRIPTIONS: Record<number, string> = {
  400: 'Validation Error',
  401: 'Unauthorized: no valid token or credentials',
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
  413: 'Payload Too Large',
  429: 'Too Many Requests',
};

/** The error responses of a route, by status. */
export function errorResponses(...codes: number[]): Record<number, TSchema> {
  const responses: Record<number, TSchema> = {};
  for (const code of codes) {
    const description = ERROR_DESCRIPTIONS[code] ?? 'Error';
    responses[code] =
      code === 400 || code === 429
        ? Type.Object(ValidationErrorSchema.properties, { description })
        : Type.Object(errorFields, { description });
  }
  return responses;
}

/** The `security` of routes behind a bearer token, of the token endpoint, and of public ones. */
export const BEARER = [{ token: [] }];
export const BASIC = [{ basic: [] }];
export const PUBLIC: never[] = [];
