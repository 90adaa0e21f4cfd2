// Named presets of the world around the module (DESIGN.md, "Scenarios"). A scenario is data: the
// environment for this run (SIM card, radio network, supply) plus how likely each kind of abuse
// is to damage the module. The field-report scenarios (edl-corrupt, no-usb, usb-boot-stuck,
// calibration-lost, wrong-baseline) use `module` to make a new module's NAND in a given condition
// and `usbBootStrapped` for a board fault.
import { UsageError } from '../core/errors.js';
import { luhnCheckDigit } from './identity.js';

/** One LTE cell the module can hear. Figures follow the real EG25-G sample of §3.5. */
export interface Cell {
  /** Long alphanumeric operator name (`AT+COPS?`). */
  readonly operator: string;
  readonly mcc: string;
  readonly mnc: string;
  readonly band: number;
  readonly earfcn: number;
  readonly pcid: number;
  /** Hex, as `AT+QENG` and `AT+CEREG` print it. */
  readonly cellId: string;
  readonly tac: string;
  /** `AT+QENG` bandwidth codes (3 = 10 MHz). */
  readonly bandwidth: number;
  readonly rsrp: number;
  readonly rsrq: number;
  /** dBm; `AT+CSQ` maps it to 0..31. */
  readonly rssi: number;
  readonly sinr: number;
  readonly srxlev: number;
}

export interface SimCard {
  readonly iccid: string;
  readonly imsi: string;
}

/** Probabilities, per event, that it damages the module (one draw decides; the two add up to at most 1). */
export interface DamageOdds {
  /** The boot chain (SBL) is corrupt: the next power-on ends in EDL 05c6:9008 (§5.1, §4.8). */
  readonly bootChain: number;
  /** EFS / RF calibration lost: `+CFUN: 5`, `AT+CFUN=1` → `+CME ERROR: 3`, `+CSQ: 99,99` (§5.1). */
  readonly calibration: number;
}

/**
 * Not measured anywhere: no source gives a rate (§8.8 GAP). The ordering is what the sources
 * support: a cut during an NV write is worst (UC15 HD: data loss before POWERED DOWN; §5.1 field
 * cases), a cut while running is the vendor's named root cause, a brown-out is a milder cut.
 */
export const DEFAULT_DAMAGE = {
  ungracefulCut: { bootChain: 0.02, calibration: 0.04 },
  cutDuringNvWrite: { bootChain: 0.1, calibration: 0.4 },
  brownout: { bootChain: 0.01, calibration: 0.02 },
} as const satisfies Record<string, DamageOdds>;

export type DamageTable = { readonly [K in keyof typeof DEFAULT_DAMAGE]: DamageOdds };

export interface Scenario {
  readonly description: string;
  /** null: no SIM card in the holder. */
  readonly sim: SimCard | null;
  /** Bench supply: open-circuit volts and source resistance (wiring + supply), ohms. */
  readonly supply: { readonly volts: number; readonly sourceOhms: number };
  /** Cells in range, strongest first; empty = no signal at all. */
  readonly cells: readonly Cell[];
  /** Module ms from the start of the search to registration (plausible, not a datasheet figure). */
  readonly registerAfterMs: number;
  /** Periodic uplink data (NET_STATUS shows the data pattern and the supply sees TX bursts). */
  readonly traffic: null | { readonly everyMs: number; readonly burstMs: number };
  /** Network detach time before `POWERED DOWN`: 2–30 s in the field (§4.3, §8.5). */
  readonly detachMs: number;
  readonly damage: DamageTable;
  /** false: the module's USB data lines reach no host (a no-USB fault). */
  readonly usbConnected: boolean;
  /**
   * The condition a NEW module's NAND is made in (a state directory that already holds a NAND
   * keeps what it holds — a flashed module stays flashed across restarts).
   */
  readonly module?: ModuleCondition;
  /** A board fault holds USB_BOOT high (tied to VDD_EXT) from the start. */
  readonly usbBootStrapped?: boolean;
}

export interface ModuleCondition {
  /** Partitions left with a torn (unreadable) page, as a cut during their write leaves them. */
  readonly tear?: readonly string[];
  /** Partitions erased. */
  readonly erase?: readonly string[];
  /** The firmware was reflashed with another baseline than the calibration was made for. */
  readonly crossBaseline?: boolean;
}

