// A simulated Firehose programmer on a small NAND, driven by a scripted host in tests.
import { FirehoseTarget } from '../../src/sim/edl/firehose-target.js';
import type { FirehoseFaults, FirehoseStopReport } from '../../src/sim/edl/firehose-faults.js';
import type { FirehosePersonality } from '../../src/sim/edl/firehose-personality.js';
import { NandFlash } from '../../src/sim/nand/nand-flash.js';
import { nandGeometry, type NandPresetName } from '../../src/sim/nand/nand-geometry.js';
import { concat, DeviceOutput } from './device-output.js';
import { firehoseDoc } from './edl-bytes.js';

export interface FirehoseHarnessOptions {
  readonly preset?: NandPresetName;
  readonly blocks?: number;
  readonly badBlocks?: readonly number[];
  readonly faults?: FirehoseFaults;
  readonly personality?: Partial<FirehosePersonality>;
  readonly tearPageOnPowerCut?: boolean;
}

export interface FirehoseHarness {
  readonly nand: NandFlash;
  readonly target: FirehoseTarget;
  readonly out: DeviceOutput;
  readonly powers: string[];
  readonly stops: FirehoseStopReport[];
  /** Sends one XML element in QFirehose's envelope; returns the device's messages as text. */
  command(element: string): Promise<string[]>;
  /** Sends raw bytes (a program's data phase); returns the device's messages as text. */
  raw(bytes: Uint8Array): Promise<string[]>;
  /** Sends a <read> and splits the answer: messages up to rawmode="true", the data, the rest. */
  read(element: string): Promise<{ before: string[]; data: Uint8Array; after: string[] }>;
}

export async function firehoseHarness(options: FirehoseHarnessOptions = {}): Promise<FirehoseHarness> {
  const preset = options.preset ?? 'p4K_b256K';
  const geometry = nandGeometry({ preset, totalBytes: (options.blocks ?? 16) * (preset === 'p4K_b256K' ? 256 : 128) * 1024 });
  const nand = new NandFlash({ geometry, badBlocks: options.badBlocks ?? [], timeScale: 0 });
  const out = new DeviceOutput();
  const powers: string[] = [];
  const stops: FirehoseStopReport[] = [];
  const target = new FirehoseTarget({
    nand,
    timeScale: 0,
    send: out.send,
    onPower: (action) => powers.push(action),
    onStop: (report) => stops.push(report),
    ...(options.faults === undefined ? {} : { faults: options.faults }),
    ...(options.personality === undefined ? {} : { personality: options.personality }),
    ...(options.tearPageOnPowerCut === undefined ? {} : { tearPageOnPowerCut: options.tearPageOnPowerCut }),
  });
  target.start();
  await target.whenIdle();
  out.take(); // the start-up logs (still in out.writes)
  const roundTrip = async (bytes: Uint8Array): Promise<string[]> => {
    target.receive(bytes);
    await target.whenIdle();
    return out.takeText();
  };
  return {
    nand,
    target,
    out,
    powers,
    stops,
    command: (element) => roundTrip(firehoseDoc(element)),
    raw: roundTrip,
    read: async (element) => {
      target.receive(firehoseDoc(element));
      await target.whenIdle();
      const writes = out.take();
      const text = writes.map((bytes) => Buffer.from(bytes).toString('latin1'));
      const open = text.findIndex((message) => message.includes('rawmode="true"'));
      const close = text.findIndex((message) => message.includes('rawmode="false"'));
      if (open === -1 || close === -1) return { before: text, data: new Uint8Array(), after: [] };
      return { before: text.slice(0, open + 1), data: concat(writes.slice(open + 1, close)), after: text.slice(close) };
    },
  };
}

export const ERASE = (start: number, count: number, pageSize = 4096): string =>
  `<erase SECTOR_SIZE_IN_BYTES="${pageSize}" num_partition_sectors="${count}" physical_partition_number="0" start_sector="${start}" PAGES_PER_BLOCK="64" />`;

export const PROGRAM = (start: number, count: number, pageSize = 4096): string =>
  `<program SECTOR_SIZE_IN_BYTES="${pageSize}" filename="..\\sbl1.mbn" num_partition_sectors="${count}" physical_partition_number="0" start_sector="${start}" PAGES_PER_BLOCK="64" />`;

export const READ = (start: number, count: number, pageSize = 4096, extra = ''): string =>
  `<read SECTOR_SIZE_IN_BYTES="${pageSize}" num_partition_sectors="${count}" physical_partition_number="0" start_sector="${start}" PAGES_PER_BLOCK="64" ${extra}/>`;

/** Recognisable page contents: different for every page and seed. */
export function pages(seed: number, count: number, pageSize = 4096): Uint8Array {
  const out = new Uint8Array(count * pageSize);
  for (let index = 0; index < out.length; index += 1) out[index] = (seed * 31 + index * 7 + (index >>> 12)) & 0xff;
  return out;
}
