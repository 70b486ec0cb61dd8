import { createHmac } from 'node:crypto';

/** A key for one purpose, derived from SECRET_KEY, so no two features share a key. */
export function deriveKey(secretKey: string, purpose: string): string {
  return createHmac('sha256', secretKey).update(purpose).digest('hex');
}
