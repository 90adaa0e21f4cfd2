// The module's input pins as a board drives them: PWRKEY, RESET_N, USB_BOOT. Pulses are timed in
// module ms and recorded, the out-of-spec ones too (§4.2–4.4, §8.5), because a field unit's
// history of short or over-long pulses is exactly what the host's tools want to see.
import type { SimClock, SimTimer } from './clock.js';
import type { EventLog } from './events.js';
import type { SimMode } from './power.js';
import { PWRKEY, RESET_N } from './timeline.js';
import type { WearCounter } from './wear.js';

export type Level = 'low' | 'high';
export type PulsedPin = 'pwrkey' | 'reset-n';

export interface PinHooks {
  mode(): SimMode;
  vbatPresent(): boolean;
  /** PWRKEY held ≥ 500 ms while off. */
  pwrkeyPowerOn(): void;
  /** PWRKEY held ≥ 650 ms while running. */
  pwrkeyPowerOff(): void;
  /** RESET_N held ≥ 150 ms while started. */
  resetAsserted(): void;
  resetReleased(): void;
  count(counter: WearCounter): void;
  changed(): void;
}

interface Press {
  readonly since: number;
  readonly startedIn: SimMode;
  readonly wouldDo: 'power on' | 'power off' | undefined;
  timer: SimTimer | undefined;
  acted: boolean;
  /** Set by pulse(): the length the pulse was driven for, recorded instead of the measured one. */
  nominalMs?: number;
}

export class PinInputs {
  #pwrkey: Level = 'high';
  #resetN: Level = 'high';
  #usbBoot: Level = 'low';
  #pwrkeyPress: Press | undefined;
  #resetPress: Press | undefined;
  #vbatSince = Number.NEGATIVE_INFINITY;
  /** The length of the pulse() being started, for the press it creates. */
  #nominalMs: number | undefined;
  readonly #clock: SimClock;
  readonly #events: EventLog;
  readonly #hooks: PinHooks;

  constructor(clock: SimClock, events: EventLog, hooks: PinHooks) {
    this.#clock = clock;
    this.#events = events;
    this.#hooks = hooks;
  }

  get pwrkey(): Level {
    return this.#pwrkey;
  }

  get resetN(): Level {
    return this.#resetN;
  }

  get usbBoot(): Level {
    return this.#usbBoot;
  }

  /** True while PWRKEY is held and may still power the module on. */
  get powerOnPending(): boolean {
    return this.#pwrkeyPress !== undefined && !this.#pwrkeyPress.acted && this.#pwrkeyPress.wouldDo === 'power on';
  }

  vbatApplied(): void {
    this.#vbatSince = this.#clock.now();
  }

