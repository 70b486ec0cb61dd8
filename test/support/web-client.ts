import assert from 'node:assert/strict';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { navUser } from './html.ts';

/**
 * A browser-like client over `app.inject()`: it keeps cookies between requests and
 * fills in the CSRF token of the last page it loaded, like a form submission would.
 */
export class WebClient {
  readonly #app: FastifyInstance;
  /** The client's address, as the server sees it (the rate limits key on it). */
  readonly #ip: string | undefined;
  readonly cookies = new Map<string, string>();
  csrfToken = '';

  constructor(app: FastifyInstance, { ip }: { ip?: string } = {}) {
    this.#app = app;
    this.#ip = ip;
  }

  #remember(response: LightMyRequestResponse): LightMyRequestResponse {
    for (const cookie of response.cookies) {
      const expired =
        cookie.expires !== undefined && new Date(cookie.expires).getTime() <= Date.now();
      if (cookie.value === '' || expired || cookie.maxAge === 0) this.cookies.delete(cookie.name);
      else this.cookies.set(cookie.name, cookie.value);
    }
    const token = /name="_csrf" value="([^"]+)"/.exec(response.body)?.[1];
    if (token) this.csrfToken = token;
    return response;
  }

  #cookieHeader(): Record<string, string> {
    return this.cookies.size > 0
      ? { cookie: [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ') }
      : {};
  }

  async get(url: string, headers: Record<string, string> = {}): Promise<LightMyRequestResponse> {
    return this.#remember(
      await this.#app.inject({
        method: 'GET',
        url,
        remoteAddress: this.#ip,
        headers: { ...this.#cookieHeader(), ...headers },
      }),
    );
  }

  /** Posts a form; `_csrf` is the token of the last page loaded unless `form` sets one. */
  async post(url: string, form: Record<string, string> = {}, headers: Record<string, string> = {}) {
    const body = new URLSearchParams({ _csrf: this.csrfToken, ...form }).toString();
    return this.#remember(
      await this.#app.inject({
        method: 'POST',
        url,
        remoteAddress: this.#ip,
        payload: body,
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          ...this.#cookieHeader(),
          ...headers,
        },
      }),
    );
  }

  /** Loads `page` for its token, then posts `form` to `url` (defaults to the page). */
  async submit(page: string, form: Record<string, string>, url = page) {
    await this.get(page);
    return this.post(url, form);
  }

  async register(username: string, password = 'correct horse', email = `${username}@example.com`) {
    return this.submit('/auth/register', { username, email, password, password2: password });
  }

  async login(username: string, password = 'correct horse', extra: Record<string, string> = {}) {
    return this.submit('/auth/login', { username, password, ...extra });
  }
}

/** The text of the page's flash messages. */
export function flashes(html: string): string[] {
  return [...html.matchAll(/<div class="alert alert-\w+" role="status">([^<]*)<\/div>/g)].map(
    (match) => match[1],
  );
}

/** Who the navigation bar says `client` is signed in as: a username, or null for a visitor. */
export async function signedInAs(client: WebClient): Promise<string | null> {
  const page = await client.get('/explore');
  assert.equal(page.statusCode, 200);
  return navUser(page.body);
}
