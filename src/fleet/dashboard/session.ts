import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { SqlQueryable } from '../store/executor.js';

// A session is a signed cookie, not a table row: name.expiry.HMAC-SHA256 with a secret kept in the
// store (fleet_settings), so every server on one database accepts it and a restart keeps people
// logged in. HttpOnly (no script reads it) and SameSite=Strict (no other site's form can use it,
// which is the CSRF defence of the logout and login forms).

export const SESSION_COOKIE = 'medic_session';
export const SESSION_HOURS = 12;

export async function sessionSecret(db: SqlQueryable): Promise<Buffer> {
  await db.query("INSERT INTO fleet_settings (key, value) VALUES ('session-secret', $1) ON CONFLICT (key) DO NOTHING", [randomBytes(32).toString('base64url')]);
  const [row] = await db.query<{ value: string }>("SELECT value FROM fleet_settings WHERE key = 'session-secret'");
  return Buffer.from(row?.value ?? '', 'base64url');
}

function sign(secret: Buffer, payload: string): string {
  return createHmac('sha256', secret).update(payload).digest('base64url');
}

export function newSessionValue(secret: Buffer, operator: string, now = Date.now()): string {
  const payload = `${Buffer.from(operator).toString('base64url')}.${now + SESSION_HOURS * 3_600_000}`;
  return `${payload}.${sign(secret, payload)}`;
}

/** The operator a cookie value names, when its signature holds and it has not expired. */
export function operatorOfSession(secret: Buffer, value: string, now = Date.now()): string | undefined {
  const [name, expires, signature] = value.split('.');
  if (name === undefined || expires === undefined || signature === undefined) return undefined;
  const expected = Buffer.from(sign(secret, `${name}.${expires}`));
  const given = Buffer.from(signature);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
  if (!(Number(expires) > now)) return undefined;
  return Buffer.from(name, 'base64url').toString('utf8');
}

export function cookieValue(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const [key, ...rest] = part.trim().split('=');
    if (key === name) return rest.join('=');
  }
  return undefined;
}

export function sessionCookie(value: string, secure: boolean): string {
  return `${SESSION_COOKIE}=${value}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${SESSION_HOURS * 3600}${secure ? '; Secure' : ''}`;
}

export function clearedSessionCookie(): string {
  return `${SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0`;
}
