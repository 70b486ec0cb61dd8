import type { FastifyInstance, FastifyRequest } from 'fastify';
import { h } from 'preact';
import { pageOfMessages } from '../../domain/message-lists.ts';
import { markMessagesRead, sendMessage } from '../../domain/messages.ts';
import { findByUsername } from '../../domain/users.ts';
import { HttpError } from '../../errors.ts';
import { msg } from '../../i18n/marker.ts';
import { requireLogin, signedIn } from '../../plugins/auth.ts';
import { profilePath } from '../../views/paths.ts';
import { validateForm } from '../forms.ts';
import { pageLinks, pageNumber } from '../pagination.ts';
import { MessageForm } from './schemas.ts';
import { MessagesPage, SendMessagePage } from './views.tsx';

type ToUser = { Params: { username: string } };

async function recipientOf(request: FastifyRequest<ToUser>) {
  const { username } = request.params;
  const recipient = await findByUsername(request.em, username);
  if (!recipient)
    throw new HttpError(404, msg('There is no user called {username}.'), { username });
  return recipient;
}

/** Private messages: sending one, and reading one's own. */
export async function messageRoutes(app: FastifyInstance) {
  const perPage = app.config.postsPerPage;
  const yourself = msg('You cannot send a message to yourself.');

  app.get<ToUser>(
    '/send_message/:username',
    { preHandler: requireLogin },
    async (request, reply) => {
      const recipient = await recipientOf(request);
      if (recipient.id === signedIn(request).id) {
        reply.flash(yourself, 'warning');
        return reply.redirect(profilePath(recipient));
      }
      return reply.render(h(SendMessagePage, { recipient: recipient.username }));
    },
  );

  app.post<ToUser>(
    '/send_message/:username',
    { preHandler: [requireLogin, app.rateLimits.messages] },
    async (request, reply) => {
      const recipient = await recipientOf(request);
      const form = validateForm(MessageForm, request.body, request.translator.t);
      if (!form.ok) {
        const { message: value } = form.values;
        const page = h(SendMessagePage, {
          recipient: recipient.username,
          value,
          error: form.errors.message,
        });
        return reply.render(page, 400);
      }
      const sent = await sendMessage(
        request.em,
        app.events,
        signedIn(request),
        recipient,
        form.data.message,
      );
      if (sent === 'self') reply.flash(yourself, 'warning');
      else reply.flash(msg('Your message has been sent.'), 'success');
      return reply.redirect(profilePath(recipient));
    },
  );

  app.get('/messages', { preHandler: requireLogin }, async (request, reply) => {
    const user = signedIn(request);
    const page = pageNumber(request.query);
    await markMessagesRead(request.em, app.events, user);
    const { items, hasMore } = await pageOfMessages(request.em, user.id, 'received', page, perPage);
    return reply.render(
      h(MessagesPage, { messages: items, links: pageLinks('/messages', page, hasMore) }),
    );
  });
}
