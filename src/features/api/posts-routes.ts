import type { FastifyInstance, FastifyRequest } from 'fastify';
import Type, { type Static } from 'typebox';
import type { Config } from '../../config.ts';
import type { Post, User } from '../../db/entities/index.ts';
import { HttpError } from '../../http-error.ts';
import { caller, requireToken } from './auth.ts';
import {
  BEARER,
  errorResponses,
  NoContent,
  PostListQuery,
  PostListSchema,
  PostSchema,
} from './openapi-schemas.ts';
import { afterTime, type PageRequest, pageReply, parsePageRequest } from './pagination.ts';
import {
  allPosts,
  createPost,
  deletePost,
  feed,
  findPost,
  ownPost,
  type PostAuthor,
  type PostList,
  type PostWindow,
  parseId,
  postsOf,
  updatePost,
  userExists,
} from './posts-service.ts';
import { userJson } from './serializers.ts';

/**
 * 1 to 280 characters, counted as code points. Tab and line breaks are fine; NUL, other
 * control characters and lone UTF-16 surrogates are not (a `u`-mode pattern matches a
 * lone surrogate but never half of a valid pair).
 */
const TEXT = Type.String({
  minLength: 1,
  maxLength: 280,
  pattern: '^[^\\u0000-\\u0008\\u000b\\u000c\\u000e-\\u001f\\u007f\\ud800-\\udfff]*$',
  errorMessage: 'Use 1 to 280 characters, without control characters.',
});

const NewPost = Type.Object({ text: TEXT }, { additionalProperties: false });
// microblog-api updates partially: a body without `text` changes nothing.
const EditPost = Type.Object({ text: Type.Optional(TEXT) }, { additionalProperties: false });
const PostId = Type.Object({ id: Type.String({ description: 'The post id' }) });
const UserId = Type.Object({ id: Type.String({ description: 'The user id' }) });

const timestamp = (date: Date) => date.toISOString();

/** A post entity, written by `author`, as the fields the serializer reads. */
const postRecord = (post: Post, author: PostAuthor) => ({
  id: post.id,
  body: post.body,
  timestamp: post.timestamp,
  author,
});

export async function postApiRoutes(
  app: FastifyInstance,
  { config }: { config: Readonly<Config> },
) {
  const postJson = (post: { id: number; body: string; timestamp: Date; author: PostAuthor }) => ({
    id: post.id,
    url: `/api/posts/${post.id}`,
    text: post.body,
    timestamp: timestamp(post.timestamp),
    // userJson reads only these fields, which a plain row provides.
    author: userJson(post.author as User, config),
  });

  const listReply = (list: PostList, request: PageRequest) =>
    pageReply(list.items.map(postJson), { ...request, offset: list.offset }, list.total);

  const windowOf = (request: FastifyRequest): [PageRequest, PostWindow] => {
    const page = parsePageRequest(request.query);
    return [page, { limit: page.limit, offset: page.offset, after: afterTime(page) }];
  };

  const postId = (value: string) => {
    const id = parseId(value);
    if (id === undefined) throw new HttpError(404, 'Post not found.');
    return id;
  };

  const auth = { onRequest: requireToken };
  const tags = ['posts'];
  const security = BEARER;
  const list = { 200: PostListSchema, ...errorResponses(400, 401) };

  app.post<{ Body: Static<typeof NewPost> }>(
    '/posts',
    {
      ...auth,
      schema: {
        tags,
        summary: 'Create a new post',
        security,
        body: NewPost,
        response: { 201: PostSchema, ...errorResponses(400, 401, 413) },
      },
    },
    async (request, reply) => {
      const user = caller(request);
      const post = await createPost(request.em, user, request.body.text);
      return reply.code(201).send(postJson(postRecord(post, user)));
    },
  );

  app.get(
    '/posts',
    {
      ...auth,
      schema: {
        tags,
        summary: 'Retrieve all posts',
        description: 'Newest first.',
        security,
        querystring: PostListQuery,
        response: list,
      },
    },
    async (request) => {
      const [page, window] = windowOf(request);
      return listReply(await allPosts(request.em, window), page);
    },
  );

  app.get<{ Params: Static<typeof PostId> }>(
    '/posts/:id',
    {
      ...auth,
      schema: {
        tags,
        summary: 'Retrieve a post by id',
        security,
        params: PostId,
        response: { 200: PostSchema, ...errorResponses(401, 404) },
      },
    },
    async (request) => {
      const post = await findPost(request.em, postId(request.params.id));
      if (!post) throw new HttpError(404, 'Post not found.');
      return postJson(post);
    },
  );

  app.put<{ Params: Static<typeof PostId>; Body: Static<typeof EditPost> }>(
    '/posts/:id',
    {
      ...auth,
      schema: {
        tags,
        summary: 'Edit a post',
        description: 'Only its author may.',
        security,
        params: PostId,
        body: EditPost,
        response: { 200: PostSchema, ...errorResponses(400, 401, 403, 404, 413) },
      },
    },
    async (request) => {
      const user = caller(request);
      const post = await ownPost(request.em, user, postId(request.params.id));
      if (post === 'missing') throw new HttpError(404, 'Post not found.');
      if (post === 'forbidden') throw new HttpError(403, 'Not allowed to edit this post.');
      await updatePost(request.em, post, request.body.text);
      return postJson(postRecord(post, user));
    },
  );

  app.delete<{ Params: Static<typeof PostId> }>(
    '/posts/:id',
    {
      ...auth,
      schema: {
        tags,
        summary: 'Delete a post',
        description: 'Only its author may.',
        security,
        params: PostId,
        response: { 204: NoContent('The post is deleted'), ...errorResponses(401, 403, 404) },
      },
    },
    async (request, reply) => {
      const post = await ownPost(request.em, caller(request), postId(request.params.id));
      if (post === 'missing') throw new HttpError(404, 'Post not found.');
      if (post === 'forbidden') throw new HttpError(403, 'Not allowed to delete this post.');
      await deletePost(request.em, post);
      return reply.code(204).send();
    },
  );

  app.get<{ Params: Static<typeof UserId> }>(
    '/users/:id/posts',
    {
      ...auth,
      schema: {
        tags,
        summary: 'Retrieve all posts from a user',
        description: 'Newest first.',
        security,
        params: UserId,
        querystring: PostListQuery,
        response: { ...list, ...errorResponses(404) },
      },
    },
    async (request) => {
      const id = parseId(request.params.id);
      if (id === undefined || !(await userExists(request.em, id))) {
        throw new HttpError(404, 'User not found.');
      }
      const [page, window] = windowOf(request);
      return listReply(await postsOf(request.em, id, window), page);
    },
  );

  app.get(
    '/feed',
    {
      ...auth,
      schema: {
        tags,
        summary: "Retrieve the user's post feed",
        description: 'Their own posts and those of the users they follow, newest first.',
        security,
        querystring: PostListQuery,
        response: list,
      },
    },
    async (request) => {
      const [page, window] = windowOf(request);
      return listReply(await feed(request.em, caller(request), window), page);
    },
  );
}