  /** Power is gone: a press in progress can no longer do anything. */
  vbatRemoved(): void {
    this.#vbatSince = Number.NEGATIVE_INFINITY;
    for (const press of [this.#pwrkeyPress, this.#resetPress]) {
      press?.timer?.cancel();
      if (press) press.timer = undefined;
    }
  }

  setPwrkey(level: Level, who = 'control'): void {
    if (level === this.#pwrkey) return;
    this.#pwrkey = level;
    if (level === 'low') this.#pwrkeyDown();
    else this.#pwrkeyUp(who);
    this.#hooks.changed();
  }

  setResetN(level: Level): void {
    if (level === this.#resetN) return;
    this.#resetN = level;
    if (level === 'low') this.#resetDown();
    else this.#resetUp();
    this.#hooks.changed();
  }

  setUsbBoot(level: Level): void {
    if (level === this.#usbBoot) return;
    this.#usbBoot = level;
    this.#events.add('usb-boot', `USB_BOOT ${level}`, { level });
    this.#hooks.changed();
  }

  /**
   * Drives the pin low for `ms` (module ms), then releases it. The pulse is recorded as `ms` long:
   * at small time scales timer granularity would otherwise stretch it (a 300 ms RESET_N pulse
   * measured as 480 ms would count as out of spec).
   */
  async pulse(pin: PulsedPin, ms: number, who = 'control'): Promise<void> {
    this.#nominalMs = ms;
    try {
      if (pin === 'pwrkey') this.setPwrkey('low', who);
      else this.setResetN('low');
    } finally {
      this.#nominalMs = undefined;
    }
    await this.#clock.sleep(ms);
    if (pin === 'pwrkey') this.setPwrkey('high', who);
    else this.setResetN('high');
  }

  /** The effect of a press held `ms`; a pulse() known to be shorter never gets there. */
  #effectAfter(reaches: boolean, ms: number, effect: () => void): SimTimer {
    return reaches ? this.#clock.after(ms, effect) : { cancel: () => undefined };
  }

  #nominal(): { nominalMs?: number } {
    return this.#nominalMs === undefined ? {} : { nominalMs: this.#nominalMs };
  }

  #pwrkeyDown(): void {
    const mode = this.#hooks.mode();
    const now = this.#clock.now();
    const canStart = mode === 'off' && this.#hooks.vbatPresent();
    const canStop = mode === 'normal' || mode === 'booting';
    const press: Press = { since: now, startedIn: mode, wouldDo: canStart ? 'power on' : canStop ? 'power off' : undefined, timer: undefined, acted: false, ...this.#nominal() };
    const reaches = (threshold: number): boolean => press.nominalMs === undefined || press.nominalMs >= threshold;
    if (canStart) {
      if (now - this.#vbatSince < PWRKEY.vbatStableMs) {
        this.#events.add('pwrkey-early', `PWRKEY pulled low ${Math.round(now - this.#vbatSince)} ms after VBAT: the module needs ≥ ${PWRKEY.vbatStableMs} ms of stable VBAT first`, { ms: now - this.#vbatSince }, 'warn');
      }
      press.timer = this.#effectAfter(reaches(PWRKEY.onMs), PWRKEY.onMs, () => {
        press.acted = true;
        this.#hooks.pwrkeyPowerOn();
      });
    } else if (canStop) {
      press.timer = this.#effectAfter(reaches(PWRKEY.offMs), PWRKEY.offMs, () => {
        press.acted = true;
        this.#hooks.pwrkeyPowerOff();
      });
    }
    this.#pwrkeyPress = press;
  }

  #pwrkeyUp(who: string): void {
    const press = this.#pwrkeyPress;
    this.#pwrkeyPress = undefined;
    if (press === undefined) return;
    press.timer?.cancel();
    const ms = Math.round(press.nominalMs ?? this.#clock.now() - press.since);
    if (press.acted) {
      this.#events.add('pwrkey-pulse', `PWRKEY low ${ms} ms (${who}): ${press.wouldDo ?? 'nothing'}`, { ms, effect: press.wouldDo, who });
    } else if (press.wouldDo !== undefined && press.timer !== undefined) {
      this.#hooks.count('shortPwrkeyPulses');
      const needed = press.wouldDo === 'power on' ? PWRKEY.onMs : PWRKEY.offMs;
      this.#events.add('pwrkey-short', `PWRKEY low ${ms} ms (${who}): too short to ${press.wouldDo} (needs ≥ ${needed} ms), ignored`, { ms, needed, who }, 'warn');
    } else {
      this.#events.add('pwrkey-pulse', `PWRKEY low ${ms} ms (${who}) while ${press.startedIn}: no effect`, { ms, who, mode: press.startedIn });
    }
  }

  #resetDown(): void {
    const mode = this.#hooks.mode();
    const press: Press = { since: this.#clock.now(), startedIn: mode, wouldDo: undefined, timer: undefined, acted: false, ...this.#nominal() };
    if (mode !== 'off' && mode !== 'reset') {
      const reaches = press.nominalMs === undefined || press.nominalMs >= RESET_N.minMs;
      press.timer = this.#effectAfter(reaches, RESET_N.minMs, () => {
        press.acted = true;
        this.#hooks.resetAsserted();
      });
    }
    this.#resetPress = press;
  }

  #resetUp(): void {
    const press = this.#resetPress;
    this.#resetPress = undefined;
    if (press === undefined) return;
    press.timer?.cancel();
    const ms = Math.round(press.nominalMs ?? this.#clock.now() - press.since);
    if (press.acted) {
      const inSpec = ms <= RESET_N.maxMs;
      if (!inSpec) this.#hooks.count('outOfSpecResetPulses');
      this.#events.add('reset-pulse', `RESET_N low ${ms} ms: reset${inSpec ? '' : ` (out of spec: the window is ${RESET_N.minMs}–${RESET_N.maxMs} ms)`}`, { ms, inSpec }, inSpec ? 'info' : 'warn');
      this.#hooks.resetReleased();
    } else if (press.timer !== undefined) {
      this.#hooks.count('outOfSpecResetPulses');
      this.#events.add('reset-short', `RESET_N low ${ms} ms: too short (needs ${RESET_N.minMs}–${RESET_N.maxMs} ms), ignored`, { ms, inSpec: false }, 'warn');
    } else {
      this.#events.add('reset-pulse', `RESET_N low ${ms} ms while ${press.startedIn}: no effect`, { ms, mode: press.startedIn });
    }
  }
}
