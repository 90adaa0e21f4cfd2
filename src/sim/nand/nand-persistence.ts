// The module's flash survives power cycles: the simulator saves the NAND into its state directory
// and loads it at the next power-on. Layout (one directory):
//   nand.json            geometry and bad blocks
//   blocks/<n>.bin       one file per block that holds anything: one state byte per page
//                        (0 erased, 1 programmed, 2 torn), then the programmed pages in order
// Only blocks changed since the last save into the same directory are rewritten, so saving a
// module with 90 MB of firmware after a small EFS change writes a few blocks, not 90 MB. Every file
// is written to a temporary name and renamed, so a crash leaves the old or the new block whole.
import { mkdir, readdir, readFile, rename, rm, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { SimNandError } from './nand-errors.js';
import { sameGeometry, type NandGeometry } from './nand-geometry.js';
import { NandFlash, type BlockImage, type NandFlashOptions, type PageState } from './nand-flash.js';

const FORMAT = 'modem-medic-nand';
const VERSION = 1;
const STATE_CODES = { erased: 0, programmed: 1, uncorrectable: 2 } as const satisfies Record<PageState, number>;
const CODE_STATES: readonly PageState[] = ['erased', 'programmed', 'uncorrectable'];

interface NandManifest {
  readonly format: typeof FORMAT;
  readonly version: typeof VERSION;
  readonly geometry: NandGeometry;
  readonly badBlocks: readonly number[];
}

/** Which directory each NAND was last saved to or loaded from: only then is a save incremental. */
const lastDirectory = new WeakMap<NandFlash, string>();

export async function saveNand(nand: NandFlash, directory: string): Promise<void> {
  const blocksDir = join(directory, 'blocks');
  const incremental = lastDirectory.get(nand) === directory;
  const dirty = nand.takeDirtyBlocks();
  if (!incremental) await rm(blocksDir, { recursive: true, force: true });
  await mkdir(blocksDir, { recursive: true });
  const used = new Set(nand.usedBlocks());
  const toWrite = incremental ? dirty : [...used];
  for (const block of toWrite) {
    const path = join(blocksDir, `${block}.bin`);
    if (used.has(block)) await writeAtomic(path, encodeBlock(nand.blockImage(block)));
    else await unlink(path).catch(ignoreMissing);
  }
  const manifest: NandManifest = { format: FORMAT, version: VERSION, geometry: nand.geometry, badBlocks: nand.badBlocks() };
  await writeAtomic(join(directory, 'nand.json'), Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`));
  lastDirectory.set(nand, directory);
}

export type LoadNandOptions = Omit<NandFlashOptions, 'geometry' | 'badBlocks'> & {
  /** When given, the saved NAND must have this geometry (a different module's state is refused). */
  readonly expectGeometry?: NandGeometry;
};

/** The NAND saved in `directory`, or undefined when nothing was saved there yet. */
export async function loadNand(directory: string, options: LoadNandOptions = {}): Promise<NandFlash | undefined> {
  let text: string;
  try {
    text = await readFile(join(directory, 'nand.json'), 'utf8');
  } catch (error) {
    if (isMissing(error)) return undefined;
    throw error;
  }
  const manifest = parseManifest(text, directory);
  if (options.expectGeometry !== undefined && !sameGeometry(options.expectGeometry, manifest.geometry)) {
    throw new SimNandError('SIM_NAND_STATE_MISMATCH', `the NAND saved in ${directory} has a different geometry than this module`, {
      hint: 'Use a fresh state directory for a module with another flash geometry, or delete the saved nand.json.',
      details: { saved: manifest.geometry, expected: options.expectGeometry },
    });
  }
  const nand = new NandFlash({
    geometry: manifest.geometry,
    badBlocks: manifest.badBlocks,
    ...(options.timing === undefined ? {} : { timing: options.timing }),
    ...(options.timeScale === undefined ? {} : { timeScale: options.timeScale }),
    ...(options.sleep === undefined ? {} : { sleep: options.sleep }),
  });
  const blocksDir = join(directory, 'blocks');
  const names = await readdir(blocksDir).catch((error: unknown) => {
    if (isMissing(error)) return [];
    throw error;
  });
  for (const name of names) {
    const match = /^(\d+)\.bin$/.exec(name);
    if (match?.[1] === undefined) continue;
    const block = Number(match[1]);
    if (block >= manifest.geometry.blockCount) throw corrupt(directory, `block file ${name} is beyond the end of the NAND`);
    nand.restoreBlock(block, decodeBlock(await readFile(join(blocksDir, name)), manifest.geometry, `${directory}/blocks/${name}`));
  }
  nand.takeDirtyBlocks();
  lastDirectory.set(nand, directory);
  return nand;
}

function encodeBlock(image: BlockImage): Uint8Array {
  const pageSize = image.pages[0]?.length ?? 0;
  const out = new Uint8Array(image.states.length + image.pages.length * pageSize);
  image.states.forEach((state, index) => {
    out[index] = STATE_CODES[state];
  });
  image.pages.forEach((page, index) => {
    out.set(page, image.states.length + index * pageSize);
  });
  return out;
}

function decodeBlock(bytes: Uint8Array, geometry: NandGeometry, where: string): BlockImage {
  const count = geometry.pagesPerBlock;
  if (bytes.length < count) throw corrupt(where, 'the file is shorter than its page-state table');
  const states: PageState[] = [];
  for (let index = 0; index < count; index += 1) {
    const state = CODE_STATES[bytes[index] ?? 255];
    if (state === undefined) throw corrupt(where, `page ${index} has an unknown state code ${bytes[index]}`);
    states.push(state);
  }
  const programmed = states.filter((state) => state === 'programmed').length;
  if (bytes.length !== count + programmed * geometry.pageSize) throw corrupt(where, `expected ${programmed} pages of data, found ${bytes.length - count} bytes`);
  const pages: Uint8Array[] = [];
  for (let index = 0; index < programmed; index += 1) {
    const start = count + index * geometry.pageSize;
    pages.push(new Uint8Array(bytes.subarray(start, start + geometry.pageSize)));
  }
  return { states, pages };
}

function parseManifest(text: string, directory: string): NandManifest {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw corrupt(directory, 'nand.json is not JSON', error);
  }
  const record = value as Partial<NandManifest> | null;
  const geometry = record?.geometry;
  const valid =
    record?.format === FORMAT &&
    record.version === VERSION &&
    geometry !== undefined &&
    [geometry.pageSize, geometry.pagesPerBlock, geometry.blockCount, geometry.spareSize].every((n) => Number.isSafeInteger(n) && n > 0) &&
    typeof geometry.flashName === 'string' &&
    Array.isArray(record.badBlocks) &&
    record.badBlocks.every((block) => Number.isSafeInteger(block) && block >= 0 && block < geometry.blockCount);
  if (!valid) throw corrupt(directory, `nand.json is not a ${FORMAT} v${VERSION} manifest`);
  return record as NandManifest;
}

async function writeAtomic(path: string, data: Uint8Array): Promise<void> {
  const temporary = `${path}.${process.pid}.tmp`;
  await writeFile(temporary, data);
  await rename(temporary, path);
}

function corrupt(where: string, why: string, cause?: unknown): SimNandError {
  return new SimNandError('SIM_NAND_STATE_CORRUPT', `saved NAND state in ${where} is damaged: ${why}`, {
    hint: 'Delete the state directory (the simulated module starts with an erased flash) or restore it from a copy.',
    ...(cause === undefined ? {} : { cause }),
  });
}

function isMissing(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 'ENOENT';
}

function ignoreMissing(error: unknown): void {
  if (!isMissing(error)) throw error;
}
