import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import Type from 'typebox';
import { parseId } from '../domain/input.ts';
import { findPost, listPosts, type PostScope } from '../domain/posts/lists.ts';
import { createPost, deletePost, editPost } from '../domain/posts/posts.ts';
import { searchWords } from '../domain/posts/search.ts';
import { POST_MAX, useCharacters } from '../domain/rules.ts';
import { findUserById } from '../domain/users.ts';
import { HttpError, ValidationError } from '../errors.ts';
import { msg } from '../i18n/marker.ts';
import { signedIn } from '../plugins/auth.ts';
import { requireToken } from './auth.ts';
import {
  BEARER,
  errorResponses,
  NoContent,
  PostListQuery,
  PostListSchema,
  PostSchema,
  PostSearchQuery,
} from './openapi-schemas.ts';
import { afterTime, pageReply, parsePageRequest } from './pagination.ts';
import { serializers } from './serializers.ts';

/**
 * 1 to 280 characters, counted as code points. Tab and line breaks are fine; NUL, other
 * control characters and lone UTF-16 surrogates are not (a `u`-mode pattern matches a
 * lone surrogate but never half of a valid pair).
 */
const TEXT = Type.String({
  minLength: 1,
  maxLength: POST_MAX,
  pattern: '^[^\\u0000-\\u0008\\u000b\\u000c\\u000e-\\u001f\\u007f\\ud800-\\udfff]*$',
  errorMessage: useCharacters(POST_MAX),
});

const NewPost = Type.Object({ text: TEXT }, { additionalProperties: false });
// microblog-api updates partially: a body without `text` changes nothing.
const EditPost = Type.Object({ text: Type.Optional(TEXT) }, { additionalProperties: false });
const PostId = Type.Object({ id: Type.String({ description: 'The post id' }) });
const UserId = Type.Object({ id: Type.String({ description: 'The user id' }) });

/** The id a path names, or a 404: no post can have a malformed id. */
function postId(value: string): number {
  const id = parseId(value);
  if (id === undefined) throw new HttpError(404, msg('Post not found.'));
  return id;
}

/**
 * All posts, or with `q` the posts holding its words. A ranked list has no `after` cursor:
 * its order is not by time.
 */
function allOrSearch(query: unknown): PostScope {
  const { q, after } = (query ?? {}) as { q?: unknown; after?: unknown };
  if (q === undefined) return { kind: 'all' };
  if (typeof q !== 'string') throw new ValidationError('query', 'q', msg('Not a valid string.'));
  if (q.trim() === '') return { kind: 'all' };
  if (after !== undefined)
    throw new ValidationError('query', 'after', msg('Cannot be used together with q.'));
  return { kind: 'search', words: searchWords(q) };
}

/** A page of a list of posts, in the API's shape. */
async function postList(request: FastifyRequest, scope: PostScope) {
  const page = parsePageRequest(request.query);
  const window = { limit: page.limit, offset: page.offset, after: afterTime(page) };
  const list = await listPosts(request.em, scope, window);
  const { postJson } = serializers(request);
  return pageReply(list.items.map(postJson), { ...page, offset: list.offset }, list.total);
}

export async function postApiRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  app.addHook('onRequest', requireToken);
  const tags = ['posts'];
  const security = BEARER;
  const list = { 200: PostListSchema, ...errorResponses(400, 401) };

  app.post(
    '/posts',
    {
      schema: {
        tags,
        summary: 'Create a new post',
        security,
        body: NewPost,
        response: { 201: PostSchema, ...errorResponses(400, 401, 413) },
      },
    },
    async (request, reply) => {
      const post = await createPost(request.em, signedIn(request), request.body.text);
      return reply.code(201).send(serializers(request).postJson(post));
    },
  );

  app.get(
    '/posts',
    {
      schema: {
        tags,
        summary: 'Retrieve or search all posts',
        description:
          'Newest first; with `q`, the posts holding every word of it, best match first.',
        security,
        querystring: PostSearchQuery,
        response: list,
      },
    },
    (request) => postList(request, allOrSearch(request.query)),
  );

  app.get(
    '/posts/:id',
    {
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
      if (!post) throw new HttpError(404, msg('Post not found.'));
      return serializers(request).postJson(post);
    },
  );

  app.put(
    '/posts/:id',
    {
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
      const user = signedIn(request);
      const post = await editPost(request.em, user, postId(request.params.id), request.body.text);
      if (post === 'missing') throw new HttpError(404, msg('Post not found.'));
      if (post === 'forbidden') throw new HttpError(403, msg('Not allowed to edit this post.'));
      const { id, body, timestamp } = post;
      return serializers(request).postJson({ id, body, timestamp, author: user });
    },
  );

  app.delete(
    '/posts/:id',
    {
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
      const outcome = await deletePost(request.em, signedIn(request), postId(request.params.id));
      if (outcome === 'missing') throw new HttpError(404, msg('Post not found.'));
      if (outcome === 'forbidden')
        throw new HttpError(403, msg('Not allowed to delete this post.'));
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/users/:id/posts',
    {
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
      const user = await findUserById(request.em, request.params.id);
      if (!user) throw new HttpError(404, msg('User not found.'));
      return postList(request, { kind: 'author', authorId: user.id });
    },
  );

  app.get(
    '/feed',
    {
      schema: {
        tags,
        summary: "Retrieve the user's post feed",
        description: 'Their own posts and those of the users they follow, newest first.',
        security,
        querystring: PostListQuery,
        response: list,
      },
    },
    (request) => postList(request, { kind: 'feed', userId: signedIn(request).id }),
  );
}
