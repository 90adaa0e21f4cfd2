// Bytes that arrived but were not consumed yet. A serial or TCP pipe has no packet boundaries
// (edl sheet §1.8), so every target collects input and takes whole packets out of it. Kept as a
// queue of the chunks as they came: a host may pour megabytes of raw data in before the target
// gets to them, and re-joining on every arrival would make that quadratic.

export class ByteBuffer {
  readonly #chunks: Uint8Array[] = [];
  /** Bytes of #chunks[0] already consumed. */
  #offset = 0;
  #length = 0;

  get length(): number {
    return this.#length;
  }

  push(chunk: Uint8Array): void {
    if (chunk.length === 0) return;
    this.#chunks.push(chunk.slice());
    this.#length += chunk.length;
  }

  /** A copy (or view) of the first `count` bytes, fewer if fewer are buffered; nothing is consumed. */
  peek(count: number): Uint8Array {
    const wanted = Math.min(count, this.#length);
    const first = this.#chunks[0];
    if (first !== undefined && first.length - this.#offset >= wanted) return first.subarray(this.#offset, this.#offset + wanted);
    return this.#copy(wanted, false);
  }

  /** Removes and returns the first `count` bytes (fewer if fewer are buffered). */
  take(count: number): Uint8Array {
    return this.#copy(Math.min(count, this.#length), true);
  }

  /** Drops leading bytes while `drop` says so; returns how many were dropped. */
  skipWhile(drop: (byte: number) => boolean): number {
    let dropped = 0;
    for (;;) {
      const first = this.#chunks[0];
      if (first === undefined) return dropped;
      while (this.#offset < first.length && drop(first[this.#offset] ?? 0)) {
        this.#offset += 1;
        this.#length -= 1;
        dropped += 1;
      }
      if (this.#offset < first.length) return dropped;
      this.#chunks.shift();
      this.#offset = 0;
    }
  }

  clear(): void {
    this.#chunks.length = 0;
    this.#offset = 0;
    this.#length = 0;
  }

  #copy(count: number, consume: boolean): Uint8Array {
    const out = new Uint8Array(count);
    let filled = 0;
    let index = 0;
    let offset = this.#offset;
    while (filled < count) {
      const chunk = this.#chunks[index];
      if (chunk === undefined) break;
      const part = chunk.subarray(offset, offset + count - filled);
      out.set(part, filled);
      filled += part.length;
      if (offset + part.length < chunk.length) {
        offset += part.length;
        break;
      }
      index += 1;
      offset = 0;
    }
    if (consume) {
      this.#chunks.splice(0, index);
      this.#offset = offset;
      this.#length -= filled;
    }
    return out;
  }
}
