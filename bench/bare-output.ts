/**
 * What every bare baseline server writes: the page HTML with template strings and the
 * API's post JSON with JSON.stringify, so the SQLite, PostgreSQL and MariaDB baselines
 * send the same bytes and differ only in their queries.
 */
import { createHash } from 'node:crypto';

export const PER_PAGE = 25;

export interface PageRow {
  id: number;
  body: string;
  timestamp: unknown;
  username: string;
}

export interface ApiRow extends PageRow {
  author_id: number;
  email: string;
  password_hash: string | null;
  about_me: string | null;
  first_seen: unknown;
  last_seen: unknown;
}

/** SQLite gives epoch milliseconds, PostgreSQL Dates or text, MariaDB UTC text. */
export function isoTime(value: unknown): string | null {
  if (value == null) return null;
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'number') return new Date(value).toISOString();
  const text = String(value).replace(' ', 'T');
  return new Date(/[zZ]|[+-]\d\d(:?\d\d)?$/.test(text) ? text : `${text}Z`).toISOString();
}

export const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export function page(title: string, rows: PageRow[], header = ''): string {
  const posts = rows
    .slice(0, PER_PAGE)
    .map(
      (row) =>
        `<article><a href="/user/${encodeURIComponent(row.username)}">${escapeHtml(row.username)}</a> <time datetime="${isoTime(row.timestamp)}"></time><p>${escapeHtml(row.body)}</p></article>`,
    )
    .join('');
  const older = rows.length > PER_PAGE ? '<a href="?page=2">Older posts</a>' : '';
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head><body><nav><a href="/">Microblog</a></nav><main>${header}${posts}${older}</main></body></html>`;
}

const md5 = (email: string) => createHash('md5').update(email.trim().toLowerCase()).digest('hex');

/** A user's JSON from the author columns of a row. */
export function userJson(row: Omit<ApiRow, 'id' | 'body' | 'timestamp'>) {
  return {
    id: Number(row.author_id),
    url: `/api/users/${row.author_id}`,
    username: row.username,
    email: row.email,
    has_password: Boolean(row.password_hash),
    avatar_url: `/avatar/${md5(row.email)}?d=identicon`,
    about_me: row.about_me ?? '',
    first_seen: isoTime(row.first_seen),
    last_seen: isoTime(row.last_seen),
    posts_url: `/api/users/${row.author_id}/posts`,
  };
}

export function postJson(row: ApiRow) {
  return {
    id: Number(row.id),
    url: `/api/posts/${row.id}`,
    text: row.body,
    timestamp: isoTime(row.timestamp),
    author: userJson(row),
  };
}
