// md5.txt in Quectel's form (quectel sheet §2.7): one `<drive>:\<path>\<file>:<MD5>` line per
// file. QFirehose takes what follows the drive's `:\` up to the next `:` as a path inside the
// package (backslashes turned into slashes) and compares the first 16 hex digits, ignoring case
// (QFH md5.c). Lines here: drive D:, files in the order a QFirehose 1.4.17 log of an EC20
// package checks them ("Unable to upgrade firmware on EC20 using QFirehose", Quectel forum) —
// Explorer-like: case and punctuation ignored, so mdm9607-perf-boot.img comes before mdm-perf-…;
// upper-case hex as QFirehose prints its own, CRLF line ends — our assumption for a file made on
// Windows (the paths are Windows'); readers must accept either line end.
import { createHash } from 'node:crypto';
import { open } from 'node:fs/promises';

export const MD5_DRIVE = 'D';
const READ_CHUNK = 1024 * 1024;

export interface Md5Entry {
  /** Package path, '/'-separated. */
  readonly path: string;
  /** 32 hex digits. */
  readonly md5: string;
}

export function md5Line(entry: Md5Entry): string {
  return `${MD5_DRIVE}:\\${entry.path.split('/').join('\\')}:${entry.md5.toUpperCase()}`;
}

export function md5Text(entries: readonly Md5Entry[]): string {
  const sorted = [...entries].sort((a, b) => compareInsensitive(a.path, b.path));
  return sorted.map((entry) => `${md5Line(entry)}\r\n`).join('');
}

/** MD5 of a file, read through one reused buffer so memory stays flat for 48 MiB images. */
export async function md5OfFile(path: string): Promise<string> {
  const hash = createHash('md5');
  const buffer = new Uint8Array(READ_CHUNK);
  const file = await open(path, 'r');
  try {
    for (;;) {
      const { bytesRead } = await file.read(buffer, 0, buffer.length, null);
      if (bytesRead === 0) break;
      hash.update(buffer.subarray(0, bytesRead));
    }
  } finally {
    await file.close();
  }
  return hash.digest('hex');
}

const collator = new Intl.Collator('en', { sensitivity: 'base', ignorePunctuation: true });

function compareInsensitive(a: string, b: string): number {
  return collator.compare(a, b) || (a < b ? -1 : a > b ? 1 : 0);
}
