import { FirehoseProtocolError } from './errors.js';

// Firehose over a byte stream (edl-protocols.md §1.8 (c)): documents are cut out of the stream
// from `<?xml` to `</data>` — several may come in one read, one may come in several — and raw
// data is counted, since it may share a read with the ACK before it or the document after it.

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const XML_START = encoder.encode('<?xml');
const DATA_END = encoder.encode('</data>');

/** Reads one more chunk; the caller decides the deadline and how errors read. */
export type ReadMore = () => Promise<Uint8Array>;
/** Copies received bytes into `into` (at least one, at most its length) and says how many. */
export type ReadInto = (into: Uint8Array) => Promise<number>;

/** Raw data is read into one buffer of this size, over and over (a NAND transfer is 4–8 KiB). */
const RAW_BUFFER_BYTES = 64 * 1024;

export interface FirehoseStreamOptions {
  /** A document larger than this without `</data>` is garbage, not a slow device (§2.1: messages ≤ 4096 B). */
  readonly maxDocumentBytes?: number;
  /** Told about non-XML bytes that were skipped between documents. */
  readonly onSkipped?: (bytes: Uint8Array) => void;
}

export class FirehoseStream {
  readonly #maxDocumentBytes: number;
  readonly #onSkipped: ((bytes: Uint8Array) => void) | undefined;
  #buffer: Uint8Array;
  #raw: Uint8Array | undefined;

  constructor(initial: Uint8Array = new Uint8Array(0), options: FirehoseStreamOptions = {}) {
    this.#buffer = initial.slice();
    this.#maxDocumentBytes = options.maxDocumentBytes ?? 64 * 1024;
    this.#onSkipped = options.onSkipped;
  }

  /** Bytes received and not yet consumed. */
  get buffered(): number {
    return this.#buffer.length;
  }

  /** The next whole document's text. */
  async nextDocument(readMore: ReadMore): Promise<string> {
    for (;;) {
      const text = this.#takeDocument();
      if (text !== undefined) return text;
      this.#append(await readMore());
    }
  }

  /**
   * Passes exactly `length` raw bytes to `sink`, buffered bytes first; the rest stays buffered.
   * The chunks are views into one buffer that is filled again once `sink` returns: a 30 MB
   * partition read used to leave 30 MB of received chunks for the garbage collector, and that
   * garbage, not the data, set the host's peak memory (bench/flash).
   */
  async readRaw(length: number, sink: (chunk: Uint8Array) => Promise<void> | void, readInto: ReadInto): Promise<void> {
    let remaining = length;
    while (remaining > 0) {
      let chunk: Uint8Array;
      if (this.#buffer.length > 0) {
        chunk = this.#buffer.subarray(0, remaining);
        this.#buffer = this.#buffer.subarray(chunk.length);
      } else {
        this.#raw ??= new Uint8Array(RAW_BUFFER_BYTES);
        // Never more than the raw data: the document after it stays with the transport.
        const count = await readInto(this.#raw.subarray(0, Math.min(remaining, this.#raw.length)));
        chunk = this.#raw.subarray(0, count);
      }
      remaining -= chunk.length;
      await sink(chunk);
    }
  }

  #takeDocument(): string | undefined {
    const buffer = this.#buffer;
    const start = indexOf(buffer, XML_START, 0);
    if (start < 0) {
      // Keep a tail that could be the beginning of `<?xml`.
      const keep = Math.min(buffer.length, XML_START.length - 1);
      this.#skip(buffer.length - keep);
      return undefined;
    }
    if (start > 0) this.#skip(start);
    const doc = this.#buffer;
    const dataEnd = indexOf(doc, DATA_END, XML_START.length);
    const nextStart = indexOf(doc, XML_START, XML_START.length);
    // A document cut short by the next one is taken as it is; the parser reads what is there.
    const end = dataEnd >= 0 && (nextStart < 0 || dataEnd < nextStart) ? dataEnd + DATA_END.length : nextStart;
    if (end < 0) {
      if (doc.length > this.#maxDocumentBytes) {
        throw new FirehoseProtocolError(`a Firehose message grew past ${this.#maxDocumentBytes} bytes without </data>`, {
          hint: 'The programmer is sending something that is not Firehose XML. Power-cycle the module into EDL and load the programmer again.',
        });
      }
      return undefined;
    }
    this.#buffer = doc.subarray(end);
    return decoder.decode(doc.subarray(0, end));
  }

  #skip(count: number): void {
    if (count <= 0) return;
    const skipped = this.#buffer.subarray(0, count);
    this.#buffer = this.#buffer.subarray(count);
    if (skipped.some((byte) => byte !== 0x0a && byte !== 0x0d && byte !== 0x20 && byte !== 0x09)) this.#onSkipped?.(skipped.slice());
  }

  #append(chunk: Uint8Array): void {
    if (this.#buffer.length === 0) {
      this.#buffer = chunk;
      return;
    }
    const joined = new Uint8Array(this.#buffer.length + chunk.length);
    joined.set(this.#buffer);
    joined.set(chunk, this.#buffer.length);
    this.#buffer = joined;
  }
}

function indexOf(haystack: Uint8Array, needle: Uint8Array, from: number): number {
  const first = needle[0];
  const last = haystack.length - needle.length;
  for (let at = haystack.indexOf(first ?? 0, from); at >= 0 && at <= last; at = haystack.indexOf(first ?? 0, at + 1)) {
    let match = true;
    for (let i = 1; i < needle.length; i += 1) {
      if (haystack[at + i] !== needle[i]) {
        match = false;
        break;
      }
    }
    if (match) return at;
  }
  return -1;
}
