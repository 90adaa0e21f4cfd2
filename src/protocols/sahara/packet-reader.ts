import { TimeoutError } from '../../core/errors.js';
import { hexdump } from '../../core/hexdump.js';
import { deadline } from '../../core/time.js';
import type { ByteTransport } from '../../transport/byte-transport.js';
import { TransportClosedError } from '../../transport/errors.js';
import { SAHARA_HEADER_SIZE, SAHARA_MAX_PACKET_SIZE, saharaCommandName } from './constants.js';
import { DISCONNECTED_HINT, SaharaDisconnectedError, SaharaProtocolError, SaharaTimeoutError } from './errors.js';
import { decodeSaharaPacket, type SaharaPacket } from './packets.js';

// Sahara over a byte stream (edl-protocols.md §1.8): a tty or TCP bridge keeps no USB transfer
// boundaries, so packets are framed by their length field and may arrive split or several in one
// chunk; raw reply data is counted, never delimited.

const XML_START = new TextEncoder().encode('<?xml');

export type SaharaIncoming =
  | { readonly kind: 'packet'; readonly packet: SaharaPacket; readonly bytes: Uint8Array }
  | { readonly kind: 'unknown'; readonly command: number; readonly bytes: Uint8Array }
  /** The stream starts with `<?xml`: a Firehose programmer is already running (§5, qdl ≥ 2.7). */
  | { readonly kind: 'firehose' };

/** What the caller is waiting for, for messages: what it is and what to do when it does not come. */
export interface SaharaExpectation {
  readonly what: string;
  readonly hint: string;
}

export class SaharaPacketReader {
  readonly #transport: ByteTransport;
  #buffer: Uint8Array;

  constructor(transport: ByteTransport, initial: Uint8Array = new Uint8Array(0)) {
    this.#transport = transport;
    this.#buffer = initial;
  }

  /** The next packet, or a sign that Firehose is talking instead. */
  async next(ms: number, expect: SaharaExpectation, signal?: AbortSignal): Promise<SaharaIncoming> {
    return this.#withDeadline(ms, expect, signal, async (limit) => {
      for (;;) {
        const incoming = this.#take();
        if (incoming !== undefined) return incoming;
        await this.#fill(limit);
      }
    });
  }

  /** Exactly `length` raw bytes (command-mode reply data). */
  async readRaw(length: number, ms: number, expect: SaharaExpectation, signal?: AbortSignal): Promise<Uint8Array> {
    return this.#withDeadline(ms, expect, signal, async (limit) => {
      while (this.#buffer.length < length) await this.#fill(limit);
      return this.#consume(length);
    });
  }

  /** Bytes received but not consumed (for example Firehose's first log after DONE_RESP). */
  takeLeftover(): Uint8Array {
    return this.#consume(this.#buffer.length);
  }

  #take(): SaharaIncoming | undefined {
    const buffer = this.#buffer;
    if (buffer.length === 0) return undefined;
    if (buffer[0] === XML_START[0]) {
      const seen = Math.min(buffer.length, XML_START.length);
      if (buffer.subarray(0, seen).every((byte, i) => byte === XML_START[i])) return seen === XML_START.length ? { kind: 'firehose' } : undefined;
    }
    if (buffer.length < SAHARA_HEADER_SIZE) return undefined;
    const view = new DataView(buffer.buffer, buffer.byteOffset, buffer.byteLength);
    const command = view.getUint32(0, true);
    const length = view.getUint32(4, true);
    if (length < SAHARA_HEADER_SIZE || length > SAHARA_MAX_PACKET_SIZE) {
      throw new SaharaProtocolError(`bad Sahara packet header: ${saharaCommandName(command)} with length ${length}`, {
        hint: 'The bytes on this port are not Sahara packets. Check that this is the 05c6:9008 port, that nothing else uses it, and power-cycle the module.',
        details: { header: hexdump(buffer.subarray(0, Math.min(buffer.length, 64))) },
      });
    }
    if (buffer.length < length) return undefined;
    const bytes = this.#consume(length);
    const decoded = decodeSaharaPacket(bytes);
    if (decoded.ok) return { kind: 'packet', packet: decoded.packet, bytes };
    if (decoded.reason === 'unknown-command') return { kind: 'unknown', command, bytes };
    throw new SaharaProtocolError(`Sahara ${saharaCommandName(command)} packet too short: ${length} bytes`, {
      hint: 'The module sent a malformed packet. Power-cycle it and run again; if it repeats, report it with a trace.',
      details: { packet: hexdump(bytes) },
    });
  }

  #consume(length: number): Uint8Array {
    const taken = this.#buffer.slice(0, length);
    this.#buffer = this.#buffer.subarray(length);
    return taken;
  }

  async #fill(signal: AbortSignal): Promise<void> {
    const chunk = await this.#transport.read(signal);
    const joined = new Uint8Array(this.#buffer.length + chunk.length);
    joined.set(this.#buffer);
    joined.set(chunk, this.#buffer.length);
    this.#buffer = joined;
  }

  async #withDeadline<T>(ms: number, expect: SaharaExpectation, signal: AbortSignal | undefined, body: (limit: AbortSignal) => Promise<T>): Promise<T> {
    const limit = deadline(ms, expect.what, signal);
    try {
      return await body(limit.signal);
    } catch (error) {
      if (signal?.aborted === true) throw error;
      if (error instanceof TimeoutError) {
        throw new SaharaTimeoutError(`no ${expect.what} from the module within ${ms} ms on ${this.#transport.description}`, { hint: expect.hint, cause: error });
      }
      if (error instanceof TransportClosedError) {
        throw new SaharaDisconnectedError(`${this.#transport.description} went away while waiting for ${expect.what}`, { hint: DISCONNECTED_HINT, cause: error });
      }
      throw error;
    } finally {
      limit.dispose();
    }
  }
}
