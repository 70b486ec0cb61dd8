import type { EntityMetadata } from '@mikro-orm/core';
import type { SqlEntityManager } from '@mikro-orm/sql';
import { entities } from '../../src/db/entities/index.ts';

/** A value as the ORM gives it, in a form `deepEqual` compares exactly: dates to the ms. */
function plain(value: unknown): unknown {
  if (value instanceof Date) return `date:${value.toISOString()}`;
  if (value && typeof value === 'object' && 'id' in value) return (value as { id: unknown }).id;
  return value;
}

/**
 * Every row of every table, read through the entities (not through the backup code), in
 * primary-key order: what two databases must agree on after a copy or a restore.
 */
export async function databaseContent(em: SqlEntityManager) {
  const content: Record<string, Record<string, unknown>[]> = {};
  for (const schema of entities) {
    const meta = em.getMetadata().get(schema.meta.class) as EntityMetadata;
    const orderBy = Object.fromEntries(meta.primaryKeys.map((key) => [key, 'asc' as const]));
    const rows = await em.fork().find(meta.class, {}, { orderBy });
    const columns = meta.props.filter((prop) => prop.kind === 'scalar' || prop.kind === 'm:1');
    content[meta.className] = rows.map((row) =>
      Object.fromEntries(
        columns.map((prop) => [prop.name, plain((row as Record<string, unknown>)[prop.name])]),
      ),
    );
  }
  return content;
}

const at = (iso: string) => new Date(iso);

/**
 * Rows in every table with the values a copy or a restore could get wrong: milliseconds,
 * dates far from now, NULLs, both booleans, unicode beyond the BMP, quotes and newlines,
 * large text (under MariaDB's 64 KiB `text`), a fractional double and ids with gaps.
 */
export async function addAwkwardRows(em: SqlEntityManager): Promise<void> {
  const { Follow, Job, Message, Notification, Post, Session, Task, Token, User } = await import(
    '../../src/db/entities/index.ts'
  );
  const zoe = em.create(User, {
    id: 7,
    username: 'zoë_用户',
    email: 'zoe@example.com',
    passwordHash: 'scrypt:32768:8:1$salt$hash',
    aboutMe: '🎉 naïve 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 "quoted" \\ back\nslash',
    lastSeen: at('2026-01-02T03:04:05.678Z'),
    firstSeen: at('1970-01-01T00:00:00.001Z'),
    locale: 'es',
    postCount: 2,
    lastMessageReadTime: at('2099-12-31T23:59:59.999Z'),
  });
  const bob = em.create(User, {
    id: 40,
    username: 'bob',
    email: 'bob@example.com',
    passwordHash: null,
    aboutMe: null,
    lastSeen: null,
    firstSeen: null,
    locale: null,
    postCount: 0,
    lastMessageReadTime: null,
  });
  em.create(Follow, { follower: zoe, followed: bob });
  em.create(Follow, { follower: bob, followed: zoe });
  em.create(Post, {
    id: 5,
    body: '€'.repeat(280),
    author: zoe,
    language: null,
    timestamp: at('2026-11-30T08:00:00.100Z'),
  });
  em.create(Post, {
    id: 1000,
    body: 'it\'s "quoted"\n\ttabbed',
    author: zoe,
    language: 'en',
    timestamp: at('2026-11-30T08:00:00.200Z'),
  });
  em.create(Session, {
    id: 'a'.repeat(64),
    user: zoe,
    data: `{"big":"${'x'.repeat(60_000)}"}`,
    expiresAt: at('2026-12-01T00:00:00.999Z'),
  });
  em.create(Session, {
    id: 'b'.repeat(64),
    user: null,
    data: '{}',
    expiresAt: at('2026-12-01T00:00:00.000Z'),
  });
  em.create(Token, {
    id: 3,
    accessTokenHash: 'c'.repeat(64),
    accessExpiration: at('2026-11-30T09:00:00.123Z'),
    refreshTokenHash: 'd'.repeat(64),
    refreshExpiration: at('2026-12-30T09:00:00.456Z'),
    user: zoe,
  });
  em.create(Message, {
    id: 9,
    sender: zoe,
    recipient: bob,
    body: 'héllo ✉️',
    timestamp: at('2026-11-29T12:00:00.001Z'),
  });
  em.create(Notification, {
    id: 11,
    name: 'unread_message_count',
    user: bob,
    timestamp: 1764493200.123456,
    payloadJson: '1',
  });
  em.create(Task, {
    id: '0f8fad5b-d9cb-469f-a165-70867728950e',
    name: 'export_posts',
    description: null,
    user: zoe,
    complete: true,
  });
  em.create(Task, {
    id: '7c9e6679-7425-40de-944b-e07fc1f90ae7',
    name: 'export_posts',
    description: 'Exporting posts…',
    user: bob,
    complete: false,
  });
  em.create(Job, {
    id: 21,
    name: 'export-posts',
    payload: '日本語'.repeat(6000),
    status: 'failed',
    attempts: 3,
    maxAttempts: 3,
    runAt: at('2026-11-30T07:00:00.007Z'),
    lockedUntil: null,
    lockedBy: null,
    lastError: 'Error: boom\n    at somewhere',
    createdAt: at('2026-11-30T06:59:59.999Z'),
    finishedAt: at('2026-11-30T07:00:01.010Z'),
  });
  await em.flush();
}
