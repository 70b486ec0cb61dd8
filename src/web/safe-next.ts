/**
 * Where to go after a login or a language switch: only a local path, never another site
 * (an open redirect).
 */
export function safeNext(next: unknown): string {
  if (
    typeof next !== 'string' ||
    !next.startsWith('/') ||
    next.startsWith('//') ||
    next.includes('\\')
  ) {
    return '/index';
  }
  const url = new URL(next, 'http://local.invalid');
  // `/.//evil.com` normalizes to the path `//evil.com`, which a browser reads as a host.
  if (url.origin !== 'http://local.invalid' || url.pathname.startsWith('//')) return '/index';
  return `${url.pathname}${url.search}`;
}
