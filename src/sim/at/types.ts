// The device side of AT, written from the fact sheet (§3) alone: it shares nothing with the
// host's AT code in src/protocols (DESIGN.md: a shared bug would cancel out).
import type { Baseband } from '../baseband.js';
import type { ModuleIdentity } from '../identity.js';
import type { Rng } from '../../core/rng.js';
import type { UrcPort } from '../state-store.js';
import type { AtPortRole } from '../urc.js';

export type AtKind = 'exec' | 'read' | 'test' | 'set';

export interface AtArg {
  /** Without the quotes when quoted. */
  readonly text: string;
  readonly quoted: boolean;
}

export interface AtCall {
  /** Upper case: '+CFUN', 'E', 'I', '&F'. */
  readonly name: string;
  readonly kind: AtKind;
  readonly args: readonly AtArg[];
}

export type AtOutcome = { readonly kind: 'ok'; readonly lines: readonly string[] } | { readonly kind: 'cme'; readonly code: number } | { readonly kind: 'error' };

export const ok = (...lines: string[]): AtOutcome => ({ kind: 'ok', lines });
export const cme = (code: number): AtOutcome => ({ kind: 'cme', code });
export const ERROR: AtOutcome = { kind: 'error' };

/** Per-port settings (each AT port keeps its own, §3.1 defaults). */
export interface PortSettings {
  echo: boolean;
  cmee: 0 | 1 | 2;
}

/** What AT commands may see and do of the module. */
export interface AtModule {
  readonly identity: ModuleIdentity;
  readonly baseband: Baseband;
  readonly rng: Rng;
  /** EFS / RF calibration intact (§5.1). */
  calibrated(): boolean;
  /** Why the radio cannot come up, if it cannot: lost calibration (+CFUN: 5) or another baseline's (+CFUN: 7). */
  rfState(): 'ok' | 'calibration-lost' | 'wrong-baseline';
  qcfg(name: string): readonly string[];
  /** A persistent write: counts an NV write, takes its window, then is in effect. */
  writeQcfg(name: string, values: readonly string[]): Promise<void>;
  urcport(): UrcPort;
  writeUrcport(port: UrcPort): Promise<void>;
  nvWrite(what: string): Promise<void>;
  countCfunTransition(): void;
  /** VBAT at the pins as the module's ADC reads it. */
  vbatMv(): number;
  /** PMIC, XO, PA (°C). */
  temperatures(): readonly [number, number, number];
  powerDown(immediate: boolean): void;
  restart(cause: string): void;
}

export interface AtContext {
  readonly module: AtModule;
  readonly port: PortSettings;
  readonly role: AtPortRole;
  /** Module-time wait within the firmware's life; rejects if the firmware stops first. */
  sleep(ms: number): Promise<void>;
}

export type AtHandler = (call: AtCall, ctx: AtContext) => AtOutcome | Promise<AtOutcome>;

export interface AtCommand {
  readonly names: readonly string[];
  readonly handle: AtHandler;
  /** Module ms before the answer (most commands answer well inside the manual's 300 ms). */
  readonly latencyMs?: number;
}

/** An action command: exec answers, `=?` is OK (3GPP TS 27.007), anything else is ERROR. */
export function execOnly(answer: (ctx: AtContext) => AtOutcome): AtHandler {
  return (call, ctx) => (call.kind === 'exec' ? answer(ctx) : call.kind === 'test' ? ok() : ERROR);
}
