// Faults of the download path a bench (the control interface) can set: they become the
// FirehoseTarget's fault hooks (edl/firehose-faults.ts) and the NAND's timing. Cut and drop fire
// once and are then cleared (a cut that came back after every power-on would never let a flash
// finish); NAKs, noisy logs and a slow NAND stay until cleared, like the other condition faults.
import { UsageError } from '../core/errors.js';
import { FIREHOSE_TAGS, type FirehoseTag } from './edl/firehose-xml-reader.js';
import type { FirehoseFaults } from './edl/firehose-faults.js';
import type { NandTiming } from './nand/nand-timing.js';

export interface EdlFaultSettings {
  /** VBAT is cut once the programmer has received this many bytes (counted from its start). */
  readonly cutPowerAfterBytes?: number;
  /** The USB link drops once the programmer has received this many bytes. */
  readonly dropLinkAfterBytes?: number;
  /** These Firehose commands are NAKed with their handler's ERROR log. */
  readonly nak?: readonly FirehoseTag[];
  /** Extra device log lines before every response. */
  readonly noisyLogs?: number;
  /**
   * Other NAND cell timings (µs): slower, e.g. a worn chip, or 0, a chip that costs nothing, so
   * a benchmark sees the link and the host alone.
   */
  readonly nand?: Partial<NandTiming>;
}

export function firehoseFaultsOf(settings: EdlFaultSettings): FirehoseFaults {
  return {
    ...(settings.cutPowerAfterBytes === undefined ? {} : { cutPowerAfterReceivedBytes: settings.cutPowerAfterBytes }),
    ...(settings.dropLinkAfterBytes === undefined ? {} : { dropLinkAfterReceivedBytes: settings.dropLinkAfterBytes }),
    ...(settings.nak === undefined ? {} : { nakCommands: settings.nak }),
    ...(settings.noisyLogs === undefined ? {} : { noisyLogs: settings.noisyLogs }),
  };
}

/** Checks a body of PUT /v1/edl/faults (README). `random` picks the cut point with `pick`. */
export function parseEdlFaults(body: Record<string, unknown>, pick: (maxBytes: number) => number): EdlFaultSettings {
  const out: { -readonly [K in keyof EdlFaultSettings]: EdlFaultSettings[K] } = {};
  const cut = body['cutPowerAfterBytes'];
  if (cut === 'random') {
    const max = body['randomMaxBytes'] === undefined ? 1024 * 1024 : count(body['randomMaxBytes'], 'randomMaxBytes');
    out.cutPowerAfterBytes = pick(Math.max(1, max));
  } else if (cut !== undefined) {
    out.cutPowerAfterBytes = count(cut, 'cutPowerAfterBytes');
  }
  if (body['dropLinkAfterBytes'] !== undefined) out.dropLinkAfterBytes = count(body['dropLinkAfterBytes'], 'dropLinkAfterBytes');
  if (body['nak'] !== undefined) {
    const nak = body['nak'];
    if (!Array.isArray(nak) || !nak.every((tag): tag is FirehoseTag => typeof tag === 'string' && (FIREHOSE_TAGS as readonly string[]).includes(tag))) {
      throw new UsageError('nak must be a list of Firehose commands', { hint: `Commands: ${FIREHOSE_TAGS.join(', ')}.` });
    }
    out.nak = nak;
  }
  if (body['noisyLogs'] !== undefined) out.noisyLogs = count(body['noisyLogs'], 'noisyLogs');
  const nand: { -readonly [K in keyof NandTiming]?: number } = {};
  for (const key of NAND_TIMING_KEYS) if (body[key] !== undefined) nand[key] = count(body[key], key);
  if (Object.keys(nand).length > 0) out.nand = nand;
  const known = new Set(['cutPowerAfterBytes', 'randomMaxBytes', 'dropLinkAfterBytes', 'nak', 'noisyLogs', ...NAND_TIMING_KEYS]);
  const unknown = Object.keys(body).filter((key) => !known.has(key));
  if (unknown.length > 0) throw new UsageError(`unknown EDL fault ${unknown.join(', ')}`, { hint: `Fields: ${[...known].join(', ')}.` });
  return out;
}

const NAND_TIMING_KEYS = ['pageProgramUs', 'blockEraseUs', 'pageReadUs'] as const satisfies readonly (keyof NandTiming)[];

function count(value: unknown, name: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) throw new UsageError(`${name} must be a whole number ≥ 0, not ${JSON.stringify(value)}`);
  return value;
}
