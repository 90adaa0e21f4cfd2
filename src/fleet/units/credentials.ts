import { createHash, randomBytes, scrypt, timingSafeEqual } from 'node:crypto';

// Unit secrets are stored as scrypt hashes (node:crypto, no dependency): a leaked database does
// not hand out the fleet's credentials. Format: scrypt$N$r$p$salt$hash, base64url.

const N = 16384;
const R = 8;
const P = 1;
const KEY_LENGTH = 32;

function derive(secret: string, salt: Buffer, params: { n: number; r: number; p: number }): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(secret, salt, KEY_LENGTH, { N: params.n, r: params.r, p: params.p, maxmem: 64 * 1024 * 1024 }, (error, key) => {
      if (error === null) resolve(key);
      else reject(error);
    });
  });
}

/** A new random secret for a unit: 32 bytes, base64url (43 characters, safe in MQTT passwords and headers). */
export function generateSecret(): string {
  return randomBytes(32).toString('base64url');
}

export async function hashSecret(secret: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(secret, salt, { n: N, r: R, p: P });
  return ['scrypt', N, R, P, salt.toString('base64url'), key.toString('base64url')].join('$');
}

export async function verifySecret(secret: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || n === undefined || r === undefined || p === undefined || salt === undefined || hash === undefined) return false;
  const expected = Buffer.from(hash, 'base64url');
  const key = await derive(secret, Buffer.from(salt, 'base64url'), { n: Number(n), r: Number(r), p: Number(p) });
  return key.length === expected.length && timingSafeEqual(key, expected);
}

/** A fast fingerprint of a secret already verified, for the in-memory cache (never stored). */
export function secretFingerprint(unit: string, secret: string): string {
  return createHash('sha256').update(unit).update('\0').update(secret).digest('base64url');
}
