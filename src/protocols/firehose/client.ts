import { TimeoutError, UsageError } from '../../core/errors.js';
import { hexdump } from '../../core/hexdump.js';
import type { Logger } from '../../core/logger.js';
import { logDebug, logInfo, logWarn, silentLogger } from '../../core/logger.js';
import { ProgressWatchdog } from '../../core/time.js';
import type { ByteTransport } from '../../transport/byte-transport.js';
import { TransportClosedError } from '../../transport/errors.js';
import { planTransfers, type FirehoseDataSource, type SourceTally } from './data-source.js';
import { findDeviceError, hintForNak } from './device-errors.js';
import { FirehoseDataSizeError, FirehoseDisconnectedError, FirehoseNakError, FirehoseProtocolError, FirehoseTimeoutError } from './errors.js';
import { numericAttribute, parseFirehoseMessages, type FirehoseResponse } from './messages.js';
import { checkEraseAlignment, regionAttributes, type FirehoseRegion } from './region.js';
import { SupportedFunctionsCollector } from './startup.js';
import { parseStorageInfo, type FirehoseStorageInfo } from './storage-info.js';
import { FirehoseStream, type ReadInto, type ReadMore } from './stream.js';
import { defaultFirehoseTimeouts, type FirehoseTimeouts } from './timeouts.js';
import { attribute } from './xml-parse.js';
import { DEFAULT_MAX_XML_SIZE, encodeFirehoseCommand, type FirehoseAttributes, type FirehoseAttributeValue } from './xml-encode.js';

// A Firehose client for the NAND programmer of the EC25 family (edl-protocols.md §2), over any
// ByteTransport. Device <log> lines go to `onLog` and the logger as they arrive; the library
// never prints. Raw data is streamed with back-pressure: each transfer is awaited before the next
// one is read from the source.

export interface FirehoseClientOptions {
  readonly logger?: Logger;
  /** Every device `<log>` line, as it arrives. */
  readonly onLog?: (line: string) => void;
  /** Bytes already read from the port (Sahara's leftover: the programmer's first output). */
  readonly initialBytes?: Uint8Array;
  readonly timeouts?: Partial<FirehoseTimeouts>;
}

export interface FirehoseCallOptions {
  readonly signal?: AbortSignal | undefined;
  /** Overrides the default silence limit for this call's response. */
  readonly timeoutMs?: number | undefined;
}

export interface FirehoseProgress {
  readonly bytes: number;
  readonly total: number;
}

export interface FirehoseCommandResult {
  readonly response: FirehoseResponse;
  /** Device log lines between sending the command and its response. */
  readonly logs: readonly string[];
}

export interface FirehoseStartup {
  readonly logs: readonly string[];
  /** The programmer's command list, when it logged one (§2.2). */
  readonly supportedFunctions: readonly string[] | undefined;
}

export type FirehoseMemoryName = 'nand' | 'emmc' | 'ufs' | 'spinor' | 'nvme';

export interface FirehoseConfigureOptions {
  readonly memoryName: FirehoseMemoryName;
  /** Default 8192 for NAND (QFirehose; the NAND programmer's buffer), 1 MiB otherwise (§2.3). */
  readonly maxPayloadSizeToTargetInBytes?: number;
  /** Default 2048 for NAND, 8192 otherwise (QFirehose, quectel-ec25.md §2.5). */
  readonly maxDigestTableSizeInBytes?: number;
  readonly verbose?: boolean;
  readonly alwaysValidate?: boolean;
  /**
   * Default off: a tty or TCP byte stream cannot send zero-length packets, and the NAND build
   * ignores the flag anyway (§2.3 note, §2.8).
   */
  readonly zlpAwareHost?: boolean;
  readonly skipStorageInit?: boolean;
  readonly skipWrite?: boolean;
  /** Sent as PAGES_PER_BLOCK (edl does for NAND) and used as the default for erase/program/read. */
  readonly pagesPerBlock?: number;
  readonly extraAttributes?: FirehoseAttributes;
  readonly signal?: AbortSignal | undefined;
}

