// Deterministic filler for synthetic images: the same seed and name give the same bytes on every
// machine, however the caller slices the stream. xoshiro128** (Blackman & Vigna) because ~90 MB
// must come out in well under a second; the simulator's mulberry32 (../rng.ts) hands out one
// float per byte and is meant for fault dice, not bulk data. Words are stored little-endian by
// shifts, not through a Uint32Array view, so big-endian hosts produce the same files.
import { createHash } from 'node:crypto';

export class SeededBytes {
  #s0: number;
  #s1: number;
  #s2: number;
  #s3: number;
  /** Bytes of the last generated word not handed out yet (a fill that ended mid-word). */
  #carry = 0;
  #carryCount = 0;

  /** `key` names the stream, e.g. `${seed}|${revision}|update/NON-HLOS.ubi`. */
  constructor(key: string) {
    const digest = createHash('sha256').update(key).digest();
    this.#s0 = digest.readUInt32LE(0);
    this.#s1 = digest.readUInt32LE(4);
    this.#s2 = digest.readUInt32LE(8);
    this.#s3 = digest.readUInt32LE(12);
    // An all-zero state would stay zero forever; a SHA-256 prefix of zero is astronomically
    // unlikely, but the fix costs nothing.
    if ((this.#s0 | this.#s1 | this.#s2 | this.#s3) === 0) this.#s0 = 1;
  }

  /** Fills `target` with the next bytes of the stream. */
  fill(target: Uint8Array): void {
    let at = 0;
    while (this.#carryCount > 0 && at < target.length) {
      target[at] = this.#carry & 0xff;
      this.#carry >>>= 8;
      this.#carryCount -= 1;
      at += 1;
    }
    const whole = at + Math.floor((target.length - at) / 4) * 4;
    for (; at < whole; at += 4) {
      const word = this.#next();
      target[at] = word & 0xff;
      target[at + 1] = (word >>> 8) & 0xff;
      target[at + 2] = (word >>> 16) & 0xff;
      target[at + 3] = word >>> 24;
    }
    if (at < target.length) {
      let word = this.#next();
      let used = 0;
      for (; at < target.length; at += 1) {
        target[at] = word & 0xff;
        word >>>= 8;
        used += 1;
      }
      this.#carry = word;
      this.#carryCount = 4 - used;
    }
  }

  /** `count` fresh bytes. */
  take(count: number): Uint8Array {
    const out = new Uint8Array(count);
    this.fill(out);
    return out;
  }

  #next(): number {
    const result = Math.imul(rotl(Math.imul(this.#s1, 5), 7), 9) >>> 0;
    const t = (this.#s1 << 9) >>> 0;
    this.#s2 = (this.#s2 ^ this.#s0) >>> 0;
    this.#s3 = (this.#s3 ^ this.#s1) >>> 0;
    this.#s1 = (this.#s1 ^ this.#s2) >>> 0;
    this.#s0 = (this.#s0 ^ this.#s3) >>> 0;
    this.#s2 = (this.#s2 ^ t) >>> 0;
    this.#s3 = rotl(this.#s3, 11);
    return result;
  }
}

function rotl(value: number, bits: number): number {
  return ((value << bits) | (value >>> (32 - bits))) >>> 0;
}
