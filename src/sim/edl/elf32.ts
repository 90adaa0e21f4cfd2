// Just enough ELF32 for the PBL's image loader (edl sheet §1.6: "32-bit ELF only in this tree:
// class must be ELF32, e_ehsize 52, e_phentsize 32, 1..MI_PBT_MAX_SEGMENTS program headers").
// Offsets are the System V ELF32 layout, little-endian.
import { SaharaStatus, type SaharaStatusCode } from './sahara-protocol.js';

export const ELF32_HEADER_SIZE = 52;
export const ELF32_PHDR_SIZE = 32;
/** MI_PBT_MAX_SEGMENTS is not in the sheet; 100 is the usual Qualcomm value — UNVERIFIED. */
export const MAX_PROGRAM_HEADERS = 100;
export const PT_LOAD = 1;
/** Qualcomm segment type lives in p_flags bits 26..24; 2 marks the hash segment (MBN layout, not in the sheet — UNVERIFIED). */
export const QC_SEGMENT_TYPE_HASH = 2;

export interface Elf32Header {
  readonly entry: number;
  readonly phoff: number;
  readonly phnum: number;
}

export interface Elf32ProgramHeader {
  readonly type: number;
  readonly offset: number;
  readonly vaddr: number;
  readonly paddr: number;
  readonly filesz: number;
  readonly memsz: number;
  readonly flags: number;
}

export type ElfCheck<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly status: SaharaStatusCode };

/**
 * Which NAK each defect earns is our reading of the §1.5 names: bad magic/class/byte order/header
 * size → 0x14 INVALID_ELF_HDR, wrong e_phentsize → 0x0F INVALID_PHDR_SIZE, 0 or too many program
 * headers → 0x0E UNSUPPORTED_NUM_PHDRS (the code bkerler/Loaders#114 saw for wrong programmers).
 */
export function parseElf32Header(bytes: Uint8Array): ElfCheck<Elf32Header> {
  if (bytes.length < ELF32_HEADER_SIZE) return { ok: false, status: SaharaStatus.InvalidElfHdr };
  const magic = bytes[0] === 0x7f && bytes[1] === 0x45 && bytes[2] === 0x4c && bytes[3] === 0x46;
  const elf32 = bytes[4] === 1;
  const littleEndian = bytes[5] === 1;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (!magic || !elf32 || !littleEndian || view.getUint16(40, true) !== ELF32_HEADER_SIZE) return { ok: false, status: SaharaStatus.InvalidElfHdr };
  if (view.getUint16(42, true) !== ELF32_PHDR_SIZE) return { ok: false, status: SaharaStatus.InvalidPhdrSize };
  const phnum = view.getUint16(44, true);
  if (phnum < 1 || phnum > MAX_PROGRAM_HEADERS) return { ok: false, status: SaharaStatus.UnsupportedNumPhdrs };
  return { ok: true, value: { entry: view.getUint32(24, true), phoff: view.getUint32(28, true), phnum } };
}

export function parseProgramHeaders(bytes: Uint8Array, count: number): Elf32ProgramHeader[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headers: Elf32ProgramHeader[] = [];
  for (let index = 0; index < count; index += 1) {
    const at = index * ELF32_PHDR_SIZE;
    headers.push({
      type: view.getUint32(at, true),
      offset: view.getUint32(at + 4, true),
      vaddr: view.getUint32(at + 8, true),
      paddr: view.getUint32(at + 12, true),
      filesz: view.getUint32(at + 16, true),
      memsz: view.getUint32(at + 20, true),
      flags: view.getUint32(at + 24, true),
    });
  }
  return headers;
}

export function qcSegmentType(header: Elf32ProgramHeader): number {
  return (header.flags >>> 24) & 0x7;
}
