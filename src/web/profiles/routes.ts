import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { h } from 'preact';
import { updateAccount } from '../../domain/accounts.ts';
import { exportRunning, startExport } from '../../domain/export-posts.ts';
import { follow, followPage, unfollow } from '../../domain/follows.ts';
import { pageOfPosts } from '../../domain/posts/lists.ts';
import { disableAccount, enableAccount } from '../../domain/user-admin.ts';
import { findByUsername, profileView } from '../../domain/users.ts';
import { DomainError, HttpError } from '../../errors.ts';
import { msg } from '../../i18n/marker.ts';
import { requireAdmin, requireLogin, signedIn } from '../../plugins/auth.ts';
import { profilePath } from '../../views/paths.ts';
import { fieldErrorOf, validateForm } from '../forms.ts';
import { pageLinks, pageNumber } from '../pagination.ts';
import { UserPopup } from './popup.tsx';
import { EditProfileForm } from './schemas.ts';
import { EditProfilePage, ProfilePage, UserListPage } from './views.tsx';

type ByName = { Params: { username: string } };

const noSuchUser = (username: string) =>
  new HttpError(404, msg('There is no user called {username}.'), { username });

async function profileOf(request: FastifyRequest<ByName>) {
  const user = await findByUsername(request.em, request.params.username);
  if (!user) throw noSuchUser(request.params.username);
  return user;
}

/** Profiles, their follow lists, following and unfollowing, editing and exporting one's own. */
export async function profileRoutes(app: FastifyInstance) {
  const perPage = app.config.postsPerPage;

  app.get<ByName>('/user/:username', async (request, reply) => {
    const page = pageNumber(request.query);
    const { username } = request.params;
    const profile = await profileView(request.em, username, request.user?.id);
    if (!profile) throw noSuchUser(username);
    const scope = { kind: 'author', authorId: profile.id } as const;
    const posts = await pageOfPosts(request.em, scope, page, perPage);
    const links = pageLinks(profilePath(profile), page, posts.hasMore);
    const own = request.user?.id === profile.id;
    const exporting = own && (await exportRunning(request.em, profile.id));
    return reply.render(h(ProfilePage, { profile, posts: posts.items, links, exporting }));
  });

  app.get<ByName>('/user/:username/popup', async (request, reply) => {
    const { username } = request.params;
    const profile = await profileView(request.em, username, request.user?.id);
    if (!profile) throw noSuchUser(username);
    return reply.renderFragment(h(UserPopup, { profile }));
  });

  for (const direction of ['followers', 'following'] as const) {
    app.get<ByName>(`/user/:username/${direction}`, async (request, reply) => {
      const profile = await profileOf(request);
      const page = pageNumber(request.query);
      const { items, hasMore } = await followPage(request.em, profile.id, direction, page, perPage);
      const links = pageLinks(`${profilePath(profile)}/${direction}`, page, hasMore);
      return reply.render(h(UserListPage, { profile, direction, users: items, links }));
    });
  }

  const done = {
    followed: msg('You are following {username}!'),
    already: msg('You are following {username}!'),
    unfollowed: msg('You are not following {username}.'),
    'not-following': msg('You are not following {username}.'),
  };
  const changeFollow = (action: typeof follow | typeof unfollow, refusal: string) =>
    async function handler(request: FastifyRequest<ByName>, reply: FastifyReply) {
      const profile = await profileOf(request);
      const outcome = await action(request.em, signedIn(request), profile);
      if (outcome === 'self') reply.flash(refusal, 'warning');
      else reply.flash(done[outcome], 'success', { username: profile.username });
      return reply.redirect(profilePath(profile));
    };
  app.post<ByName>(
    '/follow/:username',
    { preHandler: requireLogin },
    changeFollow(follow, msg('You cannot follow yourself!')),
  );
  app.post<ByName>(
    '/unfollow/:username',
    { preHandler: requireLogin },
    changeFollow(unfollow, msg('You cannot unfollow yourself!')),
  );

  // An admin's buttons on a profile: the same as `microblog users disable` and `enable`.
  const admin = { preHandler: [requireLogin, requireAdmin] };
  const said = {
    disabled: msg('{username} is disabled: their sessions and tokens have ended.'),
    enabled: msg('{username} can log in again.'),
    already: msg('Nothing changed for {username}.'),
    self: msg('You cannot disable your own account.'),
  };
  app.post<ByName>('/user/:username/disable', admin, async (request, reply) => {
    const profile = await profileOf(request);
    const outcome = await disableAccount(request.em, profile, signedIn(request));
    reply.flash(said[outcome], outcome === 'self' ? 'warning' : 'success', {
      username: profile.username,
    });
    return reply.redirect(profilePath(profile));
  });
  app.post<ByName>('/user/:username/enable', admin, async (request, reply) => {
    const profile = await profileOf(request);
    const outcome = await enableAccount(request.em, profile);
    reply.flash(said[outcome], 'success', { username: profile.username });
    return reply.redirect(profilePath(profile));
  });

  // A POST with the CSRF field, unlike the Flask Microblog's GET: a link must not start work.
  app.post('/export_posts', { preHandler: requireLogin }, async (request, reply) => {
    const user = signedIn(request);
    if ((await startExport(request.em, app.jobs, user)) === 'running') {
      reply.flash(msg('An export task is currently in progress'), 'warning');
    }
    return reply.redirect(profilePath(user));
  });

  app.get('/edit_profile', { preHandler: requireLogin }, (request, reply) => {
    const user = signedIn(request);
    return reply.render(
      h(EditProfilePage, {
        values: { username: user.username, about_me: user.aboutMe, locale: user.locale },
      }),
    );
  });

  app.post('/edit_profile', { preHandler: requireLogin }, async (request, reply) => {
    const form = validateForm(EditProfileForm, request.body, request.translator.t);
    if (!form.ok) return reply.render(h(EditProfilePage, form), 400);
    const { username, about_me: aboutMe = null, locale = '' } = form.data;
    try {
      await updateAccount(request.em, signedIn(request), {
        username,
        aboutMe,
        locale: locale === '' ? null : locale,
      });
    } catch (error) {
      if (!(error instanceof DomainError) || !error.field) throw error;
      request.em.clear();
      return reply.render(
        h(EditProfilePage, {
          values: form.data,
          errors: fieldErrorOf(error, request.translator.t),
        }),
        400,
      );
    }
    reply.flash(msg('Your changes have been saved.'), 'success');
    return reply.redirect('/edit_profile');
  });
}
