import { isMedicError } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import { logInfo, silentLogger } from '../../core/logger.js';
import { FirehoseClient, type FirehoseStorageInfo, type FirehoseTimeouts } from '../../protocols/firehose/index.js';
import { SaharaFirehoseRunningError, SaharaHost, SaharaTimeoutError, type SaharaTimeouts } from '../../protocols/sahara/index.js';
import type { ByteTransport } from '../../transport/byte-transport.js';
import { EC25_PAGES_PER_BLOCK } from '../package/geometry.js';
import { MIBIB_CANDIDATE_SECTORS, MIBIB_PAGES, parseNandPartitionTable, type NandPartitionTable } from '../package/partition-table.js';
import type { UnitIdentity } from '../plan/unit-identity.js';
import { FlashRefusedError } from './errors.js';
import type { ExecutionOptions } from './options.js';
import { needsSerial } from './unit.js';

// Bringing a module in EDL to the point where it can be read and written (edl-protocols.md §1.7,
// §2.2–2.3, §2.7, §2.9): upload the programmer over Sahara — or notice one already runs (`<?xml`
// first, §5) — drain its start-up logs, configure NAND with PAGES_PER_BLOCK 64, ask for the
// storage info, and read the module's own partition table (4 pages at sector 640, or 1024 or
// 2048). Nothing here writes to the NAND, so every failure is a refusal.

export interface ConnectOptions {
  /** The Firehose programmer (an ELF32), or undefined when one is known to be running already. */
  readonly programmer: (() => Promise<Uint8Array>) | undefined;
  readonly logger?: Logger | undefined;
  readonly signal?: AbortSignal | undefined;
  /** Device <log> lines as they arrive. */
  readonly onDeviceLog?: ((line: string) => void) | undefined;
  readonly saharaTimeouts?: Partial<SaharaTimeouts> | undefined;
  readonly firehoseTimeouts?: Partial<FirehoseTimeouts> | undefined;
  /** Default 64, the EC25 family's (§2.9). */
  readonly pagesPerBlock?: number | undefined;
  /**
   * Ask the boot ROM for the chip serial in Sahara command mode first (§1.4, §1.6): what names a
   * unit whose IMEI cannot be read because it only shows EDL. Skipped when a programmer runs.
   */
  readonly readSerial?: boolean | undefined;
}

export interface EdlConnection {
  readonly client: FirehoseClient;
  readonly storage: FirehoseStorageInfo;
  /** storage with pagesPerBlock filled in (the boot.bf build does not report it, storage-info.ts). */
  readonly moduleStorage: { readonly pageSize: number; readonly pagesPerBlock: number; readonly totalPages: number | undefined; readonly badBlocks: readonly number[] };
  /** The module's partition table, or undefined when none of the MIBIB candidate sectors (640, 1024, 2048) holds one. */
  readonly moduleTable: NandPartitionTable | undefined;
  readonly programmerLoaded: boolean;
  readonly supportedFunctions: readonly string[] | undefined;
  /** The chip serial, when it was asked for and the boot ROM answered. */
  readonly serialNumber: number | undefined;
}

export async function connectEdl(transport: ByteTransport, options: ConnectOptions): Promise<EdlConnection> {
  const logger = options.logger ?? silentLogger;
  const { signal } = options;
  try {
    const sahara = new SaharaHost(transport, { logger, ...(options.saharaTimeouts === undefined ? {} : { timeouts: options.saharaTimeouts }) });
    let leftover: Uint8Array;
    let programmerLoaded = false;
    let serialNumber: number | undefined;
    if (options.programmer === undefined) {
      leftover = sahara.takeLeftover();
    } else {
      const image = await options.programmer();
      if (options.readSerial === true) serialNumber = await readSerial(sahara, signal, logger);
      try {
        const loaded = await sahara.loadProgrammer(image, signal === undefined ? {} : { signal });
        leftover = loaded.leftover;
        programmerLoaded = loaded.kind === 'loaded';
        logInfo(logger, loaded.kind === 'loaded' ? `flash: programmer loaded (${loaded.bytesServed} bytes)` : 'flash: a Firehose programmer is already running; Sahara skipped');
      } catch (error) {
        if (!(error instanceof SaharaTimeoutError)) throw error;
        // Silence even after the unsolicited HELLO_RESP: a programmer left running by an earlier
        // session has nothing more to say until asked (qdl ≥ 2.7 "reads <?xml or times out";
        // bkerler/edl asks with <nop />: edl sheet §5, §2.2). Ask it; any XML answer, ACK or NAK
        // (our HELLO_RESP bytes may spoil the first packet), means Firehose is listening.
        leftover = sahara.takeLeftover();
        const probe = firehoseClient(transport, options, leftover);
        if (!(await answersFirehose(probe, signal))) throw error;
        logInfo(logger, 'flash: no Sahara HELLO, but a Firehose programmer answered <nop />; Sahara skipped');
        return await continueConnect(probe, { options, programmerLoaded: false, serialNumber, logger });
      }
    }
    return await continueConnect(firehoseClient(transport, options, leftover), { options, programmerLoaded, serialNumber, logger });
  } catch (error) {
    throw asNotStarted(error);
  }
}

