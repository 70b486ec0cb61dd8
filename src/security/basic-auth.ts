/** The login and password of an `Authorization: Basic …` header, if it holds any. */
export function basicCredentials(authorization: string | undefined): [string, string] | undefined {
  const match = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(authorization ?? '');
  if (!match) return undefined;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 1) return undefined;
  return [decoded.slice(0, colon), decoded.slice(colon + 1)];
}
