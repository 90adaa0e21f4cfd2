// The simulated NAND chip: page/block geometry, erase-before-program, bad blocks, torn pages.
// Storage is sparse — only programmed pages are held — so a module with ~90 MB of firmware never
// allocates its 512 MiB. Whatever the Firehose programmer makes of bad blocks (skip on erase and
// write, 0xBB on read) and of unreadable pages (0xDD) lives in the programmer; the chip only says
// what happened (edl sheet §2.4–2.6).
import { SimNandError } from './nand-errors.js';
import { totalPages, type NandGeometry } from './nand-geometry.js';
import { moduleSleep, type ModuleTimeOptions } from './module-time.js';
import { NandBusyTime, TYPICAL_NAND_TIMING, type NandTiming } from './nand-timing.js';

/** What a page holds: erased (reads 0xFF), programmed, or torn by a power cut during its program. */
export type PageState = 'erased' | 'programmed' | 'uncorrectable';

export type ProgramResult = 'ok' | 'not-erased' | 'bad-block' | 'out-of-range';
export type EraseResult = 'ok' | 'bad-block' | 'out-of-range';
export type PageRead =
  | { readonly status: 'data' | 'erased'; readonly data: Uint8Array }
  | { readonly status: 'bad-block' | 'uncorrectable' | 'out-of-range' };

export interface NandFlashOptions extends ModuleTimeOptions {
  readonly geometry: NandGeometry;
  /** Factory bad blocks (block numbers). */
  readonly badBlocks?: Iterable<number>;
  readonly timing?: Partial<NandTiming>;
}

/** One block as the persistence layer stores it. */
export interface BlockImage {
  readonly states: readonly PageState[];
  /** Data of the programmed pages, in page order. */
  readonly pages: readonly Uint8Array[];
}

export class NandFlash {
  readonly geometry: NandGeometry;
  readonly busy: NandBusyTime;
  readonly #pages = new Map<number, Uint8Array>();
  readonly #uncorrectable = new Set<number>();
  readonly #badBlocks = new Set<number>();
  readonly #dirtyBlocks = new Set<number>();
  #generation = 0;
  readonly #erasedPage: Uint8Array;
  /** Programmed pages that are all 0xFF (padding) share one buffer. */
  readonly #blankProgrammed: Uint8Array;

  constructor(options: NandFlashOptions) {
    this.geometry = options.geometry;
    this.busy = new NandBusyTime({ ...TYPICAL_NAND_TIMING, ...options.timing }, moduleSleep(options));
    for (const block of options.badBlocks ?? []) this.markBadBlock(block);
    this.#erasedPage = new Uint8Array(this.geometry.pageSize).fill(0xff);
    this.#blankProgrammed = new Uint8Array(this.geometry.pageSize).fill(0xff);
  }

  /** Bumped by every change of the contents: a cheap "has anything changed since?" for callers that cache what they read. */
  get generation(): number {
    return this.#generation;
  }

  get totalPages(): number {
    return totalPages(this.geometry);
  }

  /** Pages currently holding data (programmed or torn); the memory the model uses. */
  get usedPages(): number {
    return this.#pages.size + this.#uncorrectable.size;
  }

  blockOfPage(page: number): number {
    return Math.floor(page / this.geometry.pagesPerBlock);
  }

  isBadBlock(block: number): boolean {
    return this.#badBlocks.has(block);
  }

