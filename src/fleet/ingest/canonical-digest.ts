import { createHash } from 'node:crypto';

// A resent event is the same bytes from the journal, but a proxy or another client library may
// reorder keys; the digest is over JSON with sorted keys so only content counts.

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const record = value as Record<string, unknown>;
    return `{${Object.keys(record)
      .sort()
      .filter((key) => record[key] !== undefined)
      .map((key) => `${JSON.stringify(key)}:${canonical(record[key])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

export function eventDigest(event: unknown): string {
  return createHash('sha256').update(canonical(event)).digest('base64url');
}
