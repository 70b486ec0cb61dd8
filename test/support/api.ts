import assert from 'node:assert/strict';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';

/** An `Authorization` header value with HTTP Basic credentials. */
export const basicAuth = (login: string, password: string) =>
  `Basic ${Buffer.from(`${login}:${password}`).toString('base64')}`;

/** Logs in through `POST /api/tokens` and returns the access token; any failure fails. */
export async function apiToken(
  app: FastifyInstance,
  login: string,
  password: string,
): Promise<string> {
  const response = await app.inject({
    method: 'POST',
    url: '/api/tokens',
    headers: { authorization: basicAuth(login, password) },
  });
  assert.equal(response.statusCode, 200, response.body);
  return String(JSON.parse(response.body).access_token);
}

/** One page of a user list, as walked: its usernames and its `pagination`. */
export interface UserListPage {
  usernames: unknown[];
  pagination: Record<string, number>;
}

/**
 * Walks a user list of the API page by page, `limit` at a time, following either
 * `offset` or the `after` cursor (the last username seen), until the end.
 */
export async function walkUserList(
  get: (url: string) => Promise<LightMyRequestResponse>,
  url: string,
  limit: number,
  mode: 'offset' | 'after',
): Promise<UserListPage[]> {
  const pages: UserListPage[] = [];
  let query = `limit=${limit}`;
  for (;;) {
    const response = await get(`${url}?${query}`);
    assert.equal(response.statusCode, 200, response.body);
    const body = JSON.parse(response.body) as {
      data: { username: unknown }[];
      pagination: Record<string, number>;
    };
    const { data, pagination } = body;
    if (data.length === 0) break;
    pages.push({ usernames: data.map((user) => user.username), pagination });
    if (pagination.offset + pagination.count >= pagination.total) break;
    query =
      mode === 'offset'
        ? `limit=${limit}&offset=${pagination.offset + pagination.count}`
        : `limit=${limit}&after=${encodeURIComponent(String(data.at(-1)?.username))}`;
  }
  return pages;
}