export interface FirehoseConfiguration {
  readonly memoryName: string;
  /** What the host may send per raw transfer. */
  readonly maxPayloadSizeToTargetInBytes: number;
  readonly maxPayloadSizeToTargetInBytesSupported: number | undefined;
  readonly maxPayloadSizeFromTargetInBytes: number | undefined;
  readonly maxXmlSizeInBytes: number;
  readonly targetName: string | undefined;
  readonly version: string | undefined;
  /** configure messages sent: 2 when the first was NAKed and the programmer's payload size adopted. */
  readonly attempts: number;
  readonly logs: readonly string[];
}

export interface FirehoseProgramOptions {
  readonly signal?: AbortSignal | undefined;
  readonly onProgress?: (progress: FirehoseProgress) => void;
  /** Size of an async-iterable source, when `numSectors` is not given. */
  readonly byteLength?: number;
  /** Padding of the last sector; default 0xFF, the NAND erased value. */
  readonly padByte?: number;
}

export interface FirehoseProgramResult {
  /** Bytes sent to the programmer (whole sectors). */
  readonly bytes: number;
  /** Bytes taken from the source. */
  readonly sourceBytes: number;
  readonly logs: readonly string[];
}

export interface FirehoseReadOptions {
  readonly signal?: AbortSignal | undefined;
  readonly onProgress?: (progress: FirehoseProgress) => void;
}

export interface FirehosePowerOptions {
  readonly value: 'reset' | 'off';
  /** qdl and QFirehose send 10 (§2.7). */
  readonly delayInSeconds?: number;
  readonly signal?: AbortSignal | undefined;
}

export interface FirehosePowerResult {
  /** False when the device dropped off before its ACK arrived — what a reset looks like too. */
  readonly acknowledged: boolean;
  readonly logs: readonly string[];
}

const TIMEOUT_HINT =
  'The programmer stopped answering. Power-cycle the module back into EDL (05c6:9008), make sure nothing else uses the port (ModemManager), and run again.';
const DISCONNECT_HINT = 'The module dropped off the port (it reset, or the cable moved). Wait for 05c6:9008 (`medic scan`) and run again from Sahara.';
const LOG_HISTORY = 50;
const NAK_LOG_LINES = 10;

export class FirehoseClient {
  readonly #transport: ByteTransport;
  readonly #logger: Logger;
  readonly #onLog: ((line: string) => void) | undefined;
  readonly #timeouts: FirehoseTimeouts;
  readonly #stream: FirehoseStream;
  readonly #history: string[] = [];
  readonly #functions = new SupportedFunctionsCollector();
  #drained = false;
  #configuration: FirehoseConfiguration | undefined;
  #pagesPerBlock: number | undefined;
  #memoryName: FirehoseMemoryName | undefined;
  #storage: FirehoseStorageInfo | undefined;

