// The order in which the PBL pulls an ELF programmer (edl sheet §1.6, §1.7): header, program
// headers, the hash segment, then every loadable segment, each in READ_DATA chunks of at most
// 0x1000 bytes — the pattern real logs show: (0,0x34) (0x34,n×32) (0x1000,…) (0x2000,…) …
import { PT_LOAD, QC_SEGMENT_TYPE_HASH, qcSegmentType, type Elf32ProgramHeader } from './elf32.js';
import { SAHARA_MAX_READ, SaharaStatus, type SaharaStatusCode } from './sahara-protocol.js';

export interface ReadRequest {
  readonly offset: number;
  readonly length: number;
}

/** A programmer bigger than this would not fit the PBL's RAM; we refuse it as a bad address. */
export const MAX_IMAGE_EXTENT = 32 * 1024 * 1024;

export function chunkReads(offset: number, length: number, max = SAHARA_MAX_READ): ReadRequest[] {
  const reads: ReadRequest[] = [];
  for (let done = 0; done < length; done += max) reads.push({ offset: offset + done, length: Math.min(max, length - done) });
  return reads;
}

/**
 * The segment reads after the program headers. A missing hash segment is refused with
 * 0x23 HASH_TABLE_NOT_FOUND and a segment beyond MAX_IMAGE_EXTENT with 0x12 INVALID_DEST_ADDR —
 * our choice of codes, UNVERIFIED: the sheet does not say what the PBL does in those cases.
 */
export function planSegmentReads(headers: readonly Elf32ProgramHeader[]): { ok: true; reads: ReadRequest[] } | { ok: false; status: SaharaStatusCode } {
  const hash = headers.find((header) => qcSegmentType(header) === QC_SEGMENT_TYPE_HASH && header.filesz > 0);
  if (hash === undefined) return { ok: false, status: SaharaStatus.HashTableNotFound };
  const loads = headers.filter((header) => header !== hash && header.type === PT_LOAD && header.filesz > 0);
  const segments = [hash, ...loads];
  if (segments.some((segment) => segment.offset + segment.filesz > MAX_IMAGE_EXTENT)) return { ok: false, status: SaharaStatus.InvalidDestAddr };
  return { ok: true, reads: segments.flatMap((segment) => chunkReads(segment.offset, segment.filesz)) };
}