  badBlocks(): number[] {
    return [...this.#badBlocks].sort((a, b) => a - b);
  }

  /** A factory or grown bad block. Its contents stop mattering: the programmer never reads them. */
  markBadBlock(block: number): void {
    this.#checkBlock(block);
    this.#badBlocks.add(block);
    this.#dirtyBlocks.add(block);
    this.#generation += 1;
  }

  pageState(page: number): PageState {
    this.#checkPage(page);
    if (this.#uncorrectable.has(page)) return 'uncorrectable';
    return this.#pages.has(page) ? 'programmed' : 'erased';
  }

  readPage(page: number): PageRead {
    if (!this.#inRange(page)) return { status: 'out-of-range' };
    this.busy.charge(this.busy.timing.pageReadUs, 'read');
    if (this.#badBlocks.has(this.blockOfPage(page))) return { status: 'bad-block' };
    if (this.#uncorrectable.has(page)) return { status: 'uncorrectable' };
    const data = this.#pages.get(page);
    // Copies: a caller scribbling on what it read must not change the chip.
    return data === undefined ? { status: 'erased', data: this.#erasedPage.slice() } : { status: 'data', data: data.slice() };
  }

  /** NAND programs only erased pages; rewriting one needs an erase of its whole block first. */
  programPage(page: number, data: Uint8Array): ProgramResult {
    if (data.length !== this.geometry.pageSize) {
      throw new SimNandError('SIM_NAND_ARGUMENT', `a page is ${this.geometry.pageSize} bytes, not ${data.length}`);
    }
    if (!this.#inRange(page)) return 'out-of-range';
    const block = this.blockOfPage(page);
    if (this.#badBlocks.has(block)) return 'bad-block';
    if (this.#pages.has(page) || this.#uncorrectable.has(page)) return 'not-erased';
    this.busy.charge(this.busy.timing.pageProgramUs, 'program');
    this.#pages.set(page, data.every((byte) => byte === 0xff) ? this.#blankProgrammed : data.slice());
    this.#dirtyBlocks.add(block);
    this.#generation += 1;
    return 'ok';
  }

  eraseBlock(block: number): EraseResult {
    if (!Number.isInteger(block) || block < 0 || block >= this.geometry.blockCount) return 'out-of-range';
    if (this.#badBlocks.has(block)) return 'bad-block';
    this.busy.charge(this.busy.timing.blockEraseUs, 'erase');
    const first = block * this.geometry.pagesPerBlock;
    for (let page = first; page < first + this.geometry.pagesPerBlock; page += 1) {
      this.#pages.delete(page);
      this.#uncorrectable.delete(page);
    }
    this.#dirtyBlocks.add(block);
    this.#generation += 1;
    return 'ok';
  }

  /**
   * A page whose program was interrupted (power lost mid-write): its ECC no longer matches, so
   * reads fail (the programmer fills it with 0xDD, edl sheet §2.5) and it cannot be programmed
   * again until its block is erased.
   */
  markUncorrectable(page: number): void {
    this.#checkPage(page);
    this.#pages.delete(page);
    this.#uncorrectable.add(page);
    this.#dirtyBlocks.add(this.blockOfPage(page));
    this.#generation += 1;
  }

  /** Waits out the busy time of the operations so far (module time). */
  settle(force = false): Promise<void> {
    return this.busy.settle(force);
  }

  // --- for persistence -------------------------------------------------------------------------

  blockImage(block: number): BlockImage {
    this.#checkBlock(block);
    const states: PageState[] = [];
    const pages: Uint8Array[] = [];
    const first = block * this.geometry.pagesPerBlock;
    for (let page = first; page < first + this.geometry.pagesPerBlock; page += 1) {
      const state = this.pageState(page);
      states.push(state);
      const data = this.#pages.get(page);
      if (state === 'programmed' && data !== undefined) pages.push(data);
    }
    return { states, pages };
  }

  restoreBlock(block: number, image: BlockImage): void {
    this.#checkBlock(block);
    const first = block * this.geometry.pagesPerBlock;
    let next = 0;
    image.states.forEach((state, index) => {
      const page = first + index;
      this.#pages.delete(page);
      this.#uncorrectable.delete(page);
      if (state === 'uncorrectable') this.#uncorrectable.add(page);
      if (state === 'programmed') {
        const data = image.pages[next];
        next += 1;
        if (data?.length !== this.geometry.pageSize) throw new SimNandError('SIM_NAND_STATE_CORRUPT', `block ${block}: page ${page} has no data`);
        this.#pages.set(page, data.every((byte) => byte === 0xff) ? this.#blankProgrammed : data);
      }
    });
    this.#generation += 1;
  }

  /** Blocks holding any programmed or torn page. */
  usedBlocks(): number[] {
    const blocks = new Set<number>();
    for (const page of this.#pages.keys()) blocks.add(this.blockOfPage(page));
    for (const page of this.#uncorrectable) blocks.add(this.blockOfPage(page));
    return [...blocks].sort((a, b) => a - b);
  }

  /** Blocks changed since the last call (the persistence layer writes only these). */
  takeDirtyBlocks(): number[] {
    const blocks = [...this.#dirtyBlocks].sort((a, b) => a - b);
    this.#dirtyBlocks.clear();
    return blocks;
  }

  #inRange(page: number): boolean {
    return Number.isInteger(page) && page >= 0 && page < this.totalPages;
  }

  #checkPage(page: number): void {
    if (!this.#inRange(page)) throw new SimNandError('SIM_NAND_ARGUMENT', `page ${page} is outside the NAND (0..${this.totalPages - 1})`);
  }

  #checkBlock(block: number): void {
    if (!Number.isInteger(block) || block < 0 || block >= this.geometry.blockCount) {
      throw new SimNandError('SIM_NAND_ARGUMENT', `block ${block} is outside the NAND (0..${this.geometry.blockCount - 1})`);
    }
  }
}
