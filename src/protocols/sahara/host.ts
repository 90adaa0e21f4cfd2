import type { Logger } from '../../core/logger.js';
import { logDebug, logInfo, logWarn, silentLogger } from '../../core/logger.js';
import { TimeoutError } from '../../core/errors.js';
import { deadline } from '../../core/time.js';
import type { ByteTransport } from '../../transport/byte-transport.js';
import { TransportClosedError } from '../../transport/errors.js';
import { SaharaExecCommand, SaharaMode, saharaCommandName, saharaStatusName } from './constants.js';
import { parseChipIdV3, parseHwId, parsePkHash, parseSerialNumber, type SaharaHwId } from './chip-info.js';
import { DISCONNECTED_HINT, SaharaDisconnectedError, SaharaFirehoseRunningError, SaharaImageRangeError, SaharaNakError, SaharaProtocolError, SaharaTimeoutError } from './errors.js';
import { SaharaPacketReader, type SaharaExpectation, type SaharaIncoming } from './packet-reader.js';
import { encodeSaharaPacket, saharaPacketLayouts, type SaharaPacketKind, type SaharaPacketFields, type SaharaPacketOf } from './packets.js';

// The host side of Sahara (edl-protocols.md §1.6–1.7): answer HELLO, serve the programmer image
// the target reads, finish with DONE, and — before that, optionally — read chip ids in command
// mode. Built to survive what §5 reports: a session left half-finished by an earlier run, a HELLO
// the host never saw, and a Firehose programmer that is already running.

export interface SaharaTimeouts {
  /** Waiting for the first packet after the port opens. */
  readonly helloMs: number;
  /** Any later packet or raw reply. Not in the fact sheet; QFirehose's Sahara reads use 5 s. */
  readonly packetMs: number;
}

export const defaultSaharaTimeouts: SaharaTimeouts = { helloMs: 5000, packetMs: 5000 };

export interface SaharaHostOptions {
  readonly logger?: Logger;
  readonly timeouts?: Partial<SaharaTimeouts>;
  /** Bytes already read from the transport by someone else; they are parsed first. */
  readonly initialBytes?: Uint8Array;
  /**
   * Version fields for HELLO_RESP. By default we echo the target's version and version_supported,
   * as QFirehose does (verified against real targets, §1.7); the target rejects a version outside
   * its own range (§1.6), which an echo never is.
   */
  readonly helloResponseVersion?: { readonly version: number; readonly versionSupported: number };
  /**
   * When no HELLO arrives, send one unsolicited HELLO_RESP and listen again: the HELLO may have
   * been sent before the port was opened (qdl does this where Windows QUD eats it, §5). Default on.
   */
  readonly probeWhenSilent?: boolean;
  /**
   * After the target NAKs it accepts nothing but RESET (§1.6); send it so the next attempt finds a
   * fresh boot ROM. Default on.
   */
  readonly resetAfterNak?: boolean;
}

export interface SaharaHello {
  readonly version: number;
  readonly versionSupported: number;
  readonly maxCommandPacketLength: number;
  readonly mode: number;
}

export interface SaharaProgress {
  /** Bytes served so far; ELF padding between segments is never asked for, so it may end below `total`. */
  readonly bytes: number;
  readonly total: number;
}

export interface LoadProgrammerOptions {
  readonly onProgress?: (progress: SaharaProgress) => void;
  readonly signal?: AbortSignal;
  /** Serve only this image id (13 = Firehose programmer on 9x07). Default: whatever the target asks. */
  readonly imageId?: number;
  /**
   * Image ids for which DONE_RESP "pending" still means done: the target jumps to a programmer
   * (id 13) whatever the status; fwupd's quirk list is 7, 13, 21 (§1.6).
   */
  readonly allowedPendingImageIds?: readonly number[];
}

