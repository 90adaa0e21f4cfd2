// The module's power state machine: off → booting → normal → shutting-down → off, EDL, held in
// reset. It owns the "life" of the running firmware (a TimerGroup): a cut, a reset or a power-off
// cancels it, so nothing the old life scheduled happens afterwards.
import type { SimClock, TimerGroup } from './clock.js';
import type { EventLog } from './events.js';
import { BOOT, POWER_OFF, RESTART } from './timeline.js';

export const SIM_MODES = ['off', 'booting', 'normal', 'shutting-down', 'edl', 'reset'] as const;
export type SimMode = (typeof SIM_MODES)[number];

/** What USB device the module presents; null = none. */
export type UsbMode = 'normal' | 'edl';

export type ShutdownKind = 'qpowd-normal' | 'qpowd-immediate' | 'pwrkey' | 'pwrkey-fast';

export interface PowerHooks {
  /**
   * The USB device the host sees. Removing it with `lingerMs` > 0 keeps the old device that long
   * (module ms) first, so the last lines written (OK, POWERED DOWN) reach the host.
   */
  showUsb(mode: UsbMode | null, lingerMs: number): void;
  /** Resolves once the USB device shown last is on the host's side (ptys, sysfs, links). */
  usbSettled(): Promise<void>;
  /** A line for the URC port (RDY, POWERED DOWN). */
  urc(text: string): void;
  /** RDY is out: the AT engines answer from now on; the baseband runs its boot sequence. */
  firmwareReady(life: TimerGroup): void;
  /** The firmware stopped: power gone, reset, power-off. Volatile state is lost. */
  firmwareStopped(): void;
  /** Sampled at every start (§4.8): USB_BOOT strapped to VDD_EXT forces EDL. */
  usbBootHigh(): boolean;
  /** What the NAND makes of a start (boot-chain.ts): normal, the PBL's EDL, or a stage that hangs. */
  bootPath(): 'normal' | 'edl' | 'hang';
  detachMs(): number;
  /** Counts a boot / a graceful power-off. */
  booted(): void;
  poweredDown(): void;
  changed(): void;
}

export class PowerMachine {
  #mode: SimMode = 'off';
  #life: TimerGroup | undefined;
  #statusAsserted = false;
  #vddExt = false;
  #rdy = false;
  #hung = false;
  /** Set by requestEdl(): the next start goes to EDL, its USB after this many ms. */
  #edlRequested: number | undefined;
  readonly #clock: SimClock;
  readonly #events: EventLog;
  readonly #hooks: PowerHooks;

  constructor(clock: SimClock, events: EventLog, hooks: PowerHooks) {
    this.#clock = clock;
    this.#events = events;
    this.#hooks = hooks;
  }

  get mode(): SimMode {
    return this.#mode;
  }

  /** The firmware's current life; undefined while off, in reset, or between lives. */
  get life(): TimerGroup | undefined {
    return this.#life;
  }

  /** STATUS pulled low by the module (running), as opposed to released (§8.3). */
  get statusAsserted(): boolean {
    return this.#statusAsserted;
  }

  get vddExt(): boolean {
    return this.#vddExt;
  }

  /** A boot stage hangs (a later image of the chain is unreadable): booting forever, no USB. */
  get hung(): boolean {
    return this.#hung;
  }

  /** RDY has been sent and the firmware has not stopped since. */
  get rdy(): boolean {
    return this.#rdy;
  }

  /** STATUS says running, or the module is booting: cutting VBAT now is ungraceful (§4.3). */
  get firmwareRunning(): boolean {
    return this.#mode === 'booting' || this.#mode === 'normal' || this.#mode === 'shutting-down';
  }

  /** VBAT is feeding a started module (anything but off). */
  get powered(): boolean {
    return this.#mode !== 'off';
  }

