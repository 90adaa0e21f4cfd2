// The control interface's wire types (HTTP + JSON), shared by server.ts and client.ts.
// Documented for people in README.md beside this file.
import type { SimCardState } from '../baseband.js';
import type { SimEvent } from '../events.js';
import type { ConditionFault, FaultName } from '../faults.js';
import type { NetStatusPattern } from '../net-status.js';
import type { Level } from '../pins.js';
import type { SimMode } from '../power.js';
import type { PortRole } from '../usb-view.js';
import type { ModuleHealth, WearCounters } from '../wear.js';
import type { EdlFaultSettings } from '../edl-faults.js';
import type { NandPresetName } from '../nand/nand-geometry.js';

export type { EdlFaultSettings };
export type { ConditionFault, FaultName, Level, ModuleHealth, NetStatusPattern, PortRole, SimEvent, SimMode, WearCounters };

/** How the board reads STATUS: the module pulls it low while running on EC25 (§8.3). */
export type StatusPolarity = 'low-when-running' | 'high-when-running';

/** The module's flash chip: its geometry and its bad blocks (factory ones, and any grown since). */
export interface SimNand {
  readonly geometry: NandPresetName;
  readonly pageSize: number;
  readonly blockCount: number;
  readonly badBlocks: readonly number[];
  /**
   * Module ms the chip has spent programming, erasing and reading since the simulator started:
   * what the sheet's cell timings cost, apart from the link (bench/flash). sim.json holds the
   * figure of its last write; GET /state the current one.
   */
  readonly busyMs: { readonly program: number; readonly erase: number; readonly read: number };
}

/** What `medic sim --json` prints once ready and keeps current in <stateDir>/sim.json. */
export interface SimInfo {
  readonly stateDir: string;
  readonly mode: SimMode;
  /** dev/ttyUSBn link paths of the ports the host sees now, by role. */
  readonly ports: Partial<Record<PortRole, string>>;
  /** The sysfs root (<stateDir>/sys). */
  readonly sysfs: string;
  /** Base URL of the control interface, e.g. http://127.0.0.1:40123. */
  readonly control: string;
  readonly usbPath: string;
  readonly scenario: string;
  readonly seed: number;
  readonly timeScale: number;
  /** The process running the simulator. */
  readonly pid: number;
  /** HOST:PORT of the usb2tcp bridge (`--tcp`), when there is one. */
  readonly tcp?: string;
  readonly nand: SimNand;
}

export interface SimState {
  readonly mode: SimMode;
  /** Module ms since the simulator started. */
  readonly moduleTimeMs: number;
  readonly timeScale: number;
  readonly usb: { readonly id: string | null; readonly ports: Partial<Record<PortRole, string>> };
  readonly pins: {
    readonly status: { readonly level: Level; readonly running: boolean; readonly polarity: StatusPolarity };
    readonly netStatus: { readonly level: Level; readonly pattern: NetStatusPattern; readonly highMs: number; readonly lowMs: number };
    readonly vddExt: { readonly volts: number };
    readonly usbBoot: { readonly level: Level };
    readonly pwrkey: { readonly level: Level };
    readonly resetN: { readonly level: Level };
  };
  readonly vbat: { readonly supplyVolts: number; readonly sourceOhms: number; readonly volts: number };
  readonly currentMa: number;
  readonly firmware: {
    readonly rdy: boolean;
    readonly cfun: number | null;
    readonly sim: SimCardState | null;
    /** 3GPP <stat>, null while the firmware is not running. */
    readonly registration: number | null;
    readonly operator: string | null;
    readonly nvWriting: boolean;
  };
  readonly health: ModuleHealth;
  readonly nand: SimNand;
  readonly faults: readonly ConditionFault[];
  readonly scenario: string;
}

export interface ErrorBody {
  readonly ok: false;
  readonly error: { readonly code: string; readonly message: string; readonly hint?: string };
}

/** Route paths, under the control URL. */
export const ROUTES = {
  info: '/v1/info',
  state: '/v1/state',
  vbat: '/v1/vbat',
  pin: (pin: 'pwrkey' | 'reset-n' | 'usb-boot') => `/v1/pins/${pin}`,
  pulse: (pin: 'pwrkey' | 'reset-n') => `/v1/pins/${pin}/pulse`,
  faults: '/v1/faults',
  fault: (name: string) => `/v1/faults/${encodeURIComponent(name)}`,
  wear: '/v1/wear',
  events: '/v1/events',
  edlFaults: '/v1/edl/faults',
} as const;
