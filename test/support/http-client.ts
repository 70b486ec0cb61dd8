/**
 * A browser-like client of a real server over HTTP (fetch): it keeps cookies and fills in
 * the CSRF token of the last page it loaded, as test/support/web-client.ts does in-process.
 */
export class HttpClient {
  readonly cookies = new Map<string, string>();
  csrfToken = '';
  /** Where requests go; tests may point it at another process sharing the database. */
  base: string;

  constructor(base: string) {
    this.base = base;
  }

  cookieHeader(): Record<string, string> {
    if (this.cookies.size === 0) return {};
    return { cookie: [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ') };
  }

  async #remember(
    response: Response,
  ): Promise<{ status: number; body: string; response: Response }> {
    for (const line of response.headers.getSetCookie()) {
      const [pair, ...attributes] = line.split(';');
      const [name, value] = pair.split('=');
      const expired = attributes.some((a) => /^\s*max-age=0$/i.test(a)) || value === '';
      if (expired) this.cookies.delete(name.trim());
      else this.cookies.set(name.trim(), value);
    }
    const body = await response.text();
    const token = /name="_csrf" value="([^"]+)"/.exec(body)?.[1];
    if (token) this.csrfToken = token;
    return { status: response.status, body, response };
  }

  async get(path: string, headers: Record<string, string> = {}) {
    const response = await fetch(`${this.base}${path}`, {
      redirect: 'manual',
      headers: { ...this.cookieHeader(), ...headers },
    });
    return this.#remember(response);
  }

  async post(path: string, form: Record<string, string>, headers: Record<string, string> = {}) {
    const response = await fetch(`${this.base}${path}`, {
      method: 'POST',
      redirect: 'manual',
      body: new URLSearchParams({ _csrf: this.csrfToken, ...form }).toString(),
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        ...this.cookieHeader(),
        ...headers,
      },
    });
    return this.#remember(response);
  }

  async submit(page: string, form: Record<string, string>, headers: Record<string, string> = {}) {
    await this.get(page, headers);
    return this.post(page, form, headers);
  }

  /** Registers `username` and signs in; fails unless both went through. */
  async signUp(username: string, password = 'correct horse battery') {
    const registered = await this.submit('/auth/register', {
      username,
      email: `${username}@example.com`,
      password,
      password2: password,
    });
    if (registered.status !== 302) throw new Error(`register ${username}: ${registered.status}`);
    const login = await this.submit('/auth/login', { username, password });
    if (login.status !== 302) throw new Error(`login ${username}: ${login.status}`);
  }
}
