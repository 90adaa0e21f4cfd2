// The module variants the simulator can be, as data. Revisions are the real strings quoted in the
// fact sheet §2.9; everything else per model is marked where it comes from.
import { UsageError } from '../core/errors.js';

export interface ModelSpec {
  /** The second line of ATI (`Quectel` / `EC25` / `Revision: …`), fact sheet §3.2. */
  readonly atiName: string;
  /** USB product id in normal mode: 0125 for EC25 and EG25-G (§1.1). */
  readonly usbPid: number;
  readonly defaultRevision: string;
  /**
   * Default `AT+QCFG="band"` masks (GW, LTE, TD-SCDMA), lowercase hex without 0x. From the
   * variants' band lists as we remember them from Quectel's product pages: UNVERIFIED (not in
   * the fact sheet). Bit n-1 of the LTE mask is LTE band n.
   */
  readonly bands: { readonly gw: string; readonly lte: string; readonly tds: string };
  /**
   * Peak supply current of one transmit burst, mA. GSM variants: 1.8 A typ at max GSM power
   * (fact sheet §8.1, UC15 template, UNVERIFIED for EC25). LTE-only variants: "well below" that
   * (§8.1 inference); 650 mA is our plausible figure, UNVERIFIED.
   */
  readonly txPeakMa: number;
}

function lteMask(...bands: number[]): string {
  return bands.reduce((mask, band) => mask | (1n << BigInt(band - 1)), 0n).toString(16);
}

export const MODELS = {
  'EC25-A': { atiName: 'EC25', usbPid: 0x0125, defaultRevision: 'EC25AFAR05A04M4G', bands: { gw: '260', lte: lteMask(2, 4, 12), tds: '0' }, txPeakMa: 650 },
  'EC25-AF': { atiName: 'EC25', usbPid: 0x0125, defaultRevision: 'EC25AFXDGAR07A01M1G', bands: { gw: '260', lte: lteMask(2, 4, 5, 12, 13, 14, 66, 71), tds: '0' }, txPeakMa: 650 },
  'EC25-E': { atiName: 'EC25', usbPid: 0x0125, defaultRevision: 'EC25EFAR06A06M4G', bands: { gw: 'd3', lte: lteMask(1, 3, 5, 7, 8, 20), tds: '0' }, txPeakMa: 1800 },
  'EC25-EU': { atiName: 'EC25', usbPid: 0x0125, defaultRevision: 'EC25EUXGAR08A09M1G', bands: { gw: 'd3', lte: lteMask(1, 3, 7, 8, 20, 28), tds: '0' }, txPeakMa: 1800 },
  'EG25-G': { atiName: 'EG25', usbPid: 0x0125, defaultRevision: 'EG25GGBR07A08M2G', bands: { gw: '3fb', lte: lteMask(1, 2, 3, 4, 5, 7, 8, 12, 13, 18, 19, 20, 25, 26, 28, 38, 39, 40, 41), tds: '0' }, txPeakMa: 1800 },
} as const satisfies Record<string, ModelSpec>;

export type ModelName = keyof typeof MODELS;

export function isModelName(name: string): name is ModelName {
  return Object.hasOwn(MODELS, name);
}

export function modelSpec(name: string): ModelSpec {
  if (!isModelName(name)) {
    throw new UsageError(`unknown model ${name}`, { hint: `Pick one of: ${Object.keys(MODELS).join(', ')}.` });
  }
  return MODELS[name];
}
