import type { FastifyInstance } from 'fastify';
import { h } from 'preact';
import { pageOfPosts } from '../../domain/posts/lists.ts';
import { searchWords } from '../../domain/posts/search.ts';
import { HttpError } from '../../errors.ts';
import { msg } from '../../i18n/marker.ts';
import { pageLinks, pageNumber } from '../pagination.ts';
import { SearchPage } from './views.tsx';

/** `/search?q=…&page=…`: posts holding every word of `q`, best match first. */
export async function searchRoutes(app: FastifyInstance) {
  const perPage = app.config.postsPerPage;

  app.get('/search', async (request, reply) => {
    const { q } = request.query as { q?: unknown };
    if (q !== undefined && typeof q !== 'string')
      throw new HttpError(400, msg('Search for one piece of text.'));
    const text = q?.trim() ?? '';
    // Nothing to look for: every post, newest first, is what Explore shows.
    if (text === '') return reply.redirect('/explore');
    const page = pageNumber(request.query);
    const scope = { kind: 'search', words: searchWords(text) } as const;
    const { items, hasMore } = await pageOfPosts(request.em, scope, page, perPage);
    return reply.render(
      h(SearchPage, {
        query: text,
        posts: items,
        links: pageLinks('/search', page, hasMore, { q: text }),
      }),
    );
  });
}
