import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { h } from 'preact';
import type { Config } from '../../config.ts';
import type { User } from '../../db/entities/index.ts';
import { DomainError } from '../../db/errors.ts';
import { pageLinks, pageNumber } from '../../forms/pagination.ts';
import { validateForm } from '../../forms/validate.ts';
import { HttpError } from '../../http-error.ts';
import { requireLogin } from '../../plugins/auth.ts';
import { profilePath } from '../../views/paths.ts';
import { postsBy } from '../main/service.ts';
import { EditProfileForm } from './schemas.ts';
import {
  findByUsername,
  follow,
  followList,
  profileView,
  unfollow,
  updateProfile,
} from './service.ts';
import { EditProfilePage, ProfilePage, UserListPage } from './views/pages.tsx';

type ByName = { Params: { username: string } };

/**
 * The username of the address, if it could name anyone: at most 64 characters and no
 * control characters (a NUL would otherwise reach the database driver).
 */
function requestedUsername(request: FastifyRequest<ByName>): string {
  const { username } = request.params;
  // biome-ignore lint/suspicious/noControlCharactersInRegex: refusing them is the point.
  if (username.length > 64 || /[\u0000-\u001f\u007f]/.test(username)) {
    throw new HttpError(404, 'There is no such user.');
  }
  return username;
}

const noSuchUser = (username: string) => new HttpError(404, `There is no user called ${username}.`);

async function profileOf(request: FastifyRequest<ByName>): Promise<User> {
  const user = await findByUsername(request.em, requestedUsername(request));
  if (!user) throw noSuchUser(request.params.username);
  return user;
}

export async function userRoutes(app: FastifyInstance, { config }: { config: Readonly<Config> }) {
  const perPage = config.postsPerPage;

  app.get<ByName>('/user/:username', async (request, reply) => {
    const page = pageNumber(request.query);
    const profile = await profileView(request.em, requestedUsername(request), request.user?.id);
    if (!profile) throw noSuchUser(request.params.username);
    const posts = await postsBy(request.em, profile, page, perPage);
    const links = pageLinks(profilePath(profile), page, posts.hasMore);
    return reply.render(h(ProfilePage, { profile, posts: posts.items, links }));
  });

  for (const direction of ['followers', 'following'] as const) {
    app.get<ByName>(`/user/:username/${direction}`, async (request, reply) => {
      const profile = await profileOf(request);
      const page = pageNumber(request.query);
      const { items, hasMore } = await followList(request.em, profile, direction, page, perPage);
      const links = pageLinks(`${profilePath(profile)}/${direction}`, page, hasMore);
      return reply.render(h(UserListPage, { profile, direction, users: items, links }));
    });
  }

  const changeFollow = (action: typeof follow, done: (name: string) => string) =>
    async function handler(request: FastifyRequest<ByName>, reply: FastifyReply) {
      const user = request.user;
      if (!user) return;
      const profile = await profileOf(request);
      try {
        await action(request.em, user, profile);
        reply.flash(done(profile.username), 'success');
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
        reply.flash(error.message, 'warning');
      }
      return reply.redirect(profilePath(profile));
    };
  app.post<ByName>(
    '/follow/:username',
    { preHandler: requireLogin },
    changeFollow(follow, (name) => `You are following ${name}!`),
  );
  app.post<ByName>(
    '/unfollow/:username',
    { preHandler: requireLogin },
    changeFollow(unfollow, (name) => `You are not following ${name}.`),
  );

  app.get('/edit_profile', { preHandler: requireLogin }, (request, reply) =>
    reply.render(
      h(EditProfilePage, {
        values: { username: request.user?.username, about_me: request.user?.aboutMe },
      }),
    ),
  );

  app.post('/edit_profile', { preHandler: requireLogin }, async (request, reply) => {
    const user = request.user;
    if (!user) return;
    const form = validateForm(EditProfileForm, request.body);
    if (!form.ok) return reply.render(h(EditProfilePage, form), 400);
    try {
      await updateProfile(request.em, user, form.data);
    } catch (error) {
      if (!(error instanceof DomainError) || !error.field) throw error;
      request.em.clear();
      return reply.render(
        h(EditProfilePage, { values: form.data, errors: { [error.field]: error.message } }),
        400,
      );
    }
    reply.flash('Your changes have been saved.', 'success');
    return reply.redirect('/edit_profile');
  });
}