export type SaharaLoadResult =
  | {
      readonly kind: 'loaded';
      readonly imageId: number;
      readonly bytesServed: number;
      /** DONE_RESP's image_tx_status; `unconfirmed` when Firehose spoke before DONE_RESP arrived. */
      readonly imageTransferStatus: 'pending' | 'complete' | 'unconfirmed';
      /** The HELLO answered, when one was seen (not when a half-finished session was resumed). */
      readonly hello: SaharaHello | undefined;
      /** Bytes that followed DONE_RESP — the programmer's first output; hand them to Firehose. */
      readonly leftover: Uint8Array;
    }
  | {
      /** The port already speaks Firehose: skip Sahara and hand `leftover` to the Firehose client. */
      readonly kind: 'firehose-already-running';
      readonly leftover: Uint8Array;
    };

export interface ChipInfoOptions {
  readonly signal?: AbortSignal;
  readonly serialNumber?: boolean;
  readonly hwId?: boolean;
  /** Version-3 PBLs often fail this (§1.4), and a failure leaves the target needing a RESET: off for them unless asked. */
  readonly pkHash?: boolean;
}

export interface SaharaChipInfo {
  readonly protocolVersion: number;
  readonly serialNumber: number | undefined;
  readonly hwId: SaharaHwId | undefined;
  /** OEM public-key hash copies, hex. */
  readonly pkHash: readonly string[];
}

const MAX_HELLO_RESTARTS = 3;
const MAX_RECOVERIES = 2;
const DEFAULT_PENDING_OK = [7, 13, 21] as const;

const EXPECT_HELLO: SaharaExpectation = {
  what: 'Sahara HELLO',
  hint: 'The module is not talking Sahara: an earlier run may have left it half-finished, or another program (ModemManager, eg25-manager) uses the port. Stop those, power-cycle the module (or replug USB) and run again (edl-protocols.md §5).',
};
const EXPECT_NEXT: SaharaExpectation = {
  what: 'Sahara packet',
  hint: 'The module stopped answering mid-transfer (it may have reset). Power-cycle it, check the cable and that nothing else uses the port, and run again.',
};
const EXPECT_DONE: SaharaExpectation = {
  what: 'Sahara DONE_RESP',
  hint: 'The module took the image but did not confirm. Power-cycle it and run again; if it repeats, the programmer may not start on this module.',
};

type LoadState = 'start' | 'serving' | 'done-sent';

export class SaharaHost {
  readonly #transport: ByteTransport;
  readonly #logger: Logger;
  readonly #timeouts: SaharaTimeouts;
  readonly #options: SaharaHostOptions;
  readonly #reader: SaharaPacketReader;
  /** A HELLO received and not answered yet. */
  #pendingHello: SaharaHello | undefined;

  constructor(transport: ByteTransport, options: SaharaHostOptions = {}) {
    this.#transport = transport;
    this.#options = options;
    this.#logger = options.logger ?? silentLogger;
    this.#timeouts = { ...defaultSaharaTimeouts, ...options.timeouts };
    this.#reader = new SaharaPacketReader(transport, options.initialBytes);
  }

  /** The HELLO waiting for an answer, if any. */
  get pendingHello(): SaharaHello | undefined {
    return this.#pendingHello;
  }

  /** Bytes received and not consumed: after a load, the programmer's first output. */
  takeLeftover(): Uint8Array {
    return this.#reader.takeLeftover();
  }

