// Page arithmetic on NAND with bad blocks. The programmer skips a bad block and carries on in the
// next good one, for program and for a read with bad_block_at_end (edl-protocols.md §2.4–2.5), so
// data of n pages starting at s occupies more than n pages when bad blocks lie on the way. The
// BAD_BLOCK=n values of getstorageinfo are taken as block numbers (§2.7; the unit is UNVERIFIED).

/** Pages from `start` that hold `sectors` pages of data once bad blocks are skipped. */
export function physicalSpan(start: number, sectors: number, badBlocks: readonly number[] | undefined, pagesPerBlock: number): number {
  if (badBlocks === undefined || badBlocks.length === 0 || sectors === 0) return sectors;
  const bad = new Set(badBlocks);
  let block = Math.floor(start / pagesPerBlock);
  let remaining = sectors + (start % pagesPerBlock);
  let spanned = -(start % pagesPerBlock);
  while (remaining > 0) {
    if (!bad.has(block)) remaining -= pagesPerBlock;
    spanned += pagesPerBlock;
    block += 1;
  }
  return spanned + Math.min(0, remaining);
}

/** Good blocks in [start, start + sectors). */
export function goodBlocksIn(start: number, sectors: number, badBlocks: readonly number[] | undefined, pagesPerBlock: number): number {
  const first = Math.floor(start / pagesPerBlock);
  const end = Math.ceil((start + sectors) / pagesPerBlock);
  const bad = new Set((badBlocks ?? []).filter((block) => block >= first && block < end));
  return end - first - bad.size;
}

export function roundUpToBlocks(sectors: number, pagesPerBlock: number): number {
  return Math.ceil(sectors / pagesPerBlock) * pagesPerBlock;
}

export interface SectorRange {
  readonly start: number;
  readonly end: number;
}

/** Whether [range] is inside the union of `covers`. */
export function isCovered(range: SectorRange, covers: readonly SectorRange[]): boolean {
  let at = range.start;
  const sorted = [...covers].sort((a, b) => a.start - b.start);
  for (const cover of sorted) {
    if (cover.start > at) break;
    if (cover.end > at) at = cover.end;
    if (at >= range.end) return true;
  }
  return at >= range.end;
}