function iccid(body: string): string {
  return `${body}${luhnCheckDigit(body)}`;
}

export const DEFAULT_SIM: SimCard = { iccid: iccid('8901410321111851072'), imsi: '310410123456789' };

const US_CELL: Cell = { operator: 'AT&T', mcc: '310', mnc: '410', band: 2, earfcn: 900, pcid: 188, cellId: '7676A09', tac: '2A1E', bandwidth: 3, rsrp: -95, rsrq: -9, rssi: -67, sinr: 14, srxlev: 33 };
const EU_CELL: Cell = { operator: 'Telekom.de', mcc: '262', mnc: '01', band: 3, earfcn: 1300, pcid: 77, cellId: '1A2D003', tac: '0C4F', bandwidth: 5, rsrp: -101, rsrq: -10, rssi: -72, sinr: 9, srxlev: 27 };

const HEALTHY: Scenario = {
  description: 'a good supply, a SIM card, an LTE network in range',
  sim: DEFAULT_SIM,
  supply: { volts: 3.8, sourceOhms: 0.05 },
  cells: [US_CELL, EU_CELL],
  registerAfterMs: 3000,
  traffic: null,
  detachMs: 3000,
  damage: DEFAULT_DAMAGE,
  usbConnected: true,
};

export const SCENARIOS = {
  healthy: HEALTHY,
  'no-sim': { ...HEALTHY, description: 'the SIM holder is empty', sim: null },
  'no-signal': { ...HEALTHY, description: 'no cell in range: the module searches forever', cells: [] },
  'weak-supply': {
    ...HEALTHY,
    description: 'a supply with 1.2 Ω source resistance: VBAT sags under every transmit burst, the module browns out and reboots',
    // 3.8 V − 0.65 A × 1.2 Ω ≈ 3.0 V at the LTE burst peak: a 780 mV dip where §8.1 allows 400 mV,
    // and below the brown-out threshold of electrical.ts. Idle and boot currents still leave
    // 3.6 V, so the module boots, registers, transmits, browns out, boots again. §4.1:
    // eg25-manager's "the modem might crash on boot, especially with a worn battery".
    supply: { volts: 3.8, sourceOhms: 1.2 },
  },
  // The field report's first case (QFORUM/6665, §4.9): stuck in QDLoader 9008 at ~42 mA / 3.8 V,
  // STATUS and NET_STATUS dead, VDD_EXT 1.8 V, USB_BOOT low → a corrupt boot chain (§4.8).
  'edl-corrupt': { ...HEALTHY, description: 'the boot chain (sbl) on the NAND is corrupt: every power-on ends in QDLoader 9008', module: { tear: ['sbl'] } },
  // Its second case: no USB device at all, 55–170 mA wandering, USB_BOOT low; only a USB_BOOT →
  // VDD_EXT strap at power-on brings up 9008. Modelled as a later boot stage (the Linux boot
  // image) that is unreadable, so the chain hangs before USB (boot-chain.ts, UNVERIFIED).
  'no-usb': { ...HEALTHY, description: 'a boot stage after sbl is corrupt: the module hangs before USB, drawing 55–170 mA; strap USB_BOOT to reach 9008', module: { tear: ['boot'] } },
  'usb-boot-stuck': { ...HEALTHY, description: 'a board fault holds USB_BOOT high: 9008 with intact firmware; release it and power-cycle to boot normally', usbBootStrapped: true },
  'calibration-lost': { ...HEALTHY, description: 'efs2 (RF calibration) is erased: +CFUN: 5, AT+CFUN=1 → +CME ERROR: 3 (QFORUM/56770)', module: { erase: ['efs2'] } },
  'wrong-baseline': { ...HEALTHY, description: 'calibrated for one firmware baseline, running another (R05 → R06): +CFUN: 7 (QFORUM/58100)', module: { crossBaseline: true } },
} as const satisfies Record<string, Scenario>;

export type ScenarioName = keyof typeof SCENARIOS;

export function scenario(name: string): Scenario {
  if (!Object.hasOwn(SCENARIOS, name)) {
    throw new UsageError(`unknown scenario ${name}`, { hint: `Pick one of: ${Object.keys(SCENARIOS).join(', ')}.` });
  }
  return SCENARIOS[name as ScenarioName];
}
