// The programmer's receive side over a byte stream. On USB each host packet is one bulk transfer;
// on a tty or TCP stream there are no boundaries (edl sheet §1.8), so an XML packet is everything
// up to its `</data>` (QFirehose and qdl split device output the same way), and raw data is
// counted byte by byte — the device never sees an end marker (§2.4).
//
// The programmer is a loop that blocks on USB reads; here it is an async loop that awaits these
// reads. A halt (power cut, link drop, reset) rejects the pending read and every later one.
import { MedicError } from '../../core/errors.js';
import { ByteBuffer } from './byte-buffer.js';
import { fromLatin1 } from './firehose-message.js';

/** The programmer's XML buffer (MaxXMLSizeInBytes, §2.1). */
export const MAX_XML_BYTES = 4096;
const CLOSING = '</data>';

/** Thrown into the programmer loop when the target stops; never reaches a caller of the library. */
export class TargetHalted extends MedicError {
  constructor(reason: string) {
    super('SIM_EDL_HALTED', `the EDL target stopped: ${reason}`);
  }
}

export type XmlPacket = { readonly kind: 'xml'; readonly text: string } | { readonly kind: 'too-large'; readonly size: number };

interface Waiter {
  /** Tries to satisfy the read from the buffer; true when done. */
  readonly attempt: () => boolean;
  readonly reject: (error: Error) => void;
}

export class FirehoseInput {
  readonly #buffer = new ByteBuffer();
  #waiter: Waiter | undefined;
  #halted: TargetHalted | undefined;
  #onStarved: (() => void) | undefined;
  #idle: (() => void)[] = [];

  get buffered(): number {
    return this.#buffer.length;
  }

  get halted(): boolean {
    return this.#halted !== undefined;
  }

  push(bytes: Uint8Array): void {
    if (this.#halted !== undefined) return;
    this.#buffer.push(bytes);
    this.#serve();
  }

  /** Every pending and later read fails with TargetHalted. */
  halt(reason: string): void {
    if (this.#halted !== undefined) return;
    this.#halted = new TargetHalted(reason);
    this.#buffer.clear();
    const waiter = this.#waiter;
    this.#waiter = undefined;
    waiter?.reject(this.#halted);
    this.#notifyIdle();
  }

  /**
   * Called once when the loop needs bytes that are not there: a fault that fires "after byte N"
   * hooks in here, so everything up to byte N has been processed when it strikes.
   */
  whenStarved(action: (() => void) | undefined): void {
    this.#onStarved = action;
    if (this.#waiter !== undefined) this.#serve();
  }

  /** Resolves when the loop waits for input that has not arrived (or has stopped). */
  whenIdle(): Promise<void> {
    if (this.#isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.#idle.push(resolve));
  }

  /** The next XML packet, its trailing whitespace (a host's LF after `</data>`) included. */
  readXml(): Promise<XmlPacket> {
    return this.#read((resolve) => {
      const window = fromLatin1(this.#buffer.peek(Math.min(this.#buffer.length, MAX_XML_BYTES + CLOSING.length * 2)));
      const at = window.toLowerCase().indexOf(CLOSING);
      if (at === -1) {
        if (this.#buffer.length < MAX_XML_BYTES + CLOSING.length) return false;
        const size = this.#buffer.length;
        this.#buffer.clear();
        resolve({ kind: 'too-large', size });
        return true;
      }
      const text = fromLatin1(this.#buffer.take(at + CLOSING.length));
      this.#buffer.skipWhile(isWhitespace);
      resolve(text.length > MAX_XML_BYTES ? { kind: 'too-large', size: text.length } : { kind: 'xml', text });
      return true;
    });
  }

  /** Between 1 and `max` raw bytes. */
  readRaw(max: number): Promise<Uint8Array> {
    return this.#read((resolve) => {
      if (this.#buffer.length === 0) return false;
      resolve(this.#buffer.take(max));
      return true;
    });
  }

  #read<T>(attempt: (resolve: (value: T) => void) => boolean): Promise<T> {
    if (this.#halted !== undefined) return Promise.reject(this.#halted);
    return new Promise<T>((resolve, reject) => {
      this.#waiter = { attempt: () => attempt(resolve), reject };
      this.#serve();
    });
  }

  #serve(): void {
    const waiter = this.#waiter;
    if (waiter === undefined) return;
    if (waiter.attempt()) {
      this.#waiter = undefined;
      return;
    }
    const starved = this.#onStarved;
    if (starved !== undefined) {
      this.#onStarved = undefined;
      starved();
      return;
    }
    this.#notifyIdle();
  }

  #isIdle(): boolean {
    return this.#halted !== undefined || this.#waiter !== undefined;
  }

  #notifyIdle(): void {
    const waiting = this.#idle;
    this.#idle = [];
    for (const resolve of waiting) resolve();
  }
}

function isWhitespace(byte: number): boolean {
  return byte === 0x0a || byte === 0x0d || byte === 0x20 || byte === 0x09;
}
