/**
 * A request URL fit for logs and error reports: password-reset links are live credentials
 * for 15 minutes, so their token is never written down.
 */
export function redactUrl(url: string): string {
  return url.replace(/^(\/auth\/reset_password\/)[^?#]*/, '$1[redacted]');
}
