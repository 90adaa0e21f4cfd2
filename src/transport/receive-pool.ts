// Receive memory a transport reuses. A socket or tty that reads into a new buffer each time makes a
// flash allocate every byte it reads back (backup reads and verify: ~240 MB for an EC25 package),
// and V8 frees those buffers only when its young generation fills with ordinary objects, which
// streaming code makes few of: tens of MB of dead buffers were the largest part of the host's peak
// memory (bench/flash, target < 100 MB). Slabs from here go back to the pool as soon as the reader
// has taken every byte they carried (ChunkQueue's `release`).

/** One buffer to receive into, and the chunks of it still waiting for a reader. */
export class ReceiveSlab {
  readonly bytes: Uint8Array;
  readonly #pool: ReceivePool;
  /** The receiver's own hold plus one per chunk handed to the queue. */
  #holds = 1;

  constructor(bytes: Uint8Array, pool: ReceivePool) {
    this.bytes = bytes;
    this.#pool = pool;
  }

  /** Lent out again: only the receiver holds it. */
  lend(): this {
    this.#holds = 1;
    return this;
  }

  /** A hold for one chunk of this slab; the function gives it back (once). */
  hold(): () => void {
    this.#holds += 1;
    let held = true;
    return () => {
      if (!held) return;
      held = false;
      this.#drop();
    };
  }

  /** The receiver is done writing into this slab; it returns once its chunks are taken. */
  received(): void {
    this.#drop();
  }

  #drop(): void {
    this.#holds -= 1;
    if (this.#holds === 0) this.#pool.giveBack(this);
  }
}

export class ReceivePool {
  readonly #slabBytes: number;
  readonly #maxSlabs: number;
  readonly #free: ReceiveSlab[] = [];
  #inUse = 0;
  #onFree: (() => void) | undefined;

  /**
   * `maxSlabs` × `slabBytes` is what a reader that lags may leave waiting. 1 MiB is 20 ms of a
   * USB 2.0 link, far more than a reader's pause between reads, and a batch of ten flashes in one
   * process holds it ten times (bench/flash-batch).
   */
  constructor(slabBytes = 64 * 1024, maxSlabs = 16) {
    this.#slabBytes = slabBytes;
    this.#maxSlabs = maxSlabs;
  }

  /** Every slab holds data a reader has not taken: the receiver should stop reading. */
  get exhausted(): boolean {
    return this.#inUse >= this.#maxSlabs;
  }

  /**
   * A slab to receive into. It is always given (a socket asks for its next buffer even when it is
   * about to pause), so the pool may lend one more than `maxSlabs`; `exhausted` is what bounds it.
   */
  take(): ReceiveSlab {
    this.#inUse += 1;
    return (this.#free.pop() ?? new ReceiveSlab(new Uint8Array(this.#slabBytes), this)).lend();
  }

  /** Called once when a slab comes back while the pool is exhausted (to resume a paused receiver). */
  onFree(listener: () => void): void {
    this.#onFree = listener;
  }

  giveBack(slab: ReceiveSlab): void {
    this.#inUse -= 1;
    if (this.#free.length < this.#maxSlabs) this.#free.push(slab);
    if (!this.exhausted) {
      const listener = this.#onFree;
      this.#onFree = undefined;
      listener?.();
    }
  }
}