  /** Uploads a programmer (or any image the target asks for) and waits until the target runs it. */
  async loadProgrammer(image: Uint8Array, options: LoadProgrammerOptions = {}): Promise<SaharaLoadResult> {
    const { signal } = options;
    let state: LoadState = 'start';
    let served = 0;
    let imageId = options.imageId ?? -1;
    let hello: SaharaHello | undefined;
    let helloCount = 0;
    let recoveries = 0;
    let incoming = await this.#firstIncoming(SaharaMode.ImageTransferPending, signal);

    for (;;) {
      if (incoming.kind === 'firehose') {
        if (state === 'start') return { kind: 'firehose-already-running', leftover: this.takeLeftover() };
        if (state === 'done-sent') {
          logWarn(this.#logger, 'sahara: the programmer spoke before DONE_RESP arrived; taking it as started');
          return { kind: 'loaded', imageId, bytesServed: served, imageTransferStatus: 'unconfirmed', hello, leftover: this.takeLeftover() };
        }
        throw new SaharaProtocolError('Firehose XML arrived in the middle of the Sahara transfer', { hint: EXPECT_NEXT.hint });
      }
      const packet = incoming.kind === 'packet' ? incoming.packet : undefined;
      switch (packet?.kind) {
        case 'hello': {
          helloCount += 1;
          if (helloCount > MAX_HELLO_RESTARTS) {
            throw new SaharaProtocolError(`the module restarted the Sahara handshake ${helloCount} times`, {
              hint: 'It keeps rejecting our HELLO_RESP. Power-cycle the module; if it repeats, report it with a trace.',
            });
          }
          if (state !== 'start') logWarn(this.#logger, 'sahara: the module restarted the handshake; answering again');
          hello = toHello(packet);
          await this.#answerHello(hello, SaharaMode.ImageTransferPending, signal);
          state = 'serving';
          break;
        }
        case 'readData':
        case 'readData64': {
          if (state === 'start') logWarn(this.#logger, 'sahara: the module is in the middle of an earlier transfer; resuming it');
          const request = readRequest(packet);
          if (options.imageId !== undefined && request.imageId !== options.imageId) {
            throw new SaharaProtocolError(`the module asked for image ${request.imageId}, but we serve image ${options.imageId}`, {
              hint: 'The module wants a different image than the programmer; check that it is in EDL (05c6:9008) and that this is its programmer.',
            });
          }
          imageId = request.imageId;
          await this.#serve(image, request, signal);
          served += request.length;
          options.onProgress?.({ bytes: served, total: image.length });
          state = 'serving';
          break;
        }
        case 'endImageTransfer': {
          if (packet.status !== 0) {
            if (state !== 'start') await this.#failWithNak(packet, signal);
            recoveries = await this.#recover(recoveries, `a NAK (${saharaStatusName(packet.status)}) left over from an earlier session`, signal);
            break;
          }
          if (state === 'start') {
            recoveries = await this.#recover(recoveries, 'an image transfer finished by an earlier session', signal);
            break;
          }
          imageId = packet.imageId;
          logInfo(this.#logger, `sahara: image ${imageId} received by the module (${served} bytes served)`);
          await this.#send('done', {}, signal);
          state = 'done-sent';
          break;
        }
        case 'doneResponse': {
          if (state !== 'done-sent') {
            recoveries = await this.#recover(recoveries, 'DONE_RESP without DONE', signal);
            break;
          }
          const status = this.#checkDone(packet.imageTransferStatus, imageId, options.allowedPendingImageIds ?? DEFAULT_PENDING_OK);
          return { kind: 'loaded', imageId, bytesServed: served, imageTransferStatus: status, hello, leftover: this.takeLeftover() };
        }
        case 'commandReady':
          // Left in command mode by an earlier chip-info read: ask for a fresh HELLO.
          logWarn(this.#logger, 'sahara: the module is in command mode; switching it back to image transfer');
          await this.#send('commandSwitchMode', { mode: SaharaMode.ImageTransferPending }, signal);
          state = 'start';
          break;
        case 'resetResponse':
          logInfo(this.#logger, 'sahara: the module acknowledged RESET; waiting for it to start over');
          state = 'start';
          break;
        default:
          recoveries = await this.#recover(recoveries, describeUnexpected(incoming), signal);
          state = 'start';
      }
      incoming = await this.#reader.next(this.#timeouts.packetMs, state === 'done-sent' ? EXPECT_DONE : state === 'start' ? EXPECT_HELLO : EXPECT_NEXT, signal);
    }
  }

  /**
   * Reads chip ids in command mode (§1.6), then switches the target back so a fresh HELLO waits
   * for `loadProgrammer`.
   */
  async readChipInfo(options: ChipInfoOptions = {}): Promise<SaharaChipInfo> {
    const { signal } = options;
    const incoming = await this.#firstIncoming(SaharaMode.Command, signal);
    if (incoming.kind === 'firehose') {
      throw new SaharaFirehoseRunningError('a Firehose programmer is already running; the boot ROM cannot be asked for chip ids now', {
        hint: 'Skip chip info and talk Firehose directly, or power-cycle the module to get back to the boot ROM.',
      });
    }
    const packet = incoming.kind === 'packet' ? incoming.packet : undefined;
    let version: number;
    if (packet?.kind === 'hello') {
      const hello = toHello(packet);
      if (hello.version < 2) {
        this.#pendingHello = hello;
        throw new SaharaProtocolError(`command mode needs Sahara 2.1 or later; the module speaks version ${hello.version}`, {
          hint: 'Chip information is optional: load the programmer without it.',
        });
      }
      await this.#answerHello(hello, SaharaMode.Command, signal);
      await this.#expect('commandReady', 'Sahara CMD_READY', signal);
      version = hello.version;
    } else if (packet?.kind === 'commandReady') {
      // Our probe (a HELLO_RESP asking for command mode) answered a HELLO we never saw; its
      // version is unknown, so take the 9x07 PBL's 2 (§1.3).
      version = 2;
    } else {
      await this.#send('reset', {}, signal);
      throw new SaharaProtocolError(`expected HELLO, got ${describeUnexpected(incoming)}; the module was told to reset`, {
        hint: 'Wait for 05c6:9008 to come back (`medic scan`) and run again.',
      });
    }
    const v3 = version >= 3;
    const serialData = options.serialNumber === false ? undefined : await this.#execute(SaharaExecCommand.SerialNumberRead, signal);
    const hwIdData = options.hwId === false ? undefined : await this.#execute(v3 ? SaharaExecCommand.ReadChipIdV3 : SaharaExecCommand.MsmHwIdRead, signal);
    const pkHashData = (options.pkHash ?? !v3) ? await this.#execute(SaharaExecCommand.OemPkHashRead, signal) : undefined;
    await this.#send('commandSwitchMode', { mode: SaharaMode.ImageTransferPending }, signal);
    const fresh = await this.#expect('hello', 'Sahara HELLO after the mode switch', signal);
    this.#pendingHello = toHello(fresh);
    return {
      protocolVersion: version,
      serialNumber: serialData === undefined ? undefined : parseSerialNumber(serialData),
      hwId: hwIdData === undefined ? undefined : v3 ? parseChipIdV3(hwIdData) : parseHwId(hwIdData),
      pkHash: pkHashData === undefined ? [] : parsePkHash(pkHashData),
    };
  }

  /**
   * Sends RESET and waits for RESET_RESP. The target accepts it while waiting for HELLO_RESP, after
   * a NAK, and in command mode (§1.6); it then resets, which on USB means a re-enumeration.
   */
  async reset(signal?: AbortSignal): Promise<void> {
    this.#pendingHello = undefined;
    await this.#send('reset', {}, signal);
    await this.#expect('resetResponse', 'Sahara RESET_RESP', signal);
  }

  async #firstIncoming(mode: SaharaMode, signal: AbortSignal | undefined): Promise<SaharaIncoming> {
    const pending = this.#pendingHello;
    if (pending !== undefined) {
      this.#pendingHello = undefined;
      return { kind: 'packet', packet: { kind: 'hello', ...pending, reserved: [] }, bytes: new Uint8Array(0) };
    }
    try {
      return await this.#reader.next(this.#timeouts.helloMs, EXPECT_HELLO, signal);
    } catch (error) {
      if (this.#options.probeWhenSilent === false || !isTimeout(error)) throw error;
      logInfo(this.#logger, 'sahara: no HELLO yet; sending an unsolicited HELLO_RESP in case it was missed');
      await this.#answerHello(undefined, mode, signal);
      return await this.#reader.next(this.#timeouts.helloMs, EXPECT_HELLO, signal);
    }
  }

  async #answerHello(hello: SaharaHello | undefined, mode: SaharaMode, signal: AbortSignal | undefined): Promise<void> {
    // Without a HELLO to echo, qdl's fixed 2 / 1 (accepted by real targets, §1.7).
    const version = this.#options.helloResponseVersion ?? { version: hello?.version ?? 2, versionSupported: hello?.versionSupported ?? 1 };
    if (hello !== undefined) logInfo(this.#logger, `sahara: HELLO version ${hello.version} (supported ${hello.versionSupported}), mode ${hello.mode}`);
    await this.#send('helloResponse', { ...version, status: 0, mode, reserved: [0, 0, 0, 0, 0, 0] }, signal);
  }

  async #serve(image: Uint8Array, request: ReadRequest, signal: AbortSignal | undefined): Promise<void> {
    const { imageId, offset, length } = request;
    logDebug(this.#logger, `sahara: READ_DATA image ${imageId} offset 0x${offset.toString(16)} length 0x${length.toString(16)}`);
    if (offset + length > image.length) {
      throw new SaharaImageRangeError(
        `the module asked for bytes 0x${offset.toString(16)}..0x${(offset + length).toString(16)} of image ${imageId}, but the image is only 0x${image.length.toString(16)} bytes`,
        {
          hint: 'The programmer file is truncated or not the one this module needs: use update/firehose/prog_nand_firehose_9x07.mbn from the firmware package made for it. Power-cycle the module before the next try.',
          details: { imageId, offset, length, imageSize: image.length },
        },
      );
    }
    await this.#write(image.subarray(offset, offset + length), 'image data for READ_DATA', signal);
  }

  #checkDone(status: number, imageId: number, pendingOk: readonly number[]): 'pending' | 'complete' {
    if (status === SaharaMode.ImageTransferComplete) return 'complete';
    if (status === SaharaMode.ImageTransferPending && pendingOk.includes(imageId)) return 'pending';
    throw new SaharaProtocolError(`DONE_RESP status ${status} for image ${imageId}: the module expects more images`, {
      hint: 'This host serves one programmer image; the module asked for more (a multi-image boot). Check that the module is in EDL (05c6:9008) and that the programmer is the one for it.',
    });
  }

  async #failWithNak(packet: SaharaPacketOf<'endImageTransfer'>, signal: AbortSignal | undefined): Promise<never> {
    let reset = false;
    if (this.#options.resetAfterNak !== false) {
      try {
        await this.reset(signal);
        reset = true;
      } catch (error) {
        logDebug(this.#logger, 'sahara: RESET after the NAK was not acknowledged', { error: String(error) });
      }
    }
    throw new SaharaNakError(packet.status, packet.imageId, { details: { resetSent: reset } });
  }

  /** Resets the target's state machine to recover a session that is out of step (§1.6, §5). */
  async #recover(recoveries: number, what: string, signal: AbortSignal | undefined): Promise<number> {
    if (recoveries >= MAX_RECOVERIES) {
      throw new SaharaProtocolError(`the Sahara session is still out of step after ${recoveries} resets (last: ${what})`, { hint: EXPECT_HELLO.hint });
    }
    logWarn(this.#logger, `sahara: ${what}; sending RESET to start over`);
    await this.#send('reset', {}, signal);
    return recoveries + 1;
  }

  async #execute(command: SaharaExecCommand, signal: AbortSignal | undefined): Promise<Uint8Array> {
    await this.#send('commandExecute', { clientCommand: command }, signal);
    const response = await this.#expect('commandExecuteResponse', 'Sahara CMD_EXEC_RESP', signal);
    if (response.clientCommand !== command) {
      throw new SaharaProtocolError(`CMD_EXEC_RESP for command ${response.clientCommand}, expected ${command}`, { hint: EXPECT_NEXT.hint });
    }
    if (response.responseLength === 0) return new Uint8Array(0);
    await this.#send('commandExecuteData', { clientCommand: command }, signal);
    return this.#reader.readRaw(response.responseLength, this.#timeouts.packetMs, { what: 'command-mode reply data', hint: EXPECT_NEXT.hint }, signal);
  }

  /** The next packet, which must be `kind`; a NAK becomes SaharaNakError. */
  async #expect<K extends SaharaPacketKind>(kind: K, what: string, signal: AbortSignal | undefined): Promise<SaharaPacketOf<K>> {
    const incoming = await this.#reader.next(this.#timeouts.packetMs, { what, hint: EXPECT_NEXT.hint }, signal);
    if (incoming.kind === 'packet') {
      const { packet } = incoming;
      if (packet.kind === kind) return packet as SaharaPacketOf<K>;
      if (packet.kind === 'endImageTransfer' && packet.status !== 0) return this.#failWithNak(packet, signal);
    }
    throw new SaharaProtocolError(`expected ${what}, got ${describeUnexpected(incoming)}`, { hint: EXPECT_NEXT.hint });
  }

  async #send<K extends SaharaPacketKind>(kind: K, fields: SaharaPacketFields<K>, signal: AbortSignal | undefined): Promise<void> {
    await this.#write(encodeSaharaPacket(kind, fields), saharaCommandName(saharaPacketLayouts[kind].command), signal);
  }

  /** A write the module does not take within `packetMs`, or after it went away, becomes a Sahara error. */
  async #write(bytes: Uint8Array, what: string, signal: AbortSignal | undefined): Promise<void> {
    const ms = this.#timeouts.packetMs;
    const limit = deadline(ms, what, signal);
    try {
      await this.#transport.write(bytes, limit.signal);
    } catch (error) {
      if (signal?.aborted === true) throw error;
      if (error instanceof TimeoutError) throw new SaharaTimeoutError(`the module took no ${what} for ${ms} ms on ${this.#transport.description}`, { hint: EXPECT_NEXT.hint, cause: error });
      if (error instanceof TransportClosedError) {
        throw new SaharaDisconnectedError(`${this.#transport.description} went away while sending ${what}`, { hint: DISCONNECTED_HINT, cause: error });
      }
      throw error;
    } finally {
      limit.dispose();
    }
  }
}

/** Convenience: one programmer upload on a fresh transport. */
export async function loadProgrammer(
  transport: ByteTransport,
  image: Uint8Array,
  options: SaharaHostOptions & LoadProgrammerOptions = {},
): Promise<SaharaLoadResult> {
  return new SaharaHost(transport, options).loadProgrammer(image, options);
}

interface ReadRequest {
  readonly imageId: number;
  readonly offset: number;
  readonly length: number;
}

function readRequest(packet: SaharaPacketOf<'readData'> | SaharaPacketOf<'readData64'>): ReadRequest {
  if (packet.kind === 'readData') return packet;
  const toNumber = (value: bigint, name: string): number => {
    if (value > BigInt(Number.MAX_SAFE_INTEGER)) {
      throw new SaharaImageRangeError(`READ_DATA_64 ${name} 0x${value.toString(16)} is beyond any programmer image`, {
        hint: 'The module sent a nonsensical request; power-cycle it and run again.',
      });
    }
    return Number(value);
  };
  return { imageId: toNumber(packet.imageId, 'image id'), offset: toNumber(packet.offset, 'offset'), length: toNumber(packet.length, 'length') };
}

function toHello(packet: SaharaPacketOf<'hello'>): SaharaHello {
  return { version: packet.version, versionSupported: packet.versionSupported, maxCommandPacketLength: packet.maxCommandPacketLength, mode: packet.mode };
}

function describeUnexpected(incoming: SaharaIncoming): string {
  if (incoming.kind === 'firehose') return 'Firehose XML';
  if (incoming.kind === 'unknown') return saharaCommandName(incoming.command);
  return `an unexpected ${saharaCommandName(saharaPacketLayouts[incoming.packet.kind].command)}`;
}

function isTimeout(error: unknown): boolean {
  return error instanceof SaharaTimeoutError;
}
