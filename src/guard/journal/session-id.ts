import { closeSync, openSync, readSync } from 'node:fs';

// A boot session id: a random (version 4) UUID, as crypto.randomUUID makes, from the kernel's
// random source. Not node:crypto: importing it loads ~20 modules of Node's crypto (ciphers, keys,
// X.509, WebCrypto) for one id per module boot, ~1 MB of a long-running guard's resident memory
// (bench/guard: RSS target < 60 MB). The guard runs on Linux, where /dev/urandom is always there.

export function newBootSessionId(): string {
  const bytes = Buffer.alloc(16);
  const fd = openSync('/dev/urandom', 'r');
  try {
    readSync(fd, bytes, 0, 16, null);
  } finally {
    closeSync(fd);
  }
  bytes.writeUInt8((bytes.readUInt8(6) & 0x0f) | 0x40, 6); // version 4
  bytes.writeUInt8((bytes.readUInt8(8) & 0x3f) | 0x80, 8); // RFC 4122 variant
  const digits = bytes.toString('hex');
  return `${digits.slice(0, 8)}-${digits.slice(8, 12)}-${digits.slice(12, 16)}-${digits.slice(16, 20)}-${digits.slice(20)}`;
}
