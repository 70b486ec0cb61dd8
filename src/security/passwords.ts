import { pbkdf2, scrypt, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';
import { hash, verify } from '@node-rs/argon2';

// OWASP's argon2id baseline: 19 MiB, 2 passes, 1 lane. The package's `Algorithm` is a
// const enum, which verbatimModuleSyntax cannot import: 2 is Algorithm.Argon2id.
const ARGON2ID = { algorithm: 2, memoryCost: 19456, timeCost: 2, parallelism: 1 };

const scryptAsync = promisify(scrypt) as (
  password: string,
  salt: string,
  length: number,
  options: { N: number; r: number; p: number; maxmem: number },
) => Promise<Buffer>;
const pbkdf2Async = promisify(pbkdf2);

export function hashPassword(password: string): Promise<string> {
  return hash(password, ARGON2ID);
}

/** Hashes made by Werkzeug (the Flask Microblog) work until their owner next logs in. */
export function needsRehash(passwordHash: string): boolean {
  return !passwordHash.startsWith('$argon2id$');
}

function sameHex(expected: string, actual: Buffer): boolean {
  const wanted = Buffer.from(expected, 'hex');
  return wanted.length === actual.length && timingSafeEqual(wanted, actual);
}

/** Werkzeug's `scrypt:N:r:p$salt$hex` and `pbkdf2:sha256:iterations$salt$hex`. */
async function verifyWerkzeug(passwordHash: string, password: string): Promise<boolean> {
  const [method, salt, expected] = passwordHash.split('$');
  if (!method || !salt || !expected || !/^[0-9a-f]+$/.test(expected)) return false;
  const [name, ...args] = method.split(':');
  if (name === 'scrypt') {
    const [N, r, p] = args.map(Number);
    if (![N, r, p].every(Number.isInteger) || N > 2 ** 20 || r > 64 || p > 16) return false;
    const derived = await scryptAsync(password, salt, expected.length / 2, {
      N,
      r,
      p,
      maxmem: 256 * N * r + 1024,
    });
    return sameHex(expected, derived);
  }
  if (name === 'pbkdf2') {
    const [digest = 'sha256', iterations = '600000'] = args;
    if (!['sha1', 'sha256', 'sha512'].includes(digest) || !/^\d{1,7}$/.test(iterations))
      return false;
    const derived = await pbkdf2Async(
      password,
      salt,
      Number(iterations),
      expected.length / 2,
      digest,
    );
    return sameHex(expected, derived);
  }
  return false;
}

/** False for a wrong password or a hash this module cannot read; never throws on user input. */
export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    if (passwordHash.startsWith('$argon2')) return await verify(passwordHash, password);
    return await verifyWerkzeug(passwordHash, password);
  } catch {
    return false;
  }
}
