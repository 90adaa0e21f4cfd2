// How protocol engines written elsewhere (the EDL target in src/sim/edl/, a DIAG engine) plug
// into a port of the simulated module: a PortHandler gets each new enumeration of its port.
import type { Rng } from '../core/rng.js';
import type { ModuleIdentity } from './identity.js';
import type { DevicePty } from '../core/pty/pty-host.js';
import type { PortRole } from './usb-view.js';
import type { ModuleHealth } from './wear.js';

export interface ModuleAccess {
  readonly stateDir: string;
  readonly identity: ModuleIdentity;
  readonly rng: Rng;
  /** Module time (scaled): `sleep` rejects with CancelledError when `signal` fires. */
  readonly clock: { now(): number; sleep(ms: number, signal?: AbortSignal): Promise<void> };
  event(kind: string, message: string, data?: Readonly<Record<string, unknown>>): void;
  health(): ModuleHealth;
  /** E.g. a complete reflash makes the boot chain whole again; a wrong one may break it. Persisted. */
  setHealth(patch: Partial<ModuleHealth>): void;
  /** Restarts as a reset does: the PBL looks at USB_BOOT and the boot chain again. */
  restart(cause: string): void;
  /**
   * `listener` runs when VBAT is cut or browns out, before the port is torn down (then `signal`
   * aborts as for any other end of the port). Returns the unsubscribe function.
   */
  onPowerLoss(listener: () => void): () => void;
  /** Normal mode → EDL 05c6:9008 (the DIAG download command of §2.4): USB drops, 9008 appears after `usbAfterMs`. */
  enterEdl(usbAfterMs?: number): void;
}

export interface PortSession {
  readonly role: PortRole;
  /** Raw pty; `port.path` is what the host opens (also linked as dev/ttyUSBn). */
  readonly port: DevicePty;
  /** Aborted when this enumeration of the port goes (mode change, reset, power loss). */
  readonly signal: AbortSignal;
  readonly module: ModuleAccess;
}

export type PortHandler = (session: PortSession) => void;

/** Roles that take an external engine; `at` and `modem` run the built-in AT engine. */
export type HookedRole = Exclude<PortRole, 'at' | 'modem'>;
