import { timingSafeEqual } from 'node:crypto';

/** A unit's id and secret from `Authorization: Basic base64(unit:secret)` or `Authorization: Bearer unit:secret`. */
export function unitCredentials(header: string | undefined): { unit: string; secret: string } | undefined {
  if (header === undefined) return undefined;
  const [scheme, value] = header.trim().split(/\s+/u, 2);
  if (scheme === undefined || value === undefined) return undefined;
  let pair: string;
  if (scheme.toLowerCase() === 'basic') pair = Buffer.from(value, 'base64').toString('utf8');
  else if (scheme.toLowerCase() === 'bearer') pair = value;
  else return undefined;
  const colon = pair.indexOf(':');
  if (colon <= 0) return undefined;
  return { unit: pair.slice(0, colon), secret: pair.slice(colon + 1) };
}

/** True when `header` is `Bearer <token>`, compared in constant time. */
export function isAdmin(header: string | undefined, token: string): boolean {
  const match = /^Bearer\s+(\S+)$/u.exec(header?.trim() ?? '');
  if (match?.[1] === undefined) return false;
  const given = Buffer.from(match[1]);
  const expected = Buffer.from(token);
  return given.length === expected.length && timingSafeEqual(given, expected);
}
