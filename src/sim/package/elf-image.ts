// The .mbn boot images as 32-bit ELF files shaped like Qualcomm's (edl sheet §1.6–1.7): ELF
// header, program headers at 0x34, a hash segment at 0x1000, loadable segments from 0x2000.
// The PBL reads exactly that — (0, 0x34), (0x34, n × 32), (0x1000, 0x1000), (0x2000, …) in real
// logs — so the programmer built here loads through any faithful Sahara target.
//
// Program headers, as in the synthetic ELF of the Sahara tests and Qualcomm MBNs: a PT_NULL entry
// covering the ELF and program headers (Qualcomm segment type 7 in p_flags bits 26..24), the
// PT_NULL hash segment (segment type 2, flags 0x02200000), then PT_LOAD segments. The hash
// segment opens with our image descriptor (image-descriptor.ts) where a signed MBN keeps its
// header, followed by a SHA-256 per program header (zero for the hash segment itself) as in
// Qualcomm's hash table; there is no signature or certificate chain (secure boot is off on the
// EC25s seen, DEFC "Secure boot disabled").
import { createHash } from 'node:crypto';
import { DESCRIPTOR_OFFSETS, encodeDescriptor, type ImageIdentity } from './image-descriptor.js';
import { sealImage } from './image-format.js';
import { SimPackageError } from './package-errors.js';
import type { SeededBytes } from './seeded-bytes.js';

const EHDR_SIZE = 52;
const PHDR_SIZE = 32;
const PHDR_OFFSET = 0x34;
const HASH_OFFSET = 0x1000;
const HASH_SIZE = 0x1000;
const FIRST_LOAD = 0x2000;
const PAGE = 0x1000;
/** Where the per-segment hashes start inside the hash segment, past the descriptor. */
const HASH_TABLE_OFFSET = 0x100;

const PT_NULL = 0;
const PT_LOAD = 1;
const EM_ARM = 40;
const ET_EXEC = 2;
/** Qualcomm p_flags: segment type 7 (the headers), 2 (hash), and "loadable, RX/RW". */
const FLAGS_PHDR = 0x07000000;
const FLAGS_HASH = 0x02200000;
const FLAGS_CODE = 0x80000005;
const FLAGS_DATA = 0x80000006;

/** The smallest file that still has a byte of code after the hash segment. */
export const MIN_ELF_IMAGE_BYTES = FIRST_LOAD + 1;

export interface ElfImageOptions {
  /** Exact file size. */
  readonly size: number;
  readonly loadAddress: number;
  readonly identity: ImageIdentity;
  readonly content: SeededBytes;
}

interface Segment {
  readonly type: number;
  readonly offset: number;
  readonly vaddr: number;
  readonly size: number;
  readonly flags: number;
}

export function buildElfImage(options: ElfImageOptions): Uint8Array {
  const { size, loadAddress } = options;
  if (!Number.isSafeInteger(size) || size < MIN_ELF_IMAGE_BYTES) throw new SimPackageError('SIM_PACKAGE_LAYOUT', `an ELF image needs at least ${MIN_ELF_IMAGE_BYTES} bytes, not ${size}`);
  const loads = splitLoads(size).map((load, index): Segment => ({
    type: PT_LOAD,
    offset: load.offset,
    vaddr: (loadAddress + load.offset - FIRST_LOAD) >>> 0,
    size: load.size,
    flags: index === 0 ? FLAGS_CODE : FLAGS_DATA,
  }));
  const phnum = 2 + loads.length;
  const headersEnd = PHDR_OFFSET + phnum * PHDR_SIZE;
  const segments: Segment[] = [
    { type: PT_NULL, offset: 0, vaddr: 0, size: headersEnd, flags: FLAGS_PHDR },
    { type: PT_NULL, offset: HASH_OFFSET, vaddr: (loadAddress + alignUp(size - FIRST_LOAD, PAGE)) >>> 0, size: HASH_SIZE, flags: FLAGS_HASH },
    ...loads,
  ];
  const bytes = new Uint8Array(size);
  const view = new DataView(bytes.buffer);
  writeElfHeader(view, loadAddress, phnum);
  segments.forEach((segment, index) => {
    writeProgramHeader(view, PHDR_OFFSET + index * PHDR_SIZE, segment);
  });
  for (const load of loads) options.content.fill(bytes.subarray(load.offset, load.offset + load.size));
  // Hash table: one SHA-256 per program header, in order; the hash segment's own entry is zero.
  segments.forEach((segment, index) => {
    if (segment.offset === HASH_OFFSET) return;
    const digest = createHash('sha256').update(bytes.subarray(segment.offset, segment.offset + segment.size)).digest();
    bytes.set(digest, HASH_OFFSET + HASH_TABLE_OFFSET + index * 32);
  });
  bytes.set(encodeDescriptor(options.identity, size), DESCRIPTOR_OFFSETS.elf);
  sealImage(bytes);
  return bytes;
}

/**
 * The bytes after the hash segment, as one code segment or, when there is room, a code segment
 * that does not end on a page and a data segment starting on the next page (zero bytes between,
 * which the PBL never asks for).
 */
function splitLoads(size: number): { offset: number; size: number }[] {
  const body = size - FIRST_LOAD;
  if (body < 4 * PAGE) return [{ offset: FIRST_LOAD, size: body }];
  const first = Math.max(PAGE, Math.floor((body * 0.7) / PAGE) * PAGE) - 0x230;
  const second = FIRST_LOAD + alignUp(first, PAGE);
  return [
    { offset: FIRST_LOAD, size: first },
    { offset: second, size: size - second },
  ];
}

function writeElfHeader(view: DataView, entry: number, phnum: number): void {
  // e_ident: magic, ELFCLASS32, little-endian, EV_CURRENT, System V ABI.
  [0x7f, 0x45, 0x4c, 0x46, 1, 1, 1, 0].forEach((byte, index) => {
    view.setUint8(index, byte);
  });
  view.setUint16(16, ET_EXEC, true);
  view.setUint16(18, EM_ARM, true);
  view.setUint32(20, 1, true); // e_version
  view.setUint32(24, entry >>> 0, true);
  view.setUint32(28, PHDR_OFFSET, true);
  view.setUint32(32, 0, true); // e_shoff: no section headers, as in shipped MBNs
  view.setUint32(36, 0x05000000, true); // e_flags: ARM EABI version 5
  view.setUint16(40, EHDR_SIZE, true);
  view.setUint16(42, PHDR_SIZE, true);
  view.setUint16(44, phnum, true);
}

function writeProgramHeader(view: DataView, at: number, segment: Segment): void {
  view.setUint32(at, segment.type, true);
  view.setUint32(at + 4, segment.offset, true);
  view.setUint32(at + 8, segment.vaddr, true);
  view.setUint32(at + 12, segment.vaddr, true);
  view.setUint32(at + 16, segment.size, true);
  view.setUint32(at + 20, segment.size, true);
  view.setUint32(at + 24, segment.flags, true);
  view.setUint32(at + 28, segment.type === PT_LOAD || segment.offset === HASH_OFFSET ? PAGE : 0, true);
}

function alignUp(value: number, to: number): number {
  return Math.ceil(value / to) * to;
}
