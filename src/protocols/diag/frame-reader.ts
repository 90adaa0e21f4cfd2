import type { Logger } from '../../core/logger.js';
import { logDebug } from '../../core/logger.js';
import { hexdump } from '../../core/hexdump.js';
import { TimeoutError } from '../../core/errors.js';
import { deadline } from '../../core/time.js';
import type { ByteTransport } from '../../transport/byte-transport.js';
import { TransportClosedError } from '../../transport/errors.js';
import { HdlcDecoder } from './hdlc.js';
import { DiagDisconnectedError, DiagTimeoutError, DM_PORT_HINT } from './errors.js';

/** Good DIAG frames from a transport, one at a time; corrupt frames are traced and skipped. */
export class DiagFrameReader {
  readonly #transport: ByteTransport;
  readonly #logger: Logger;
  readonly #decoder = new HdlcDecoder();
  readonly #ready: Uint8Array[] = [];

  constructor(transport: ByteTransport, logger: Logger) {
    this.#transport = transport;
    this.#logger = logger;
  }

  /**
   * The next frame's payload. Rejects with DiagTimeoutError after `ms` (or with the caller's own
   * error when `signal` fires), DiagDisconnectedError when the port goes away.
   */
  async next(ms: number, what: string, signal?: AbortSignal): Promise<Uint8Array> {
    const limit = deadline(ms, what, signal);
    try {
      for (;;) {
        const frame = this.#ready.shift();
        if (frame !== undefined) return frame;
        this.#accept(await this.#transport.read(limit.signal));
      }
    } catch (error) {
      throw this.#describe(error, what, ms, signal);
    } finally {
      limit.dispose();
    }
  }

  #accept(chunk: Uint8Array): void {
    for (const event of this.#decoder.push(chunk)) {
      if (event.kind === 'frame') this.#ready.push(event.payload);
      else logDebug(this.#logger, `diag: skipped a bad frame (${event.reason})`, { frame: hexdump(event.raw) });
    }
  }

  #describe(error: unknown, what: string, ms: number, signal: AbortSignal | undefined): unknown {
    if (signal?.aborted === true) return error;
    if (error instanceof TimeoutError) {
      return new DiagTimeoutError(`${what}: no DIAG answer within ${ms} ms on ${this.#transport.description}`, { hint: DM_PORT_HINT, cause: error });
    }
    if (error instanceof TransportClosedError) {
      return new DiagDisconnectedError(`${what}: ${this.#transport.description} went away`, {
        hint: 'The module closed the port (it may be rebooting). Check `medic scan` for its current mode.',
        cause: error,
      });
    }
    return error;
  }
}
