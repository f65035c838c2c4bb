/**
 * Personal passwords, hashed with scrypt (memory-hard, RFC 7914) from Node's own crypto (OpenSSL):
 * maintained with Node itself, no native add-on to build for Electron. N = 2^15, r = 8 (32 MiB,
 * about 0.1 s here): expensive for a guesser with a copy of the database, cheap enough per login.
 * The parameters are stored with each hash, so they can be raised later for new passwords.
 */
import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';

const PARAMS = { N: 2 ** 15, r: 8, p: 1 };
const KEY_BYTES = 32;

function derive(password: string, salt: Buffer, p: typeof PARAMS): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(password.normalize('NFC'), salt, KEY_BYTES, { ...p, maxmem: 128 * p.N * p.r * 2 }, (error, key) =>
      error ? reject(error) : resolve(key),
    ),
  );
}

/** scrypt$N$r$p$salt$hash (base64). */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(password, salt, PARAMS);
  return ['scrypt', PARAMS.N, PARAMS.r, PARAMS.p, salt.toString('base64'), key.toString('base64')].join('$');
}

export async function verifyPassword(password: string, stored: string | null): Promise<boolean> {
  if (!stored) return false;
  const [scheme, n, r, p, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64');
  const key = await derive(password, Buffer.from(salt, 'base64'), {
    N: Number(n),
    r: Number(r),
    p: Number(p),
  });
  return key.length === expected.length && timingSafeEqual(key, expected);
}

/** What a password must be: long enough to resist guessing, as people write them. */
export function passwordProblem(password: string): 'too-short' | 'too-long' | null {
  if (password.length < 10) return 'too-short';
  if (password.length > 1024) return 'too-long';
  return null;
}
