// The Firehose programmer (prog_nand_firehose_9x07.mbn) is served to the boot ROM over Sahara, and
// the 9x07 PBL loads it as a 32-bit little-endian ARM ELF (edl-protocols.md §1.6–1.7). Checking the
// ELF header before starting catches a truncated download or a programmer of another platform
// (an AArch64 one for SDX chips) before the module is touched.

/** ELF header fields we check, declared once: offset and size (ELF32, little-endian). */
export const elfHeaderFields = {
  magic: { offset: 0, size: 4 },
  class: { offset: 4, size: 1 },
  data: { offset: 5, size: 1 },
  machine: { offset: 18, size: 2 },
} as const;

export const ELF_MAGIC = [0x7f, 0x45, 0x4c, 0x46] as const;
export const ELFCLASS32 = 1;
export const ELFDATA2LSB = 1;
export const EM_ARM = 40;
/** e_ehsize of an ELF32 header. */
export const ELF32_HEADER_SIZE = 52;

export interface ElfCheck {
  readonly ok: boolean;
  /** Why not, in words. */
  readonly reason?: string;
  readonly elfClass?: number;
  readonly machine?: number;
}

export function checkProgrammerElf(header: Uint8Array): ElfCheck {
  if (header.length < ELF32_HEADER_SIZE) return { ok: false, reason: `only ${header.length} bytes; an ELF32 header is ${ELF32_HEADER_SIZE}` };
  if (ELF_MAGIC.some((byte, index) => header[index] !== byte)) return { ok: false, reason: 'no ELF magic (7F 45 4C 46)' };
  const view = new DataView(header.buffer, header.byteOffset, header.byteLength);
  const elfClass = view.getUint8(elfHeaderFields.class.offset);
  const data = view.getUint8(elfHeaderFields.data.offset);
  const machine = view.getUint16(elfHeaderFields.machine.offset, true);
  if (elfClass !== ELFCLASS32) return { ok: false, reason: `ELF class ${elfClass} (${elfClass === 2 ? '64-bit' : 'unknown'}), the 9x07 boot ROM needs class 1 (32-bit)`, elfClass, machine };
  if (data !== ELFDATA2LSB) return { ok: false, reason: `ELF data encoding ${data}; the programmer is little-endian (1)`, elfClass, machine };
  if (machine !== EM_ARM) return { ok: false, reason: `e_machine ${machine}; an ARM programmer has 40`, elfClass, machine };
  return { ok: true, elfClass, machine };
}
