// A small 32-bit ELF shaped like a Qualcomm programmer (prog_nand_firehose_9x07.mbn): a PT_NULL
// header segment (flags 0x07000000), a hash segment at 0x1000 (segment type 2 in p_flags bits
// 26..24) and PT_LOAD segments after it. Written byte by byte here, independently of src/.

export interface SyntheticSegment {
  readonly offset: number;
  readonly size: number;
}

export interface SyntheticElf {
  readonly bytes: Uint8Array;
  readonly phnum: number;
  readonly hash: SyntheticSegment;
  readonly loads: readonly SyntheticSegment[];
}

export interface SyntheticElfOptions {
  readonly loadSizes?: readonly number[];
  readonly hashSize?: number;
  readonly withHash?: boolean;
  /** Overrides for header fields: ELF class (byte 4), e_phentsize, e_phnum. */
  readonly elfClass?: number;
  readonly phentsize?: number;
  readonly phnumOverride?: number;
}

export function buildSyntheticElf(options: SyntheticElfOptions = {}): SyntheticElf {
  const loadSizes = options.loadSizes ?? [0x9d0, 0x2345];
  const withHash = options.withHash ?? true;
  const hashSize = options.hashSize ?? 0x100;
  const phnum = 1 + (withHash ? 1 : 0) + loadSizes.length;
  const hash = { offset: 0x1000, size: hashSize };
  const loads: SyntheticSegment[] = [];
  let offset = 0x2000;
  for (const size of loadSizes) {
    loads.push({ offset, size });
    offset += Math.ceil(size / 0x1000) * 0x1000;
  }
  const total = loads.length > 0 ? Math.max(...loads.map((s) => s.offset + s.size)) : 0x2000;
  const bytes = new Uint8Array(total);
  const view = new DataView(bytes.buffer);
  bytes.set([0x7f, 0x45, 0x4c, 0x46, options.elfClass ?? 1, 1, 1], 0);
  view.setUint16(16, 2, true); // ET_EXEC
  view.setUint16(18, 40, true); // ARM
  view.setUint32(20, 1, true);
  view.setUint32(24, 0x08008000, true); // e_entry
  view.setUint32(28, 52, true); // e_phoff
  view.setUint16(40, 52, true); // e_ehsize
  view.setUint16(42, options.phentsize ?? 32, true);
  view.setUint16(44, options.phnumOverride ?? phnum, true);
  let index = 0;
  const phdr = ({ type, offset: off, filesz, flags, vaddr }: { type: number; offset: number; filesz: number; flags: number; vaddr: number }): void => {
    const at = 52 + index * 32;
    view.setUint32(at, type, true);
    view.setUint32(at + 4, off, true);
    view.setUint32(at + 8, vaddr, true);
    view.setUint32(at + 12, vaddr, true);
    view.setUint32(at + 16, filesz, true);
    view.setUint32(at + 20, filesz, true);
    view.setUint32(at + 24, flags, true);
    view.setUint32(at + 28, 0x1000, true);
    index += 1;
  };
  phdr({ type: 0, offset: 0, filesz: 52 + phnum * 32, flags: 0x07000000, vaddr: 0 });
  if (withHash) phdr({ type: 0, offset: hash.offset, filesz: hash.size, flags: 0x02200000, vaddr: 0x08000000 });
  loads.forEach((segment, n) => {
    phdr({ type: 1, offset: segment.offset, filesz: segment.size, flags: 0x80000007, vaddr: 0x08008000 + n * 0x10000 });
  });
  // Recognisable contents: every segment byte is derived from its file offset.
  const fill = (segment: SyntheticSegment): void => {
    for (let at = segment.offset; at < segment.offset + segment.size; at += 1) bytes[at] = (at * 7 + (at >>> 8)) & 0xff;
  };
  if (withHash) fill(hash);
  loads.forEach(fill);
  return { bytes, phnum, hash, loads };
}
