import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import Type from 'typebox';
import { parseId } from '../domain/input.ts';
import { type Box, findMessage, listMessages } from '../domain/message-lists.ts';
import { markMessagesRead, sendMessage, unreadCount } from '../domain/messages.ts';
import { MESSAGE_MAX, useCharacters } from '../domain/rules.ts';
import { findUserByIdOrName } from '../domain/users.ts';
import { HttpError } from '../errors.ts';
import { msg } from '../i18n/marker.ts';
import { signedIn } from '../plugins/auth.ts';
import { requireToken } from './auth.ts';
import {
  BEARER,
  errorResponses,
  MessageListSchema,
  MessageSchema,
  NoContent,
  PostListQuery,
} from './openapi-schemas.ts';
import { afterTime, pageReply, parsePageRequest } from './pagination.ts';
import { serializers } from './serializers.ts';

const NewMessage = Type.Object(
  {
    recipient: Type.String({ description: 'The recipient: a user id, or a username' }),
    text: Type.String({
      minLength: 1,
      maxLength: MESSAGE_MAX,
      pattern: '^[^\\u0000-\\u0008\\u000b\\u000c\\u000e-\\u001f\\u007f\\ud800-\\udfff]*$',
      errorMessage: useCharacters(MESSAGE_MAX),
    }),
  },
  { additionalProperties: false },
);
const MessageId = Type.Object({ id: Type.String({ description: 'The message id' }) });
const Unread = Type.Object(
  { unread: Type.Integer({ description: 'Received messages not read yet' }) },
  { description: 'The unread count' },
);

/** A page of one of the caller's boxes, in the API's list shape. */
async function messageList(request: FastifyRequest, box: Box) {
  const page = parsePageRequest(request.query);
  const window = { limit: page.limit, offset: page.offset, after: afterTime(page) };
  const list = await listMessages(request.em, signedIn(request).id, box, window);
  const { messageJson } = serializers(request);
  return pageReply(list.items.map(messageJson), { ...page, offset: list.offset }, list.total);
}

/**
 * Private messages, an extension in microblog-api's style: the caller's received and sent
 * messages, newest first, with the usual pagination; sending one; the unread count, and
 * marking everything read. A message exists only for its sender and its recipient.
 */
export async function messageApiRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  app.addHook('onRequest', requireToken);
  const tags = ['messages'];
  const security = BEARER;
  const list = { 200: MessageListSchema, ...errorResponses(400, 401) };

  for (const [path, box, summary] of [
    ['/messages', 'received', 'Retrieve the messages received'],
    ['/messages/sent', 'sent', 'Retrieve the messages sent'],
  ] as const) {
    app.get(
      path,
      {
        schema: {
          tags,
          summary,
          description: 'Newest first; `after` is an ISO timestamp.',
          security,
          querystring: PostListQuery,
          response: list,
        },
      },
      (request) => messageList(request, box),
    );
  }

  app.post(
    '/messages',
    {
      preHandler: app.rateLimits.messages,
      schema: {
        tags,
        summary: 'Send a private message',
        security,
        body: NewMessage,
        response: { 201: MessageSchema, ...errorResponses(400, 401, 404, 413, 429) },
      },
    },
    async (request, reply) => {
      const recipient = await findUserByIdOrName(request.em, request.body.recipient);
      if (!recipient) throw new HttpError(404, msg('User not found.'));
      const sender = signedIn(request);
      const sent = await sendMessage(request.em, app.events, sender, recipient, request.body.text);
      if (sent === 'self') throw new HttpError(400, msg('You cannot send a message to yourself.'));
      const { id, body, timestamp } = sent;
      const json = serializers(request).messageJson({ id, body, timestamp, sender, recipient });
      return reply.code(201).send(json);
    },
  );

  app.get(
    '/messages/unread',
    {
      schema: {
        tags,
        summary: 'Count the messages not read yet',
        security,
        response: { 200: Unread, ...errorResponses(401) },
      },
    },
    async (request) => ({ unread: await unreadCount(request.em, signedIn(request)) }),
  );

  app.post(
    '/messages/read',
    {
      schema: {
        tags,
        summary: 'Mark every received message read',
        security,
        response: { 204: NoContent('Every received message is read'), ...errorResponses(401) },
      },
    },
    async (request, reply) => {
      await markMessagesRead(request.em, app.events, signedIn(request));
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/messages/:id',
    {
      schema: {
        tags,
        summary: 'Retrieve a message sent or received',
        security,
        params: MessageId,
        response: { 200: MessageSchema, ...errorResponses(401, 404) },
      },
    },
    async (request) => {
      const id = parseId(request.params.id);
      const message = id && (await findMessage(request.em, id, signedIn(request).id));
      if (!message) throw new HttpError(404, msg('Message not found.'));
      return serializers(request).messageJson(message);
    },
  );
}
