// A small synthetic 32-bit ELF "programmer" for Sahara tests: what the 9x07 PBL accepts in shape
// (ELF32, e_ehsize 52, e_phentsize 32, a hash segment at 0x1000, loadable segments after it —
// edl-protocols.md §1.6–1.7), filled with a recognisable byte pattern.

export interface Elf32Segment {
  readonly offset: number;
  readonly size: number;
}

export interface SyntheticElf {
  readonly image: Uint8Array;
  readonly phnum: number;
  readonly segments: readonly Elf32Segment[];
}

export function buildElf32(segmentSizes: readonly number[] = [0x68, 0x19d0, 0x1000]): SyntheticElf {
  const segments: Elf32Segment[] = [];
  let offset = 0x1000;
  for (const size of segmentSizes) {
    segments.push({ offset, size });
    offset = Math.ceil((offset + size) / 0x1000) * 0x1000;
  }
  const last = segments.at(-1) ?? { offset: 0x1000, size: 0 };
  const image = new Uint8Array(last.offset + last.size);
  for (let i = 0; i < image.length; i += 1) image[i] = (i * 7 + (i >>> 8)) & 0xff;
  const view = new DataView(image.buffer);
  image.set([0x7f, 0x45, 0x4c, 0x46, 1, 1, 1], 0);
  image.fill(0, 7, 16);
  view.setUint16(16, 2, true); // ET_EXEC
  view.setUint16(18, 40, true); // EM_ARM
  view.setUint32(20, 1, true);
  view.setUint32(28, 0x34, true); // e_phoff
  view.setUint16(40, 52, true); // e_ehsize
  view.setUint16(42, 32, true); // e_phentsize
  view.setUint16(44, segments.length, true);
  segments.forEach((segment, i) => {
    const at = 0x34 + 32 * i;
    view.setUint32(at, i === 0 ? 0 : 1, true); // hash segment is PT_NULL, the rest PT_LOAD
    view.setUint32(at + 4, segment.offset, true);
    view.setUint32(at + 16, segment.size, true);
    view.setUint32(at + 20, segment.size, true);
  });
  return { image, phnum: segments.length, segments };
}

/** The READ_DATA walk a 9x07 PBL does over such an image (§1.7): header, phdrs, then each segment in ≤ 4 KiB chunks. */
export function pblReadPattern(elf: SyntheticElf, chunk = 0x1000): [number, number][] {
  const reads: [number, number][] = [[0, 0x34], [0x34, 32 * elf.phnum]];
  for (const { offset, size } of elf.segments) {
    for (let at = 0; at < size; at += chunk) reads.push([offset + at, Math.min(chunk, size - at)]);
  }
  return reads;
}