  constructor(transport: ByteTransport, options: FirehoseClientOptions = {}) {
    this.#transport = transport;
    this.#logger = options.logger ?? silentLogger;
    this.#onLog = options.onLog;
    this.#timeouts = { ...defaultFirehoseTimeouts, ...options.timeouts };
    this.#stream = new FirehoseStream(options.initialBytes, {
      onSkipped: (bytes) => {
        logDebug(this.#logger, `firehose: skipped ${bytes.length} bytes that are not XML`, { bytes: hexdump(bytes.subarray(0, 256)) });
      },
    });
  }

  get configuration(): FirehoseConfiguration | undefined {
    return this.#configuration;
  }

  /** The programmer's command list, once its start-up burst was read. */
  get supportedFunctions(): readonly string[] | undefined {
    return this.#functions.functions;
  }

  /** The most recent device log lines (up to 50). */
  get recentLogs(): readonly string[] {
    return this.#history;
  }

  /**
   * Reads the programmer's start-up logs until it falls silent (§2.2: QFirehose waits 3 s for the
   * first message, then for 1 s of silence). Unread logs would otherwise block the pipe (§5).
   */
  async drainStartupLogs(options: { readonly signal?: AbortSignal | undefined } = {}): Promise<FirehoseStartup> {
    const logs: string[] = [];
    let waitMs = this.#timeouts.startupFirstMs;
    for (;;) {
      let text: string;
      const reader = this.#reader(waitMs, 'start-up logs', options.signal);
      try {
        text = await this.#stream.nextDocument(reader.read);
      } catch (error) {
        if (error instanceof FirehoseTimeoutError) break;
        throw error;
      } finally {
        reader.dispose();
      }
      waitMs = this.#timeouts.startupSilenceMs;
      for (const message of parseFirehoseMessages(text)) {
        if (message.kind === 'log') logs.push(this.#deviceLog(message.text));
        else if (message.kind === 'response') logDebug(this.#logger, `firehose: ignored a stray ${message.value} during start-up`);
      }
    }
    this.#drained = true;
    return { logs, supportedFunctions: this.#functions.functions };
  }

  /**
   * Sends `<configure>`; on a NAK that carries the programmer's own MaxPayloadSizeToTargetInBytes,
   * adopts it and sends configure again (§2.3, §5). Drains start-up logs first if not done yet.
   */
  async configure(options: FirehoseConfigureOptions): Promise<FirehoseConfiguration> {
    const { signal } = options;
    if (!this.#drained) await this.drainStartupLogs({ signal });
    const nand = options.memoryName === 'nand';
    let payload = options.maxPayloadSizeToTargetInBytes ?? (nand ? 8192 : 1024 * 1024);
    const logs: string[] = [];
    for (let attempt = 1; ; attempt += 1) {
      const result = await this.#transact('configure', configureAttributes(options, payload, nand), { signal, timeoutMs: this.#timeouts.responseMs });
      logs.push(...result.logs);
      const { response } = result;
      const offered = numericAttribute(response.element, 'MaxPayloadSizeToTargetInBytes');
      if (response.acknowledged) {
        this.#memoryName = options.memoryName;
        this.#pagesPerBlock = options.pagesPerBlock ?? this.#pagesPerBlock;
        this.#configuration = {
          memoryName: attribute(response.element, 'MemoryName') ?? options.memoryName,
          maxPayloadSizeToTargetInBytes: offered !== undefined && offered > 0 ? Math.min(offered, payload) : payload,
          maxPayloadSizeToTargetInBytesSupported: numericAttribute(response.element, 'MaxPayloadSizeToTargetInBytesSupported'),
          maxPayloadSizeFromTargetInBytes: numericAttribute(response.element, 'MaxPayloadSizeFromTargetInBytes'),
          maxXmlSizeInBytes: numericAttribute(response.element, 'MaxXMLSizeInBytes') ?? DEFAULT_MAX_XML_SIZE,
          targetName: attribute(response.element, 'TargetName'),
          version: attribute(response.element, 'Version'),
          attempts: attempt,
          logs,
        };
        logInfo(this.#logger, `firehose: configured ${this.#configuration.memoryName}, payload ${this.#configuration.maxPayloadSizeToTargetInBytes} bytes`);
        return this.#configuration;
      }
      if (attempt === 1 && offered !== undefined && offered > 0 && offered !== payload) {
        logInfo(this.#logger, `firehose: the programmer takes at most ${offered} bytes per transfer; configuring again with that`);
        payload = offered;
        continue;
      }
      throw this.#nakError('configure', logs);
    }
  }

  /** `<getstorageinfo/>`, read from the log lines the programmer answers with (§2.7). */
  async getStorageInfo(options: FirehoseCallOptions & { readonly physicalPartitionNumber?: number } = {}): Promise<FirehoseStorageInfo> {
    const result = await this.#checked('getstorageinfo', { physical_partition_number: options.physicalPartitionNumber ?? 0 }, options);
    this.#storage = parseStorageInfo(result.logs);
    return this.#storage;
  }

  /** `<erase>`. On NAND the range must be block-aligned; checked here before anything is sent (§2.6). */
  async erase(region: FirehoseRegion, options: FirehoseCallOptions = {}): Promise<FirehoseCommandResult> {
    const filled = this.#fillRegion(region, 'erase');
    if (filled.pagesPerBlock !== undefined) checkEraseAlignment(filled, filled.pagesPerBlock);
    return this.#checked('erase', regionAttributes(filled), { ...options, timeoutMs: options.timeoutMs ?? this.#timeouts.eraseMs });
  }

  /**
   * `<program>`: waits for `ACK rawmode="true"`, streams exactly numSectors × sectorSize bytes in
   * transfers of the negotiated payload size (the last sector padded), then waits for the final
   * ACK (§2.4). Program does not erase: erase the range first.
   */
  async program(region: FirehoseRegion, data: FirehoseDataSource, options: FirehoseProgramOptions = {}): Promise<FirehoseProgramResult> {
    const { signal } = options;
    const configuration = this.#requireConfiguration('program');
    const byteLength = data instanceof Uint8Array ? data.length : options.byteLength;
    const sized = this.#fillRegion(region, 'program');
    const sectorSize = sized.sectorSize ?? 0;
    const numSectors = sized.numSectors ?? (byteLength === undefined ? undefined : Math.ceil(byteLength / sectorSize));
    if (numSectors === undefined) {
      throw new UsageError('program: give numSectors, or byteLength for a streamed source', { hint: 'The programmer must be told the size before the data (num_partition_sectors).' });
    }
    const filled: FirehoseRegion = { ...sized, numSectors };
    const total = numSectors * sectorSize;
    const setup = await this.#transact('program', regionAttributes(filled), { signal, timeoutMs: this.#timeouts.responseMs });
    this.#requireRawMode('program', setup);
    const tally: SourceTally = { taken: 0, overflow: false };
    const plan = { total, transferSize: transferSize(configuration.maxPayloadSizeToTargetInBytes, sectorSize), padByte: options.padByte ?? 0xff };
    let bytes = 0;
    const writer = this.#writer('program data', signal);
    try {
      for await (const transfer of planTransfers(data, plan, tally)) {
        await writer.write(transfer);
        bytes += transfer.length;
        options.onProgress?.({ bytes, total });
      }
    } finally {
      writer.dispose();
    }
    const final = await this.#awaitResponse('program', { signal, timeoutMs: this.#timeouts.finalAckMs });
    const logs = [...setup.logs, ...final.logs];
    if (!final.response.acknowledged) throw this.#nakError('program', logs);
    const short = byteLength === undefined ? tally.taken <= total - sectorSize : tally.taken !== byteLength;
    if (tally.overflow || short) {
      throw new FirehoseDataSizeError(
        tally.overflow
          ? `program at sector ${String(filled.startSector)}: the source has more than the ${total} bytes announced; the rest was not written`
          : `program at sector ${String(filled.startSector)}: the source ended after ${tally.taken} of ${byteLength ?? total} bytes; the rest was padded`,
        { hint: 'The file changed while it was being written, or the size given does not match it. Erase the range and program it again.', details: { announced: byteLength ?? total, taken: tally.taken } },
      );
    }
    return { bytes: total, sourceBytes: tally.taken, logs };
  }

  /** `<read>`: the raw data as one buffer. For large ranges use `readTo`. */
  async read(region: FirehoseRegion, options: FirehoseReadOptions = {}): Promise<Uint8Array> {
    const filled = this.#fillRegion(region, 'read');
    const out = new Uint8Array((filled.numSectors ?? 0) * (filled.sectorSize ?? 0));
    let at = 0;
    await this.readTo(filled, (chunk) => {
      out.set(chunk, at);
      at += chunk.length;
    }, options);
    return out;
  }

  /**
   * `<read>`, streaming: `sink` gets the raw data in order as it arrives and is awaited before more
   * is read. Chunks are views into a reused buffer: copy what you keep.
   */
  async readTo(region: FirehoseRegion, sink: (chunk: Uint8Array) => Promise<void> | void, options: FirehoseReadOptions = {}): Promise<FirehoseCommandResult & { readonly bytes: number }> {
    const { signal } = options;
    const filled = this.#fillRegion(region, 'read');
    if (filled.numSectors === undefined) throw new UsageError('read: numSectors is required');
    const total = filled.numSectors * (filled.sectorSize ?? 0);
    const setup = await this.#transact('read', regionAttributes(filled), { signal, timeoutMs: this.#timeouts.responseMs });
    this.#requireRawMode('read', setup);
    let bytes = 0;
    const reader = this.#reader(this.#timeouts.rawChunkMs, 'read data', signal);
    try {
      await this.#stream.readRaw(total, async (chunk) => {
        await sink(chunk);
        bytes += chunk.length;
        options.onProgress?.({ bytes, total });
      }, reader.readInto);
    } finally {
      reader.dispose();
    }
    const final = await this.#awaitResponse('read', { signal, timeoutMs: this.#timeouts.finalAckMs });
    const logs = [...setup.logs, ...final.logs];
    if (!final.response.acknowledged) throw this.#nakError('read', logs);
    return { response: final.response, logs, bytes };
  }

  /** `<nop />`. A NAK is returned, not thrown: some NAND builds reject attribute-less tags (§2.7). */
  async nop(options: FirehoseCallOptions = {}): Promise<{ readonly acknowledged: boolean; readonly logs: readonly string[] }> {
    const result = await this.#transact('nop', {}, { signal: options.signal, timeoutMs: options.timeoutMs ?? this.#timeouts.responseMs });
    return { acknowledged: result.response.acknowledged, logs: result.logs };
  }

  /**
   * `<power DelayInSeconds="n" value="reset|off" />`. After the ACK the device logs a little and
   * drops off USB: EOF, errors and silence are expected then, not failures (§2.7).
   */
  async power(options: FirehosePowerOptions): Promise<FirehosePowerResult> {
    const { signal } = options;
    let result: FirehoseCommandResult;
    try {
      result = await this.#transact('power', { DelayInSeconds: options.delayInSeconds ?? 10, value: options.value }, { signal, timeoutMs: this.#timeouts.responseMs });
    } catch (error) {
      if (error instanceof FirehoseDisconnectedError) return { acknowledged: false, logs: [] };
      throw error;
    }
    if (!result.response.acknowledged) throw this.#nakError('power', result.logs);
    const logs = [...result.logs];
    for (;;) {
      const reader = this.#reader(this.#timeouts.powerDrainMs, 'last logs before reset', signal);
      try {
        const text = await this.#stream.nextDocument(reader.read);
        for (const message of parseFirehoseMessages(text)) if (message.kind === 'log') logs.push(this.#deviceLog(message.text));
      } catch (error) {
        if (error instanceof FirehoseTimeoutError || error instanceof FirehoseDisconnectedError) break;
        throw error;
      } finally {
        reader.dispose();
      }
    }
    return { acknowledged: true, logs };
  }

  /**
   * `<benchmark …/>` (§2.7). The NAND build's write test erases block 0 — the boot loader — so it
   * is refused unless `allowErasingBlock0` is set.
   */
  async benchmark(attributes: FirehoseAttributes, options: FirehoseCallOptions & { readonly allowErasingBlock0?: boolean } = {}): Promise<FirehoseCommandResult> {
    const writes = Object.entries(attributes).some(([name, value]) => name.toLowerCase() === 'testwriteperformance' && String(value) !== '0');
    if (writes && options.allowErasingBlock0 !== true) {
      throw new UsageError('benchmark TestWritePerformance erases NAND block 0 (the boot loader) on this programmer', {
        hint: 'Only run it on a module you are about to reflash completely, and pass allowErasingBlock0.',
      });
    }
    return this.#checked('benchmark', attributes, { ...options, timeoutMs: options.timeoutMs ?? this.#timeouts.eraseMs });
  }

  /** Any command (e.g. a rawprogram line forwarded as it is); a NAK is thrown as FirehoseNakError. */
  async command(tag: string, attributes: FirehoseAttributes = {}, options: FirehoseCallOptions = {}): Promise<FirehoseCommandResult> {
    return this.#checked(tag, attributes, options);
  }

  /** Bytes received and not consumed (for a trace, or to hand the port to someone else). */
  get buffered(): number {
    return this.#stream.buffered;
  }

  async #checked(tag: string, attributes: FirehoseAttributes, options: FirehoseCallOptions): Promise<FirehoseCommandResult> {
    const result = await this.#transact(tag, attributes, { signal: options.signal, timeoutMs: options.timeoutMs ?? this.#timeouts.responseMs });
    if (!result.response.acknowledged) throw this.#nakError(tag, result.logs);
    return result;
  }

  async #transact(tag: string, attributes: FirehoseAttributes, options: FirehoseCallOptions): Promise<FirehoseCommandResult> {
    const bytes = encodeFirehoseCommand(tag, attributes);
    const limit = this.#configuration?.maxXmlSizeInBytes ?? DEFAULT_MAX_XML_SIZE;
    if (bytes.length > limit) {
      throw new UsageError(`<${tag}> is ${bytes.length} bytes; the programmer takes XML messages of at most ${limit}`, { hint: 'Send fewer or shorter attributes.' });
    }
    logDebug(this.#logger, `firehose: → <${tag}>`, { attributes });
    await this.#write(bytes, `<${tag}>`, options.signal);
    return this.#awaitResponse(tag, options);
  }

  async #awaitResponse(tag: string, options: FirehoseCallOptions): Promise<FirehoseCommandResult> {
    const logs: string[] = [];
    const reader = this.#reader(options.timeoutMs ?? this.#timeouts.responseMs, `the response to <${tag}>`, options.signal);
    try {
      for (;;) {
        const text = await this.#stream.nextDocument(reader.read);
        for (const message of parseFirehoseMessages(text)) {
          if (message.kind === 'log') logs.push(this.#deviceLog(message.text));
          else if (message.kind === 'response') {
            logDebug(this.#logger, `firehose: ← ${message.value}${message.rawMode === undefined ? '' : ` rawmode=${String(message.rawMode)}`}`);
            return { response: message, logs };
          } else logDebug(this.#logger, `firehose: ignored <${message.element.tag}>`);
        }
      }
    } finally {
      reader.dispose();
    }
  }

  #requireRawMode(tag: string, setup: FirehoseCommandResult): void {
    if (!setup.response.acknowledged) throw this.#nakError(tag, setup.logs);
    // Some programmers leave rawmode out; only an explicit "false" means no data will follow.
    if (setup.response.rawMode === false) {
      throw new FirehoseProtocolError(`<${tag}> was acknowledged without raw mode; no data can follow`, { hint: 'This programmer does not behave as the NAND programmer does (§2.4); report it with a trace.' });
    }
  }

  #requireConfiguration(tag: string): FirehoseConfiguration {
    if (this.#configuration === undefined) {
      throw new UsageError(`<${tag}> before <configure>`, { hint: 'Call configure() first: the payload size comes from it.' });
    }
    return this.#configuration;
  }

  /** Fills sector size and pages per block from what configure / getstorageinfo established. */
  #fillRegion(region: FirehoseRegion, tag: string): FirehoseRegion {
    const sectorSize = region.sectorSize ?? this.#storage?.pageSize;
    if (sectorSize === undefined || sectorSize <= 0) {
      throw new UsageError(`<${tag}> needs a sector size`, { hint: 'Pass sectorSize (the NAND page size: 2048 or 4096 on the EC25 family), or call getStorageInfo() first.' });
    }
    const pagesPerBlock = region.pagesPerBlock ?? this.#pagesPerBlock ?? this.#storage?.pagesPerBlock;
    if (pagesPerBlock === undefined && this.#memoryName === 'nand') {
      throw new UsageError(`<${tag}> on NAND needs PAGES_PER_BLOCK`, {
        hint: 'Pass pagesPerBlock (64 on the EC25 family) here or to configure(); the NAND programmer NAKs without it (edl-protocols.md §2.4, §5).',
      });
    }
    const physicalPartitionNumber = region.physicalPartitionNumber ?? (tag === 'erase' ? undefined : 0);
    return {
      ...region,
      sectorSize,
      ...(pagesPerBlock === undefined ? {} : { pagesPerBlock }),
      ...(physicalPartitionNumber === undefined ? {} : { physicalPartitionNumber }),
    };
  }

  #deviceLog(text: string): string {
    this.#functions.push(text);
    this.#history.push(text);
    if (this.#history.length > LOG_HISTORY) this.#history.shift();
    this.#onLog?.(text);
    if (/error/i.test(text)) logWarn(this.#logger, `firehose: ${text}`);
    else logDebug(this.#logger, `firehose: ${text}`);
    return text;
  }

  #nakError(command: string, logs: readonly string[]): FirehoseNakError {
    const lines = (logs.length > 0 ? logs : this.#history).slice(-NAK_LOG_LINES);
    const deviceError = findDeviceError(lines);
    const why = deviceError?.text ?? lines.at(-1);
    return new FirehoseNakError(command, `the programmer refused <${command}>${why === undefined ? '' : `: ${why}`}`, {
      hint: hintForNak(command, lines, deviceError),
      deviceLogs: lines,
      deviceError,
    });
  }

  /** Reads for one document or one raw transfer: each read must bring something within `ms`. */
  #reader(ms: number, what: string, signal: AbortSignal | undefined): { readonly read: ReadMore; readonly readInto: ReadInto; dispose(): void } {
    const step = this.#watched(ms, what, signal);
    return {
      read: () => step.run((each) => this.#transport.read(each)),
      readInto: (into) => step.run((each) => this.#transport.readInto(into, each)),
      dispose: step.dispose,
    };
  }

  /** Writes one message, or the chunks of one raw transfer through the same `writer`. */
  async #write(bytes: Uint8Array, what: string, signal: AbortSignal | undefined): Promise<void> {
    const writer = this.#writer(what, signal);
    try {
      await writer.write(bytes);
    } finally {
      writer.dispose();
    }
  }

  #writer(what: string, signal: AbortSignal | undefined): { write(bytes: Uint8Array): Promise<void>; dispose(): void } {
    const step = this.#watched(this.#timeouts.rawChunkMs, `writing ${what}`, signal);
    return {
      write: (bytes) => step.run((each) => this.#transport.write(bytes, each)),
      dispose: step.dispose,
    };
  }

  /** Transport operations that must each make progress within `ms`, under one watchdog. */
  #watched(ms: number, what: string, signal: AbortSignal | undefined): { run<T>(operation: (signal: AbortSignal) => Promise<T>): Promise<T>; readonly dispose: () => void } {
    const watchdog = new ProgressWatchdog(ms, what, signal);
    return {
      run: async (operation) => {
        watchdog.arm();
        try {
          return await operation(watchdog.signal);
        } catch (error) {
          throw this.#describe(error, what, ms, signal);
        } finally {
          watchdog.disarm();
        }
      },
      dispose: () => {
        watchdog.dispose();
      },
    };
  }

  #describe(error: unknown, what: string, ms: number, signal: AbortSignal | undefined): unknown {
    if (signal?.aborted === true) return error;
    if (error instanceof TimeoutError) {
      return new FirehoseTimeoutError(`no progress on ${what} within ${ms} ms on ${this.#transport.description}`, { hint: TIMEOUT_HINT, cause: error, details: { recentLogs: this.#history.slice(-NAK_LOG_LINES) } });
    }
    if (error instanceof TransportClosedError) {
      return new FirehoseDisconnectedError(`${this.#transport.description} went away during ${what}`, { hint: DISCONNECT_HINT, cause: error });
    }
    return error;
  }
}

/** QFirehose's configure attributes for NAND (quectel-ec25.md §2.5), in its order. */
function configureAttributes(options: FirehoseConfigureOptions, payload: number, nand: boolean): Record<string, FirehoseAttributeValue> {
  const flag = (value: boolean | undefined): number => (value === true ? 1 : 0);
  const attributes: Record<string, FirehoseAttributeValue> = {
    MemoryName: options.memoryName,
    Verbose: flag(options.verbose),
    AlwaysValidate: flag(options.alwaysValidate),
    MaxDigestTableSizeInBytes: options.maxDigestTableSizeInBytes ?? (nand ? 2048 : 8192),
    MaxPayloadSizeToTargetInBytes: payload,
    ZlpAwareHost: flag(options.zlpAwareHost),
    SkipStorageInit: flag(options.skipStorageInit),
  };
  if (options.skipWrite !== undefined) attributes.SkipWrite = flag(options.skipWrite);
  if (options.pagesPerBlock !== undefined) attributes.PAGES_PER_BLOCK = options.pagesPerBlock;
  return { ...attributes, ...options.extraAttributes };
}

/** Whole sectors per transfer when the payload allows (§2.4: "sector multiples"), else the payload. */
function transferSize(maxPayload: number, sectorSize: number): number {
  return maxPayload >= sectorSize ? Math.floor(maxPayload / sectorSize) * sectorSize : maxPayload;
}
