import { open, readdir } from 'node:fs/promises';
import { join } from 'node:path';

// The journal is a directory of segments, each named for the sequence number of its first record
// (journal-0000000000000001.jsonl). The names alone say where to start reading from a sequence,
// and an empty newest segment still says which sequence numbers are already taken.

const SEGMENT = /^journal-(\d{16})\.jsonl$/;

export interface Segment {
  readonly firstSeq: number;
  readonly path: string;
}

export function segmentName(firstSeq: number): string {
  return `journal-${String(firstSeq).padStart(16, '0')}.jsonl`;
}

/** The segments in `dir`, oldest first. */
export async function listSegments(dir: string): Promise<Segment[]> {
  const names = await readdir(dir);
  return names
    .flatMap((name) => {
      const match = SEGMENT.exec(name);
      return match?.[1] === undefined ? [] : [{ firstSeq: Number(match[1]), path: join(dir, name) }];
    })
    .sort((a, b) => a.firstSeq - b.firstSeq);
}

/** fsync a directory, so a file created, renamed or removed in it survives a power cut. */
export async function syncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
