// The module on the host's USB: for each enumeration, one raw pty per serial function (PtyHost),
// the sysfs tree, and dev/ttyUSBn links; when the device goes, links and tree go and every pty
// is closed, so a host that has a port open sees a hang-up as on a USB unplug.
import { sleep } from '../core/time.js';
import type { SimClock } from './clock.js';
import type { DevLinks } from './dev-links.js';
import { bindDrivers } from './drivers.js';
import type { UsbMode } from './power.js';
import type { PtyHost, DevicePty } from '../core/pty/pty-host.js';
import type { SysfsTree } from './sysfs-tree.js';
import { usbId, type PortRole, type UsbDeviceSpec, type UsbFunction } from './usb-view.js';

/**
 * Bytes the module wrote just before its device goes still have to reach the host program (the
 * kernel's pty buffer takes a few KB, the rest waits in the port for the host to read). This
 * real-time floor (not module time) only stretches the linger of a dropping device; it keeps a
 * POWERED DOWN from being lost at tiny time scales.
 */
const REAL_FLUSH_FLOOR_MS = 30;

const PORT_ROLES: readonly UsbFunction[] = ['dm', 'nmea', 'at', 'modem', 'edl'] satisfies readonly PortRole[];

function isPortRole(fn: UsbFunction): fn is PortRole {
  return PORT_ROLES.includes(fn);
}

export interface UsbPortsDeps {
  readonly ptys: PtyHost;
  readonly sysfs: SysfsTree;
  readonly dev: DevLinks;
  readonly clock: SimClock;
  describe(mode: UsbMode): UsbDeviceSpec;
  /** A port came up; the returned function is called when it goes. */
  attach(role: PortRole, pty: DevicePty): (() => void) | undefined;
  changed(): void;
  onError(error: unknown): void;
}

interface Wanted {
  readonly mode: UsbMode | null;
  readonly instance: number;
  readonly lingerMs: number;
}

interface Shown {
  readonly instance: number;
  readonly mode: UsbMode;
  readonly id: string;
  readonly ptys: readonly DevicePty[];
  readonly ports: Partial<Record<PortRole, string>>;
  readonly detach: (() => void)[];
}

export class UsbPorts {
  readonly #deps: UsbPortsDeps;
  #wanted: Wanted = { mode: null, instance: 0, lingerMs: 0 };
  #shown: Shown | undefined;
  #running: Promise<void> | undefined;
  #devnum = 1;

  constructor(deps: UsbPortsDeps) {
    this.#deps = deps;
  }

  /** dev/ttyUSBn link paths by role, of the device the host sees now. */
  get ports(): Partial<Record<PortRole, string>> {
    return this.#shown?.ports ?? {};
  }

  get id(): string | null {
    return this.#shown?.id ?? null;
  }

  get mode(): UsbMode | null {
    return this.#shown?.mode ?? null;
  }

  /** A new enumeration of `mode`, or (null) the device goes after lingering `lingerMs`. */
  show(mode: UsbMode | null, lingerMs: number): void {
    if (mode === null && this.#wanted.mode === null) return;
    this.#wanted = { mode, instance: this.#wanted.instance + 1, lingerMs };
    if (this.#running !== undefined) return;
    const run = this.#reconcile().finally(() => {
      if (this.#running === run) this.#running = undefined;
    });
    this.#running = run;
  }

  /** Resolves when the host's view matches the last show(). */
  async settled(): Promise<void> {
    while (this.#running !== undefined) await this.#running;
  }

  async close(): Promise<void> {
    this.show(null, 0);
    await this.settled();
  }

  async #reconcile(): Promise<void> {
    for (;;) {
      const wanted = this.#wanted;
      const shown = this.#shown;
      if (shown === undefined ? wanted.mode === null : shown.instance === wanted.instance) return;
      try {
        if (shown !== undefined) await this.#remove(shown, wanted.lingerMs);
        if (wanted.mode !== null && wanted === this.#wanted) await this.#add(wanted.mode, wanted.instance);
      } catch (error) {
        this.#deps.onError(error);
        if (this.#wanted === wanted) return;
      }
    }
  }

  async #add(mode: UsbMode, instance: number): Promise<void> {
    const deps = this.#deps;
    const device = deps.describe(mode);
    const bound = bindDrivers(device);
    const opened: { role: PortRole | undefined; tty: string; pty: DevicePty }[] = [];
    try {
      for (const entry of bound) {
        if (entry.tty === undefined) continue;
        opened.push({ role: isPortRole(entry.spec.function) ? entry.spec.function : undefined, tty: entry.tty, pty: await deps.ptys.open() });
      }
      this.#devnum = this.#devnum >= 127 ? 2 : this.#devnum + 1;
      await deps.sysfs.show(device, bound, this.#devnum);
      const ports: Partial<Record<PortRole, string>> = {};
      for (const { role, tty, pty } of opened) {
        const path = await deps.dev.add(tty, pty.path);
        if (role !== undefined) ports[role] = path;
      }
      const shown: Shown = { instance, mode, id: usbId(device), ptys: opened.map((o) => o.pty), ports, detach: [] };
      this.#shown = shown;
      for (const { role, pty } of opened) {
        const detach = role === undefined ? undefined : deps.attach(role, pty);
        if (detach !== undefined) shown.detach.push(detach);
      }
    } catch (error) {
      await deps.dev.removeAll().catch(() => undefined);
      await deps.sysfs.remove().catch(() => undefined);
      for (const { pty } of opened) await pty.close();
      throw error;
    } finally {
      deps.changed();
    }
  }

  async #remove(shown: Shown, lingerMs: number): Promise<void> {
    const deps = this.#deps;
    if (lingerMs > 0) await sleep(Math.max(deps.clock.realMs(lingerMs), REAL_FLUSH_FLOOR_MS));
    for (const detach of shown.detach) detach();
    try {
      await deps.dev.removeAll();
      await deps.sysfs.remove();
      for (const pty of shown.ptys) await pty.close();
    } finally {
      // Only now is the device gone for the host: links, tree and ports alike.
      this.#shown = undefined;
      deps.changed();
    }
  }
}
