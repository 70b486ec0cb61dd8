/** The login and password of an `Authorization: Basic …` header, if it holds any. */
export function basicCredentials(authorization: string | undefined): [string, string] | undefined {
  const match = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(authorization ?? '');
  if (!match) return undefined;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 1) return undefined;
  const login = decoded.slice(0, colon);
  // A login that holds NUL or other control characters names no account, and no database
  // should be asked about it.
  // biome-ignore lint/suspicious/noControlCharactersInRegex: refusing them is the point.
  if (/[\u0000-\u001f\u007f]/.test(login) || !login.isWellFormed()) return undefined;
  return [login, decoded.slice(colon + 1)];
}
