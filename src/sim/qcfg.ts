// The AT+QCFG settings the simulator keeps, as data (§3.9: every QCFG setting persists in NV).
// Values are stored as canonical strings: decimal for integers, lowercase hex without 0x for masks.
import type { ModuleIdentity } from './identity.js';
import { modelSpec } from './models.js';

export type QcfgParam =
  | { readonly kind: 'int'; readonly min: number; readonly max: number }
  | { readonly kind: 'hex'; readonly width?: number; readonly upper?: boolean };

export interface QcfgSetting {
  /** As the module prints it. Matched case-insensitively. */
  readonly name: string;
  readonly params: readonly QcfgParam[];
  /** Accepted after the stored ones and not stored (e.g. band's <effect>). */
  readonly optional: readonly QcfgParam[];
  readonly defaults: (identity: ModuleIdentity) => readonly string[];
  /** When a new value changes behaviour: now, or at the next USB enumeration (boot). */
  readonly appliesAt: 'now' | 'next-boot';
}

const bit: QcfgParam = { kind: 'int', min: 0, max: 1 };
const hexMask: QcfgParam = { kind: 'hex' };
const hexId: QcfgParam = { kind: 'hex', width: 4, upper: true };

export const QCFG_SETTINGS: readonly QcfgSetting[] = [
  // 0 QMI/RmNet, 1 ECM, 2 MBIM, 3 RNDIS (§1.2); changes the USB composition after a reboot.
  { name: 'usbnet', params: [{ kind: 'int', min: 0, max: 3 }], optional: [], defaults: () => ['0'], appliesAt: 'next-boot' },
  // <vid>,<pid>,<diag>,<nmea>,<at_port>,<modem>,<rmnet>,<adb>,<uac> (§1.2, CWD dump). adb and uac
  // are stored but not simulated (no interfaces for them here).
  {
    name: 'usbcfg',
    params: [hexId, hexId, bit, bit, bit, bit, bit, bit, bit],
    optional: [],
    defaults: (identity) => ['2c7c', modelSpec(identity.model).usbPid.toString(16).padStart(4, '0'), '1', '1', '1', '1', '1', '0', '0'],
    appliesAt: 'next-boot',
  },
  // <gwband>,<lteband>,<tdsband>[,<effect>] — masks as models.ts gives them (UNVERIFIED defaults).
  {
    name: 'band',
    params: [hexMask, hexMask, hexMask],
    optional: [bit],
    defaults: (identity) => {
      const { gw, lte, tds } = modelSpec(identity.model).bands;
      return [gw, lte, tds];
    },
    appliesAt: 'now',
  },
  // 0 auto, 1 GSM only, 2 WCDMA only, 3 LTE only [,<effect>].
  { name: 'nwscanmode', params: [{ kind: 'int', min: 0, max: 3 }], optional: [bit], defaults: () => ['0'], appliesAt: 'now' },
  // §3.9 / MEGI: 1 = PWRKEY powers off in ~1 s without detach and without POWERED DOWN. The exact
  // parameter list is firmware dependent (added in EG25-G R07A08_01.002, §8.5): one value, UNVERIFIED.
  { name: 'fast/poweroff', params: [bit], optional: [], defaults: () => ['0'], appliesAt: 'now' },
  // 0 default NET_STATUS patterns; 3 = steady high until registered (EG25-G R07A08_30.007, §8.4).
  // Modes 1 and 2 are accepted and behave as 0: their effect is UNVERIFIED.
  { name: 'ledmode', params: [{ kind: 'int', min: 0, max: 3 }], optional: [], defaults: () => ['0'], appliesAt: 'now' },
  // 1 = buffer URCs while the host sleeps (eg25-manager toggles it around suspend, §5.3).
  { name: 'urc/cache', params: [bit], optional: [], defaults: () => ['0'], appliesAt: 'now' },
  // Crash → reboot policy (§3.9). Defaults of 1 are UNVERIFIED.
  { name: 'ApRstLevel', params: [bit], optional: [], defaults: () => ['1'], appliesAt: 'now' },
  { name: 'ModemRstLevel', params: [bit], optional: [], defaults: () => ['1'], appliesAt: 'now' },
];

export type QcfgValues = Record<string, readonly string[]>;

export function findQcfgSetting(name: string): QcfgSetting | undefined {
  const wanted = name.toLowerCase();
  return QCFG_SETTINGS.find((setting) => setting.name.toLowerCase() === wanted);
}

export function defaultQcfg(identity: ModuleIdentity): QcfgValues {
  return Object.fromEntries(QCFG_SETTINGS.map((setting) => [setting.name, setting.defaults(identity)]));
}

/** Parses one parameter the host sent; undefined when it is not acceptable. */
export function parseQcfgParam(param: QcfgParam, text: string): string | undefined {
  if (param.kind === 'int') {
    if (!/^\d{1,6}$/.test(text)) return undefined;
    const value = Number(text);
    return value >= param.min && value <= param.max ? String(value) : undefined;
  }
  const match = /^(?:0[xX])?([0-9a-fA-F]{1,32})$/.exec(text);
  if (match?.[1] === undefined) return undefined;
  const value = BigInt(`0x${match[1]}`);
  if (param.width !== undefined && value >= 16n ** BigInt(param.width)) return undefined;
  return value.toString(16);
}

export function formatQcfgParam(param: QcfgParam, value: string): string {
  if (param.kind === 'int') return value;
  const digits = param.width === undefined ? value : value.padStart(param.width, '0');
  return `0x${param.upper === true ? digits.toUpperCase() : digits}`;
}

export function formatQcfgRange(param: QcfgParam): string {
  return param.kind === 'int' ? `(${param.min}-${param.max})` : '<hex>';
}