  /** PWRKEY accepted while off. */
  powerOn(cause: string): void {
    if (this.#mode !== 'off') return;
    this.#events.add('power-on', `power on (${cause})`, { cause });
    this.#start();
  }

  /** VBAT gone (cut or brown-out): everything stops at once, nothing is flushed. */
  losePower(): void {
    if (this.#mode === 'off') return;
    this.#stopFirmware();
    this.#vddExt = false;
    this.#setMode('off');
    this.#hooks.showUsb(null, 0);
  }

  /** An orderly power-off (AT+QPOWD, PWRKEY ≥ 650 ms). False when there is nothing to shut down. */
  shutdown(kind: ShutdownKind): boolean {
    if (this.#mode !== 'booting' && this.#mode !== 'normal') return false;
    const life = this.#life;
    if (life === undefined) return false;
    this.#setMode('shutting-down');
    const delay = { 'qpowd-normal': Math.min(this.#hooks.detachMs(), POWER_OFF.maxDetachMs), 'qpowd-immediate': POWER_OFF.immediateMs, pwrkey: Math.min(this.#hooks.detachMs(), POWER_OFF.maxDetachMs), 'pwrkey-fast': POWER_OFF.fastMs }[kind];
    this.#events.add('shutdown', `shutting down (${kind}), ${Math.round(delay)} ms to go`, { kind, delayMs: delay });
    life.after(delay, () => {
      const announce = kind !== 'pwrkey-fast';
      if (announce) this.#hooks.urc('POWERED DOWN');
      this.#stopFirmware();
      this.#vddExt = false;
      this.#setMode('off');
      this.#hooks.poweredDown();
      this.#events.add('powered-down', announce ? 'POWERED DOWN: STATUS released, VDD_EXT off' : 'fast power-off: no POWERED DOWN');
      // The last line has to reach the host before the device goes (§3.6: wait ~1 s, then cut).
      this.#hooks.showUsb(null, announce ? POWER_OFF.usbGoneMs : 0);
    });
    return true;
  }

  /** A restart without a power cycle: AT+CFUN=1,1, a crash, the EDL engine's reset. */
  restart(cause: string, delayMs: number = RESTART.softResetMs): void {
    if (this.#mode === 'off' || this.#mode === 'reset') return;
    const life = this.#life;
    this.#events.add('restart', `restart (${cause})`, { cause });
    const go = (): void => {
      this.#stopFirmware();
      this.#hooks.showUsb(null, RESTART.lingerMs);
      this.#start();
    };
    if (life === undefined || delayMs <= 0) go();
    else life.after(delayMs, go);
  }

  /** The next start goes to EDL whatever the boot chain (DIAG download command, §2.4). */
  requestEdl(usbAfterMs: number = BOOT.edlUsbMs): void {
    this.#edlRequested = usbAfterMs;
    this.restart('switch to emergency download', 0);
  }

  /** RESET_N held low long enough: the firmware stops and stays stopped until release. */
  holdInReset(): void {
    if (this.#mode === 'off' || this.#mode === 'reset') return;
    this.#stopFirmware();
    this.#setMode('reset');
    this.#hooks.showUsb(null, 0);
  }

  releaseReset(): void {
    if (this.#mode !== 'reset') return;
    this.#start();
  }

  /** The simulator stops: the firmware's timers and waits end where they are (not a power event). */
  halt(): void {
    this.#life?.cancel();
  }

  #start(): void {
    this.#life?.cancel();
    const life = this.#clock.group();
    this.#life = life;
    this.#vddExt = true;
    this.#statusAsserted = false;
    this.#rdy = false;
    this.#hooks.booted();
    const forced = this.#edlRequested;
    this.#edlRequested = undefined;
    const strapped = this.#hooks.usbBootHigh();
    // The PBL reads the NAND only when nothing forces EDL first.
    const path = forced !== undefined || strapped ? 'edl' : this.#hooks.bootPath();
    if (path === 'edl') {
      // PBL emergency download: STATUS stays released, NET_STATUS low, VDD_EXT 1.8 V, ~42 mA (§4.9).
      const why = forced !== undefined ? 'requested' : strapped ? 'USB_BOOT high at power-on' : 'boot chain corrupt';
      this.#events.add('edl', `emergency download mode (${why})`, { why });
      this.#setMode('edl');
      life.after(forced ?? BOOT.edlUsbMs, () => {
        this.#hooks.showUsb('edl', 0);
      });
      return;
    }
    this.#setMode('booting');
    if (path === 'hang') {
      // A later stage of the chain is unreadable: the module never gets as far as USB (boot-chain.ts).
      this.#hung = true;
      this.#events.add('boot-hang', 'a boot stage hangs: no USB device will appear', {}, 'warn');
      this.#hooks.changed();
      return;
    }
    life.after(BOOT.statusMs, () => {
      this.#statusAsserted = true;
      this.#events.add('status', 'STATUS asserted');
      this.#hooks.changed();
    });
    life.after(BOOT.usbMs, () => {
      this.#hooks.showUsb('normal', 0);
    });
    life.after(BOOT.rdyMs, () => {
      // At very small time scales the host side of USB (ptys, sysfs) can take longer than the
      // scaled gap before RDY; RDY waits for it so the order stays that of the hardware.
      void this.#hooks.usbSettled().then(() => {
        if (!life.active || this.#mode !== 'booting') return;
        this.#rdy = true;
        this.#setMode('normal');
        this.#hooks.urc('RDY');
        this.#events.add('rdy', 'RDY');
        this.#hooks.firmwareReady(life);
      });
    });
  }

  #stopFirmware(): void {
    this.#hung = false;
    this.#life?.cancel();
    this.#life = undefined;
    this.#statusAsserted = false;
    this.#rdy = false;
    this.#hooks.firmwareStopped();
  }

  #setMode(mode: SimMode): void {
    if (this.#mode === mode) {
      this.#hooks.changed();
      return;
    }
    this.#mode = mode;
    this.#events.add('mode', `mode ${mode}`, { mode }, 'debug');
    this.#hooks.changed();
  }
}
