// A simulated EC25 in EDL for host-side flash tests: a NandFlash holding the factory image of a
// makePackage 'small' package (laid down here from its rawprogram XML, page by page, bad blocks
// skipped as the programmer skips them) plus a calibration in efs2, and an EDL session of the
// simulator joined to the host by an in-memory transport pair. The host transport is wrapped to
// record every Firehose command the device receives, in order.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createTransportPair } from '../../src/transport/memory.js';
import type { ByteTransport } from '../../src/transport/byte-transport.js';
import { createEdlSession, type EdlSession } from '../../src/sim/edl/edl-session.js';
import type { FirehoseFaults, FirehoseStopReport } from '../../src/sim/edl/firehose-faults.js';
import { NandFlash } from '../../src/sim/nand/nand-flash.js';
import { nandGeometry } from '../../src/sim/nand/nand-geometry.js';
import { EC25_PARTITION_LAYOUT, PartitionTable } from '../../src/sim/nand/partition-table.js';
import { readPartitionImage } from '../../src/sim/nand/partition-state.js';
import { calibrationImage } from '../../src/sim/package/factory-images.js';
import { makePackage } from '../../src/sim/package/index.js';

export const FACTORY_REVISION = 'EC25AFAR05A04M4G';
export const IMEI = '867698041234567';

export interface SimModule {
  readonly nand: NandFlash;
  readonly table: PartitionTable;
  /** The efs2 calibration laid down at the factory. */
  readonly calibration: Uint8Array;
}

/** Lays a package's program lines onto `nand` (what a factory flash leaves). */
export async function layDownPackage(nand: NandFlash, packageDir: string): Promise<void> {
  const firehose = join(packageDir, 'update', 'firehose');
  const xml = await readFile(join(firehose, 'rawprogram_nand_p4K_b256K_update.xml'), 'utf8');
  for (const line of xml.split(/\r?\n/)) {
    if (!line.includes('<program ')) continue;
    const filename = /filename="([^"]*)"/.exec(line)?.[1] ?? '';
    const start = Number(/start_sector="(\d+)"/.exec(line)?.[1]);
    const bytes = await readFile(join(firehose, ...filename.split('\\')));
    writePages(nand, start, bytes);
  }
}

export function writePages(nand: NandFlash, startPage: number, bytes: Uint8Array): void {
  const { pageSize, pagesPerBlock } = nand.geometry;
  let page = startPage;
  for (let offset = 0; offset < bytes.length; offset += pageSize) {
    while (nand.isBadBlock(Math.floor(page / pagesPerBlock))) page += pagesPerBlock;
    const data = new Uint8Array(pageSize).fill(0xff);
    data.set(bytes.subarray(offset, offset + pageSize));
    nand.programPage(page, data);
    page += 1;
  }
}

export async function factoryModule(work: string, options: { readonly badBlocks?: readonly number[] } = {}): Promise<SimModule> {
  const nand = new NandFlash({ geometry: nandGeometry({ preset: 'p4K_b256K' }), badBlocks: options.badBlocks ?? [], timeScale: 0 });
  const table = PartitionTable.create(EC25_PARTITION_LAYOUT, nand.geometry);
  const factoryDir = join(work, `factory-${Math.random().toString(36).slice(2)}`);
  await makePackage(factoryDir, { size: 'small', revision: FACTORY_REVISION });
  await layDownPackage(nand, factoryDir);
  const calibration = calibrationImage({ model: 'EC25', revision: FACTORY_REVISION, subVersion: '01.001.01.001', geometry: 'p4K_b256K' }, IMEI);
  writePages(nand, table.firstPage(table.get('efs2')), calibration);
  return { nand, table, calibration };
}

/** Every page of the NAND as text, for "byte-for-byte unchanged" comparisons. */
export function nandSnapshot(nand: NandFlash): string[] {
  const pages: string[] = [];
  for (const block of nand.usedBlocks()) {
    const image = nand.blockImage(block);
    pages.push(`${block}:${image.states.join(',')}:${image.pages.map((page) => Buffer.from(page).toString('base64')).join(',')}`);
  }
  return pages;
}

export function partitionBytes(module: SimModule, name: string, length: number): Uint8Array {
  return readPartitionImage(module.nand, module.table, name, length);
}

export interface EdlLink {
  /** What the host talks to. */
  readonly host: ByteTransport;
  readonly session: EdlSession;
  /** Firehose command tags the device received, in order, with their start_sector. */
  readonly commands: { readonly tag: string; readonly startSector: number | undefined }[];
  readonly resets: string[];
  readonly stops: FirehoseStopReport[];
}

export interface LinkOptions {
  readonly faults?: FirehoseFaults;
  /** Start with the programmer already running (Sahara skipped). */
  readonly startIn?: 'sahara' | 'firehose';
  /** Rewrites a device→host chunk (to inject read garbage); called for every chunk. */
  readonly tamper?: (bytes: Uint8Array) => Uint8Array;
}

export function edlLink(module: SimModule, options: LinkOptions = {}): EdlLink {
  const [host, device] = createTransportPair(['host', 'edl']);
  const commands: { tag: string; startSector: number | undefined }[] = [];
  const resets: string[] = [];
  const stops: FirehoseStopReport[] = [];
  const session = createEdlSession({
    nand: module.nand,
    timeScale: 0,
    ...(options.startIn === undefined ? {} : { startIn: options.startIn }),
    ...(options.faults === undefined ? {} : { faults: options.faults }),
    send: (bytes) => {
      void device.write(options.tamper === undefined ? bytes : options.tamper(bytes)).catch(() => undefined);
    },
    onReset: (event) => {
      resets.push(event.source);
      void device.close();
    },
    onStop: (report) => {
      stops.push(report);
      // VBAT gone or the link dropped: the port disappears.
      void device.close();
    },
  });
  void (async () => {
    for (;;) {
      let bytes: Uint8Array;
      try {
        bytes = await device.read();
      } catch {
        return;
      }
      session.receive(bytes);
    }
  })();
  const recording: ByteTransport = {
    get isOpen() {
      return host.isOpen;
    },
    description: host.description,
    read: (signal) => host.read(signal),
    readInto: (into, signal) => host.readInto(into, signal),
    write: (data, signal) => {
      const text = Buffer.from(data.subarray(0, 300)).toString('latin1');
      const match = text.startsWith('<?xml') ? /<data>\s*<(\w+)/.exec(text) : null;
      if (match?.[1] !== undefined) commands.push({ tag: match[1], startSector: numberOf(/start_sector="(\d+)"/.exec(text)?.[1]) });
      return host.write(data, signal);
    },
    close: () => host.close(),
  };
  session.start();
  return { host: recording, session, commands, resets, stops };
}

function numberOf(text: string | undefined): number | undefined {
  return text === undefined ? undefined : Number(text);
}

/** Short waits so a test never sits in the 1 s start-up silence of real programmers. */
export const FAST_TIMEOUTS = {
  firehoseTimeouts: { startupFirstMs: 2000, startupSilenceMs: 30, powerDrainMs: 50, responseMs: 5000, finalAckMs: 5000, rawChunkMs: 5000, eraseMs: 5000 },
  saharaTimeouts: { helloMs: 2000, packetMs: 5000 },
} as const;
