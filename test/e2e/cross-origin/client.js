// A client on another origin, as react-microblog is: it knows only the API's address and
// resolves every URL the API returns against the response it came in. It reports what it
// did in window.result, for test/e2e/cross-origin.test.ts.
(async () => {
  const api = new URL(document.documentElement.dataset.api);
  const log = [];
  const call = async (path, { method = 'GET', token, body, headers = {}, credentials } = {}) => {
    const response = await fetch(new URL(path, api), {
      method,
      credentials: credentials ?? 'omit',
      headers: {
        'content-type': 'application/json',
        authorization: token ? `Bearer ${token}` : 'Bearer null',
        ...headers,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const json = response.status === 204 ? null : await response.json();
    log.push(`${method} ${path} ${response.status}`);
    return { response, json };
  };
  try {
    const name = `far${Date.now() % 100000}`;
    await call('/api/users', {
      method: 'POST',
      body: { username: name, email: `${name}@example.com`, password: 'secret' },
    });
    const login = await call('/api/tokens', {
      method: 'POST',
      credentials: 'include',
      headers: { authorization: `Basic ${btoa(`${name}:secret`)}` },
    });
    let token = login.json.access_token;
    await call('/api/posts', { method: 'POST', token, body: { text: 'hello from afar' } });
    const answers = [
      await call('/api/me', { token }),
      await call('/api/users', { token }),
      await call('/api/feed', { token }),
    ];
    // Every URL in the answers. API URLs resolve against the response's own URL; avatars
    // are used as react-microblog uses them, as they are, in an <img> of this page.
    const urls = new Map();
    const collect = (value, base) => {
      if (Array.isArray(value)) for (const item of value) collect(item, base);
      else if (value && typeof value === 'object') {
        for (const [key, item] of Object.entries(value)) {
          if (key === 'avatar_url') urls.set(item, key);
          else if (typeof item === 'string' && /(^|_)url$/.test(key))
            urls.set(new URL(item, base).href, key);
          else collect(item, base);
        }
      }
    };
    for (const { response, json } of answers) collect(json, response.url);
    const loaded = [];
    for (const [url, key] of urls) {
      if (key === 'avatar_url') {
        // Shown as react-microblog shows it: the URL plus a size, in an <img>.
        const image = new Image();
        image.src = `${url}&s=48`;
        await image.decode().then(
          () => loaded.push({ url: image.src, ok: image.naturalWidth === 48 }),
          () => loaded.push({ url: image.src, ok: false }),
        );
      } else {
        const response = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
        loaded.push({ url, ok: response.ok });
      }
    }
    // The refresh token travels in its cookie, as react-microblog relies on.
    const refreshed = await call('/api/tokens', {
      method: 'PUT',
      credentials: 'include',
      body: { access_token: token },
    });
    token = refreshed.json?.access_token ?? token;
    window.result = { ok: true, log, loaded, refreshed: refreshed.response.status };
  } catch (error) {
    window.result = { ok: false, log, error: String(error) };
  }
})();
