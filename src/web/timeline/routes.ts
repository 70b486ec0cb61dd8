import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { h } from 'preact';
import { pageOfPosts } from '../../domain/posts/lists.ts';
import { createPost } from '../../domain/posts/posts.ts';
import { msg } from '../../i18n/marker.ts';
import { requireLogin, signedIn } from '../../plugins/auth.ts';
import { validateForm } from '../forms.ts';
import { pageLinks, pageNumber } from '../pagination.ts';
import { PostForm } from './schemas.ts';
import { ExplorePage, HomePage } from './views.tsx';

/** Home (the signed-in user's timeline and the post form) and Explore. */
export async function timelineRoutes(app: FastifyInstance) {
  const perPage = app.config.postsPerPage;

  const home = async (
    request: FastifyRequest,
    reply: FastifyReply,
    form?: { value?: string; error?: string },
  ) => {
    const page = pageNumber(request.query);
    const scope = { kind: 'feed', userId: signedIn(request).id } as const;
    const { items, hasMore } = await pageOfPosts(request.em, scope, page, perPage);
    return reply.render(
      h(HomePage, { posts: items, links: pageLinks('/index', page, hasMore), ...form }),
      form ? 400 : 200,
    );
  };

  app.get('/', { preHandler: requireLogin }, home);
  app.get('/index', { preHandler: requireLogin }, home);

  app.post('/index', { preHandler: requireLogin }, async (request, reply) => {
    const form = validateForm(PostForm, request.body, request.translator.t);
    if (!form.ok) return home(request, reply, { value: form.values.post, error: form.errors.post });
    await createPost(request.em, signedIn(request), form.data.post);
    reply.flash(msg('Your post is now live!'), 'success');
    // Post/redirect/get: a refresh never posts twice.
    return reply.redirect('/index');
  });

  app.get('/explore', async (request, reply) => {
    const page = pageNumber(request.query);
    const { items, hasMore } = await pageOfPosts(request.em, { kind: 'all' }, page, perPage);
    return reply.render(
      h(ExplorePage, { posts: items, links: pageLinks('/explore', page, hasMore) }),
    );
  });
}