function firehoseClient(transport: ByteTransport, options: ConnectOptions, initialBytes: Uint8Array): FirehoseClient {
  return new FirehoseClient(transport, {
    logger: options.logger ?? silentLogger,
    initialBytes,
    ...(options.onDeviceLog === undefined ? {} : { onLog: options.onDeviceLog }),
    ...(options.firehoseTimeouts === undefined ? {} : { timeouts: options.firehoseTimeouts }),
  });
}

async function answersFirehose(client: FirehoseClient, signal: AbortSignal | undefined): Promise<boolean> {
  try {
    await client.nop({ signal });
    return true;
  } catch (error) {
    if (signal?.aborted === true) throw error;
    return false;
  }
}

interface Connected {
  readonly options: ConnectOptions;
  readonly programmerLoaded: boolean;
  readonly serialNumber: number | undefined;
  readonly logger: Logger;
}

async function continueConnect(client: FirehoseClient, { options, programmerLoaded, serialNumber, logger }: Connected): Promise<EdlConnection> {
  const { signal } = options;
  const pagesPerBlock = options.pagesPerBlock ?? EC25_PAGES_PER_BLOCK;
  await client.configure({ memoryName: 'nand', pagesPerBlock, signal });
  const storage = await client.getStorageInfo({ signal });
  if (storage.pageSize === undefined) {
    throw new FlashRefusedError('FLASH_NOT_STARTED', 'the programmer did not report the NAND page size (getstorageinfo)', {
      hint: 'This programmer does not answer as the EC25 family\'s NAND programmer does (edl-protocols.md §2.7). Use the programmer from the module\'s own firmware package.',
    });
  }
  const moduleStorage = { pageSize: storage.pageSize, pagesPerBlock: storage.pagesPerBlock ?? pagesPerBlock, totalPages: storage.totalPages, badBlocks: storage.badBlocks };
  const moduleTable = await readModuleTable(client, { sectorSize: storage.pageSize, pagesPerBlock, logger, signal });
  return { client, storage, moduleStorage, moduleTable, programmerLoaded, supportedFunctions: client.supportedFunctions, serialNumber };
}

/** The module's own partition table, from the first MIBIB candidate sector that holds one. */
async function readModuleTable(client: FirehoseClient, where: { readonly sectorSize: number; readonly pagesPerBlock: number; readonly logger: Logger; readonly signal: AbortSignal | undefined }): Promise<NandPartitionTable | undefined> {
  for (const startSector of MIBIB_CANDIDATE_SECTORS) {
    const pages = await client.read({ startSector, numSectors: MIBIB_PAGES, sectorSize: where.sectorSize, pagesPerBlock: where.pagesPerBlock }, { signal: where.signal });
    const table = parseNandPartitionTable(pages);
    if (table !== undefined) {
      logInfo(where.logger, `flash: the module's partition table (sector ${startSector}) lists ${table.partitions.length} partitions`);
      return table;
    }
  }
  logInfo(where.logger, `flash: no partition table on the module at sectors ${MIBIB_CANDIDATE_SECTORS.join(', ')}`);
  return undefined;
}

async function readSerial(sahara: SaharaHost, signal: AbortSignal | undefined, logger: Logger): Promise<number | undefined> {
  try {
    const info = await sahara.readChipInfo({ serialNumber: true, hwId: false, pkHash: false, ...(signal === undefined ? {} : { signal }) });
    if (info.serialNumber !== undefined) logInfo(logger, `flash: chip serial 0x${info.serialNumber.toString(16).padStart(8, '0')}`);
    return info.serialNumber;
  } catch (error) {
    // The programmer already runs: the boot ROM cannot be asked; loadProgrammer notices it too
    // (or, when the programmer is idle and silent, finds it with <nop />).
    if (error instanceof SaharaFirehoseRunningError || error instanceof SaharaTimeoutError) return undefined;
    throw error;
  }
}

/** Any failure before the first write: the module is untouched. */
export function asNotStarted(error: unknown, backupDirectory?: string): FlashRefusedError {
  if (error instanceof FlashRefusedError) return error;
  const what = error instanceof Error ? error.message : String(error);
  return new FlashRefusedError('FLASH_NOT_STARTED', `stopped before anything was written: ${what}`, {
    hint: `${isMedicError(error) && error.hint !== undefined ? `${error.hint} ` : ''}Nothing was erased or written; the module is as it was.`,
    cause: error,
    backupDirectory,
  });
}

/** The connection options every entry point derives the same way from its own options. */
export function connectOptionsFrom(
  options: ExecutionOptions & { readonly unit?: UnitIdentity | undefined },
  logger: Logger,
  programmer: (() => Promise<Uint8Array>) | undefined,
): ConnectOptions {
  return {
    programmer,
    logger,
    signal: options.signal,
    onDeviceLog: options.onDeviceLog,
    saharaTimeouts: options.saharaTimeouts,
    firehoseTimeouts: options.firehoseTimeouts,
    readSerial: needsSerial(options.unit, options.readSerial),
  };
}
