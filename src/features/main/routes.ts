import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { h } from 'preact';
import { latestPosts } from './service.ts';
import { IndexPage } from './views/index-page.tsx';

export async function mainRoutes(app: FastifyInstance) {
  const index = async (request: FastifyRequest, reply: FastifyReply) =>
    reply.render(h(IndexPage, { posts: await latestPosts(request.em) }));
  app.get('/', index);
  app.get('/index', index);
}
