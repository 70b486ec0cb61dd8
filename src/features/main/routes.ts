import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { h } from 'preact';
import type { Config } from '../../config.ts';
import { pageLinks, pageNumber } from '../../forms/pagination.ts';
import { validateForm } from '../../forms/validate.ts';
import { requireLogin } from '../../plugins/auth.ts';
import { PostForm } from './schemas.ts';
import { createPost, explore, timeline } from './service.ts';
import { ExplorePage, HomePage } from './views/pages.tsx';

export async function mainRoutes(app: FastifyInstance, { config }: { config: Readonly<Config> }) {
  const perPage = config.postsPerPage;

  const home = async (
    request: FastifyRequest,
    reply: FastifyReply,
    form?: { value?: string; error?: string },
  ) => {
    const user = request.user;
    if (!user) return requireLogin(request, reply);
    const page = pageNumber(request.query);
    const { items, hasMore } = await timeline(request.em, user, page, perPage);
    return reply.render(
      h(HomePage, { posts: items, links: pageLinks('/index', page, hasMore), ...form }),
      form ? 400 : 200,
    );
  };

  app.get('/', (request, reply) => home(request, reply));
  app.get('/index', (request, reply) => home(request, reply));

  app.post('/index', { preHandler: requireLogin }, async (request, reply) => {
    const user = request.user;
    if (!user) return;
    const form = validateForm(PostForm, request.body);
    if (!form.ok) return home(request, reply, { value: form.values.post, error: form.errors.post });
    await createPost(request.em, user, form.data.post);
    reply.flash('Your post is now live!', 'success');
    // Post/redirect/get: a refresh never posts twice.
    return reply.redirect('/index');
  });

  app.get('/explore', async (request, reply) => {
    const page = pageNumber(request.query);
    const { items, hasMore } = await explore(request.em, page, perPage);
    return reply.render(
      h(ExplorePage, { posts: items, links: pageLinks('/explore', page, hasMore) }),
    );
  });
}
