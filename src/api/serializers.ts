import type { FastifyRequest } from 'fastify';
import type { User } from '../db/entities/index.ts';
import { avatarUrl } from '../domain/avatars.ts';
import type { PostRecord } from '../domain/posts/lists.ts';
import type { UserRecord } from '../domain/user-rows.ts';
import { publicOrigin } from '../http/origin.ts';

/** Datetimes as ISO 8601 with `Z`, or null. */
const iso = (date: Date | null | undefined) => (date ? date.toISOString() : null);

/** The JSON of users, posts and messages, as microblog-api writes them, for one request. */
export function serializers(request: FastifyRequest) {
  const { avatarProvider } = request.server.config;
  const origin = publicOrigin(request);
  /** A user; never a password or its hash. */
  const userJson = (user: User | UserRecord) => ({
    id: user.id,
    url: `/api/users/${user.id}`,
    username: user.username,
    email: user.email,
    has_password: Boolean(user.passwordHash),
    // Absolute, as microblog-api's: a client served from another origin loads it from here.
    avatar_url: avatarUrl(user.email, avatarProvider, { origin }),
    about_me: user.aboutMe ?? null,
    first_seen: iso(user.firstSeen),
    last_seen: iso(user.lastSeen),
    posts_url: `/api/users/${user.id}/posts`,
  });
  const postJson = (
    post: Pick<PostRecord, 'id' | 'body' | 'timestamp'> & { author: User | UserRecord },
  ) => ({
    id: post.id,
    url: `/api/posts/${post.id}`,
    text: post.body,
    timestamp: post.timestamp.toISOString(),
    author: userJson(post.author),
  });
  const messageJson = (message: {
    id: number;
    body: string;
    timestamp: Date;
    sender: User | UserRecord;
    recipient: User | UserRecord;
  }) => ({
    id: message.id,
    url: `/api/messages/${message.id}`,
    text: message.body,
    timestamp: message.timestamp.toISOString(),
    sender: userJson(message.sender),
    recipient: userJson(message.recipient),
  });
  return { userJson, postJson, messageJson };
}
