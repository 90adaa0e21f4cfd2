// Factory bad blocks of a simulated module: a list (`--bad-blocks 12,57`) or a number of them at
// seeded positions (`--bad-blocks random:4`). Block 0 is never bad: NAND vendors guarantee the
// first block good, which is why the PBL can find SBL there — the programmer even ignores an erase
// failure on block 0 (edl sheet §2.6). The bad blocks are part of the module (saved in nand.json):
// a later start with other ones is refused, as a real chip cannot change its factory marks.
import { UsageError } from '../../core/errors.js';
import { createRng } from '../../core/rng.js';
import { isNandPresetName, NAND_PRESETS, type NandGeometry, type NandPresetName } from './nand-geometry.js';

/** Block numbers, or how many to place at seeded positions. */
export type BadBlockSpec = readonly number[] | { readonly count: number };

/** Keeps the draw of bad-block positions apart from the simulator's other seeded draws. */
const POSITION_SALT = 0x6ad0b10c;

export function parseGeometry(text: string): NandPresetName {
  if (isNandPresetName(text)) return text;
  throw new UsageError(`unknown NAND geometry ${text}`, { hint: `Use ${Object.keys(NAND_PRESETS).join(' or ')} (page size and erase block, as in the package file names).` });
}

/** `12,57` or `random:4` (what `medic sim --bad-blocks` takes). */
export function parseBadBlocks(text: string): BadBlockSpec {
  const hint = 'Give block numbers separated by commas (--bad-blocks 12,57) or a count at seeded positions (--bad-blocks random:4).';
  const random = /^random:(\d+)$/.exec(text.trim());
  if (random?.[1] !== undefined) return { count: Number(random[1]) };
  const words = text.split(',').map((word) => word.trim());
  if (words.length === 0 || words.some((word) => !/^\d+$/.test(word))) throw new UsageError(`bad block list "${text}" is not understood`, { hint });
  return words.map(Number);
}

/** The bad blocks `spec` names on `geometry`, sorted; a count is drawn from `seed` (same seed, same blocks). */
export function resolveBadBlocks(spec: BadBlockSpec, geometry: NandGeometry, seed: number): number[] {
  const last = geometry.blockCount - 1;
  if (!isList(spec)) {
    const { count } = spec;
    if (!Number.isSafeInteger(count) || count < 0 || count > last) {
      throw new UsageError(`cannot place ${count} bad blocks on a ${geometry.blockCount}-block NAND`, { hint: `Ask for 0 to ${last} (block 0 is always good).` });
    }
    const rng = createRng((seed ^ POSITION_SALT) >>> 0);
    const chosen = new Set<number>();
    while (chosen.size < count) chosen.add(rng.int(1, last));
    return [...chosen].sort((a, b) => a - b);
  }
  for (const block of spec) {
    if (!Number.isSafeInteger(block) || block < 0 || block > last) {
      throw new UsageError(`bad block ${block} is outside the NAND (blocks 0..${last})`, { hint: `Use block numbers 1..${last} of this geometry's ${geometry.pageSize * geometry.pagesPerBlock / 1024} KiB blocks.` });
    }
    if (block === 0) {
      throw new UsageError('block 0 cannot be a factory bad block', { hint: 'NAND parts guarantee block 0 good (SBL lives there, edl sheet §2.6); pick blocks from 1 on.' });
    }
  }
  return [...new Set(spec)].sort((a, b) => a - b);
}

/** A stored module keeps its bad blocks: `spec` must describe the ones it has. */
export function checkStoredBadBlocks(spec: BadBlockSpec, stored: readonly number[], where: string): void {
  const matches = isList(spec) ? sameBlocks([...new Set(spec)].sort((a, b) => a - b), stored) : spec.count === stored.length;
  if (matches) return;
  // A usage error: the command line asks for another module than the state directory holds.
  throw new UsageError(`the module in ${where} has bad blocks [${stored.join(', ')}], not the ones asked for`, {
    hint: 'Factory bad blocks belong to the module: leave out --bad-blocks to keep its own, or use a fresh state directory for another set.',
  });
}

function isList(spec: BadBlockSpec): spec is readonly number[] {
  return Array.isArray(spec);
}

function sameBlocks(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((block, index) => block === b[index]);
}
