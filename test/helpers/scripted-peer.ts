import type { ByteTransport } from '../../src/transport/byte-transport.js';

// The far end of a createTransportPair(), driven line by line by a test: a scripted device that
// sends exactly the bytes a fact sheet documents and checks exactly what the host sends.

/** "01000000 30000000" → bytes; spaces and newlines are ignored. */
export function hex(text: string): Uint8Array {
  const digits = text.replace(/\s+/g, '');
  if (digits.length % 2 !== 0) throw new Error(`odd hex string: ${text}`);
  return Uint8Array.from({ length: digits.length / 2 }, (_, i) => Number.parseInt(digits.slice(2 * i, 2 * i + 2), 16));
}

/** Bytes → "01 00 00 00" for readable assertion messages. */
export function toHex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join(' ');
}

export function concat(...parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export class ScriptedPeer {
  readonly transport: ByteTransport;
  /** Sizes of the chunks the host's writes arrived in, in order. */
  readonly chunkSizes: number[] = [];
  #buffer = new Uint8Array(0);
  #received = 0;

  constructor(transport: ByteTransport) {
    this.transport = transport;
  }

  /** Bytes taken from the transport so far (consumed or buffered). */
  get received(): number {
    return this.#received;
  }

  /** Exactly `n` bytes from the host. */
  async take(n: number, ms = 5000): Promise<Uint8Array> {
    while (this.#buffer.length < n) await this.#fill(ms);
    const out = this.#buffer.slice(0, n);
    this.#buffer = this.#buffer.subarray(n);
    return out;
  }

  /** Everything up to and including `marker`. */
  async takeUntil(marker: string, ms = 5000): Promise<Uint8Array> {
    const needle = encoder.encode(marker);
    for (;;) {
      const at = Buffer.from(this.#buffer).indexOf(Buffer.from(needle));
      if (at >= 0) return this.take(at + needle.length);
      await this.#fill(ms);
    }
  }

  /** The next Firehose command document the host sent, as text. */
  async takeXml(ms = 5000): Promise<string> {
    return decoder.decode(await this.takeUntil('</data>', ms));
  }

  /** Resolves with what arrives within `ms`, or undefined when nothing does. */
  async poll(ms: number): Promise<Uint8Array | undefined> {
    if (this.#buffer.length > 0) return this.take(this.#buffer.length);
    try {
      await this.#fill(ms);
    } catch {
      return undefined;
    }
    return this.take(this.#buffer.length);
  }

  async send(data: Uint8Array | string): Promise<void> {
    await this.transport.write(typeof data === 'string' ? encoder.encode(data) : data);
  }

  /** Sends `data` one piece of `size` bytes at a time (a stream that splits packets). */
  async sendSplit(data: Uint8Array | string, size: number): Promise<void> {
    const bytes = typeof data === 'string' ? encoder.encode(data) : data;
    for (let at = 0; at < bytes.length; at += size) await this.transport.write(bytes.subarray(at, at + size));
  }

  async close(): Promise<void> {
    await this.transport.close();
  }

  async #fill(ms: number): Promise<void> {
    // Not AbortSignal.timeout(): its timer does not keep the event loop alive, so a test that only
    // waits on it would end as "still pending".
    const controller = new AbortController();
    const timer = setTimeout(() => {
      controller.abort(new Error(`scripted peer: nothing from the host within ${ms} ms`));
    }, ms);
    let chunk: Uint8Array;
    try {
      chunk = await this.transport.read(controller.signal);
    } finally {
      clearTimeout(timer);
    }
    this.chunkSizes.push(chunk.length);
    this.#received += chunk.length;
    const joined = new Uint8Array(this.#buffer.length + chunk.length);
    joined.set(this.#buffer);
    joined.set(chunk, this.#buffer.length);
    this.#buffer = joined;
  }
}
