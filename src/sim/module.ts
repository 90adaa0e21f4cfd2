// The simulated module: power machine, pins, supply, baseband, NV and wear, wired together.
// What it decides here is what the field reports say happens (DESIGN.md, "Honest faults"):
// a cut while running or writing NV may damage it, a cut after POWERED DOWN never does.
import { CancelledError } from '../core/errors.js';
import { Baseband } from './baseband.js';
import type { SimClock, TimerGroup } from './clock.js';
import type { SimState, StatusPolarity } from './control/api.js';
import { CURRENT_MA, VBAT, VDD_EXT_V, vbatUnderLoad } from './electrical.js';
import type { EventLog } from './events.js';
import { FaultSet, type FaultName } from './faults.js';
import type { ModuleIdentity } from './identity.js';
import { modelSpec } from './models.js';
import { NET_STATUS_PATTERNS, netStatusLevel, type NetStatusPattern } from './net-status.js';
import { NvFlash } from './nv.js';
import { PinInputs, type Level } from './pins.js';
import { PowerMachine, type UsbMode } from './power.js';
import type { Rng } from '../core/rng.js';
import type { DamageTable, Scenario, SimCard } from './scenarios.js';
import type { ModuleStore, UrcPort } from './state-store.js';
import { PWRKEY, RESTART } from './timeline.js';
import { UrcRouter } from './urc.js';
import { DAMAGE_ON_NAND, rollDamage, type ModuleHealth, type WearCounter } from './wear.js';
import { HUNG_CURRENT_MA } from './boot-chain.js';
import type { ModuleFlash } from './module-flash.js';
import type { AtModule } from './at/types.js';

export interface UsbSide {
  show(mode: UsbMode | null, lingerMs: number): void;
  settled(): Promise<void>;
  readonly id: string | null;
  readonly ports: SimState['usb']['ports'];
}

export interface SimModuleOptions {
  readonly clock: SimClock;
  readonly rng: Rng;
  readonly store: ModuleStore;
  readonly events: EventLog;
  readonly scenarioName: string;
  readonly scenario: Scenario;
  readonly sim: SimCard | null;
  /** The NAND: what it holds decides how the module boots. */
  readonly flash: ModuleFlash;
  readonly statusPolarity: StatusPolarity;
  /** The board pulses PWRKEY whenever VBAT comes up (auto power-on). */
  readonly autoPowerOn: boolean;
}

const NO_USB: UsbSide = { show: () => undefined, settled: () => Promise.resolve(), id: null, ports: {} };

export class SimModule implements AtModule {
  readonly clock: SimClock;
  readonly rng: Rng;
  readonly store: ModuleStore;
  readonly events: EventLog;
  readonly scenarioName: string;
  readonly scenario: Scenario;
  readonly faults: FaultSet;
  readonly nv: NvFlash;
  readonly urc: UrcRouter;
  readonly power: PowerMachine;
  readonly pins: PinInputs;
  readonly baseband: Baseband;
  readonly flash: ModuleFlash;
  readonly #statusPolarity: StatusPolarity;
  readonly #autoPowerOn: boolean;
  readonly #listeners = new Set<() => void>();
  readonly #powerLossListeners = new Set<() => void>();
  #usb: UsbSide = NO_USB;
  #supply = { volts: 0, sourceOhms: 0 };
  /** Things the board does on its own (auto power-on, recovery after a brown-out); a cut cancels them. */
  #board: TimerGroup;
  #net: { pattern: NetStatusPattern; since: number } = { pattern: 'off', since: 0 };
  #supplyCheckQueued = false;
  #checkingSupply = false;

  constructor(options: SimModuleOptions) {
    this.clock = options.clock;
    this.rng = options.rng;
    this.store = options.store;
    this.events = options.events;
    this.scenarioName = options.scenarioName;
    this.scenario = options.scenario;
    this.flash = options.flash;
    this.#statusPolarity = options.statusPolarity;
    this.#autoPowerOn = options.autoPowerOn;
    this.#board = this.clock.group();
    this.faults = new FaultSet(() => {
      this.#changed();
    });
    this.nv = new NvFlash(this.store, this.faults, this.events, () => {
      this.#changed();
    });
    this.urc = new UrcRouter({ urcport: () => this.store.record.urcport, cacheOn: () => this.qcfg('urc/cache')[0] === '1' });
    this.baseband = new Baseband(
      { scenario: this.scenario, sim: options.sim, store: this.store, events: this.events },
      {
        urc: (text) => {
          this.urc.emit(text);
        },
        loadChanged: () => {
          this.#changed();
          this.#checkSupply();
        },
        changed: () => {
          this.#changed();
        },
      },
    );
    this.power = new PowerMachine(this.clock, this.events, {
      showUsb: (mode, lingerMs) => {
        if (mode !== null && !this.scenario.usbConnected) return;
        this.#usb.show(mode, lingerMs);
      },
      usbSettled: () => this.#usb.settled(),
      urc: (text) => {
        this.urc.emit(text);
      },
      firmwareReady: (life) => {
        this.baseband.start(life);
      },
      firmwareStopped: () => {
        this.baseband.stop();
        this.urc.reset();
      },
      usbBootHigh: () => this.pins.usbBoot === 'high',
      bootPath: () => this.#bootPath(),
      detachMs: () => this.scenario.detachMs,
      booted: () => {
        this.#count('boots');
      },
      poweredDown: () => {
        this.#count('gracefulPowerOffs');
      },
      changed: () => {
        this.#changed();
      },
    });
    this.pins = new PinInputs(this.clock, this.events, {
      mode: () => this.power.mode,
      vbatPresent: () => this.vbatPresent,
      pwrkeyPowerOn: () => {
        this.power.powerOn('PWRKEY');
      },
      pwrkeyPowerOff: () => {
        this.power.shutdown(this.qcfg('fast/poweroff')[0] === '1' ? 'pwrkey-fast' : 'pwrkey');
      },
      resetAsserted: () => {
        this.#resetAsserted();
      },
      resetReleased: () => {
        this.power.releaseReset();
      },
      count: (counter) => {
        this.#count(counter);
      },
      changed: () => {
        this.#changed();
      },
    });
  }

  get identity(): ModuleIdentity {
    return this.store.record.identity;
  }

  get vbatPresent(): boolean {
    return this.#supply.volts >= VBAT.presentV;
  }

  /**
   * Called when VBAT goes away (a cut or a brown-out), before anything is torn down: an engine
   * writing flash (EDL) learns that its write was interrupted, not merely that its port closed.
   */
  onPowerLoss(listener: () => void): () => void {
    this.#powerLossListeners.add(listener);
    return () => this.#powerLossListeners.delete(listener);
  }

  #announcePowerLoss(): void {
    for (const listener of [...this.#powerLossListeners]) {
      try {
        listener();
      } catch (error) {
        this.events.add('error', `a power-loss listener failed: ${error instanceof Error ? error.message : String(error)}`, undefined, 'error');
      }
    }
  }

  connectUsb(usb: UsbSide): void {
    this.#usb = usb;
  }

  onChange(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Applies the scenario's supply: with auto power-on the module starts. */
  start(): void {
    this.setSupply(this.scenario.supply.volts, this.scenario.supply.sourceOhms);
  }

  /** The board is about to do something by itself (an auto power-on pulse, a brown-out recovery). */
  get settling(): boolean {
    return this.#board.pending > 0 || this.pins.powerOnPending;
  }

  /** The simulator stops (not a power event: nothing is counted). */
  stop(): void {
    this.#board.cancel();
    this.power.halt();
  }

  // ---- supply -------------------------------------------------------------------------------

  /** The bench supply: open-circuit volts (0 = cut) and, optionally, source resistance. */
  setSupply(volts: number, sourceOhms: number = this.#supply.sourceOhms): void {
    const wasPresent = this.vbatPresent;
    this.#supply = { volts, sourceOhms };
    const present = this.vbatPresent;
    this.events.add('vbat', `VBAT supply ${volts.toFixed(2)} V, source ${sourceOhms} Ω`, { volts, sourceOhms }, 'debug');
    if (wasPresent && !present) this.#cut();
    else if (!wasPresent && present) this.#vbatRising();
    else this.#checkSupply();
    this.#changed();
  }

  currentMa(): number {
    const mode = this.power.mode;
    switch (mode) {
      case 'off':
        return this.vbatPresent ? CURRENT_MA.off : 0;
      case 'reset':
        return CURRENT_MA.reset;
      case 'booting':
        return this.power.hung ? hungCurrentMa(this.clock.now()) : CURRENT_MA.booting;
      case 'edl':
        return CURRENT_MA.edl;
      case 'shutting-down':
        return CURRENT_MA.shuttingDown;
      case 'normal':
        break;
    }
    const bb = this.baseband;
    if (bb.tx !== undefined) return modelSpec(this.identity.model).txPeakMa;
    if (bb.cfun === 0) return CURRENT_MA.minimum;
    if (bb.cfun === 4) return CURRENT_MA.airplane;
    if (bb.cfun !== 1) return CURRENT_MA.ftm;
    return bb.cell === undefined ? CURRENT_MA.searching : CURRENT_MA.idle;
  }

  /** VBAT at the module's pins under the present load. */
  vbatVolts(): number {
    return this.vbatPresent ? vbatUnderLoad(this.#supply.volts, this.#supply.sourceOhms, this.currentMa()) : 0;
  }

  #vbatRising(): void {
    this.pins.vbatApplied();
    this.events.add('vbat-on', `VBAT applied (${this.#supply.volts.toFixed(2)} V)`);
    if (!this.#autoPowerOn) return;
    // An auto power-on board: an RC pulse on PWRKEY once VBAT is stable (§8.5 timings).
    this.#board.after(PWRKEY.vbatStableMs, () => {
      void this.pins.pulse('pwrkey', PWRKEY.autoPulseMs, 'board auto power-on').catch(() => undefined);
    });
  }

  #cut(): void {
    const ungraceful = this.power.firmwareRunning;
    const duringNv = this.nv.busy;
    const mode = this.power.mode;
    if (this.power.powered) this.#announcePowerLoss();
    this.pins.vbatRemoved();
    this.#board.cancel();
    this.#board = this.clock.group();
    this.power.losePower();
    if (!ungraceful && !duringNv) {
      this.events.add('vbat-cut', `VBAT removed while ${mode}: harmless`, { mode, ungraceful: false });
      return;
    }
    this.#count('ungracefulCuts');
    if (duringNv) this.#count('cutsDuringNvWrite');
    this.events.add('vbat-cut', `VBAT removed while ${mode}${duringNv ? ' during an NV write' : ''}: ungraceful power cut`, { mode, ungraceful: true, duringNv }, 'warn');
    this.#damage(duringNv ? 'cutDuringNvWrite' : 'ungracefulCut');
  }

  /** The module can start and stay up on this supply (boot current). */
  #canRun(): boolean {
    return this.vbatPresent && vbatUnderLoad(this.#supply.volts, this.#supply.sourceOhms, CURRENT_MA.booting) >= VBAT.brownoutV;
  }

  #checkSupply(): void {
    if (this.#checkingSupply || !this.power.powered) return;
    const volts = this.vbatVolts();
    if (volts >= VBAT.brownoutV) return;
    this.#checkingSupply = true;
    try {
      this.brownout(`VBAT sagged to ${volts.toFixed(2)} V at ${Math.round(this.currentMa())} mA`);
    } finally {
      this.#checkingSupply = false;
    }
  }

  /** VBAT dipped below the brown-out threshold: the module resets, counted, maybe damaged. */
  brownout(why: string): void {
    if (!this.power.powered) return;
    const running = this.power.firmwareRunning;
    const duringNv = this.nv.busy;
    this.#count('brownouts');
    if (duringNv) this.#count('cutsDuringNvWrite');
    this.events.add('brownout', `brown-out: ${why}`, { duringNv }, 'warn');
    this.#announcePowerLoss();
    this.power.losePower();
    if (running || duringNv) this.#damage(duringNv ? 'cutDuringNvWrite' : 'brownout');
    this.#board.after(RESTART.brownoutRecoveryMs, () => {
      if (this.power.mode !== 'off' || !this.#canRun()) return;
      this.#count('resets');
      this.power.powerOn('recovery after brown-out');
    });
  }

  #resetAsserted(): void {
    const duringNv = this.nv.busy;
    this.#count('resets');
    this.power.holdInReset();
    if (duringNv) {
      this.#count('cutsDuringNvWrite');
      this.#damage('cutDuringNvWrite');
    }
  }

  #damage(kind: keyof DamageTable): void {
    const damage = rollDamage(this.rng, this.scenario.damage[kind]);
    if (damage === null) return;
    const { partition, action } = DAMAGE_ON_NAND[damage];
    if (action === 'tear') this.flash.tear(partition);
    else this.flash.erase(partition);
    this.syncFlash();
    this.events.add('damage', damage === 'boot-chain' ? 'damage: a torn page in sbl — the next power-on ends in EDL (05c6:9008)' : 'damage: efs2 (RF calibration) erased — the module will come up in +CFUN: 5', { damage, cause: kind, partition, action }, 'warn');
  }

  /**
   * Reads the NAND's verdict and makes module.json and the identity follow it: health is a view of
   * the NAND, the revision is that of the flashed modem image. Saves the NAND.
   */
  syncFlash(notify = true): void {
    const verdict = this.flash.verdict();
    this.store.record.health = this.flash.health(verdict);
    if (verdict.revision !== undefined && (verdict.revision !== this.identity.revision || verdict.subVersion !== this.identity.subVersion)) {
      this.store.record.identity = { ...this.identity, revision: verdict.revision, subVersion: verdict.subVersion ?? this.identity.subVersion };
    }
    this.store.save();
    this.flash.save().catch((error: unknown) => {
      this.events.add('error', `saving the NAND failed: ${error instanceof Error ? error.message : String(error)}`, undefined, 'error');
    });
    if (notify) this.#changed();
  }

  #bootPath(): 'normal' | 'edl' | 'hang' {
    // Mid-start: no change is announced until the power machine has set the new mode.
    this.syncFlash(false);
    const verdict = this.flash.lastVerdict();
    if (verdict.boot !== 'normal') this.events.add('boot-chain', `${verdict.failed?.partition ?? '?'}: ${verdict.failed?.detail ?? ''}`, { ...verdict.failed }, 'warn');
    return verdict.boot;
  }

  /** <power value="off"/> from the programmer: the module switches itself off (not a cut). */
  powerOffFromEdl(): void {
    this.power.losePower();
  }

  // ---- faults -------------------------------------------------------------------------------

  injectFault(name: FaultName): void {
    switch (name) {
      case 'unexpected-reset':
        if (this.power.mode === 'off' || this.power.mode === 'reset') return;
        this.#count('resets');
        this.#count('unexpectedResets');
        this.events.add('fault', 'unexpected reset (injected)', { fault: name }, 'warn');
        this.power.restart('unexpected reset', 0);
        return;
      case 'brown-out':
        this.brownout('injected dip');
        return;
      default:
        this.events.add('fault', `fault ${name} on`, { fault: name }, 'warn');
        this.faults.add(name);
    }
  }

  // ---- AtModule -----------------------------------------------------------------------------

  calibrated(): boolean {
    return this.store.record.health.efs === 'ok';
  }

  rfState(): ModuleHealth['efs'] {
    return this.store.record.health.efs;
  }

  qcfg(name: string): readonly string[] {
    return this.store.record.qcfg[name] ?? [];
  }

  async writeQcfg(name: string, values: readonly string[]): Promise<void> {
    await this.nvWrite(`QCFG ${name}`);
    this.store.record.qcfg[name] = values;
    this.store.save();
    if (name === 'band' || name === 'nwscanmode') this.baseband.radioConfigChanged();
    if (name === 'urc/cache' && values[0] === '0') this.urc.release();
    this.#changed();
  }

  urcport(): UrcPort {
    return this.store.record.urcport;
  }

  async writeUrcport(port: UrcPort): Promise<void> {
    await this.nvWrite('QURCCFG urcport');
    this.store.record.urcport = port;
    this.store.save();
  }

  async nvWrite(what: string): Promise<void> {
    const life = this.power.life;
    if (life === undefined) throw new CancelledError('the firmware is not running');
    await this.nv.write(life, what);
  }

  countCfunTransition(): void {
    this.#count('cfunTransitions');
  }

  vbatMv(): number {
    return Math.round(this.vbatVolts() * 1000);
  }

  /** PMIC, XO, PA in °C: warmer with load. A model, not a measurement. */
  temperatures(): readonly [number, number, number] {
    const ma = this.currentMa();
    return [Math.round(30 + ma / 200), Math.round(28 + ma / 400), Math.round(29 + ma / 100)];
  }

  powerDown(immediate: boolean): void {
    this.power.shutdown(immediate ? 'qpowd-immediate' : 'qpowd-normal');
  }

  restart(cause: string): void {
    this.#count('resets');
    this.power.restart(cause);
  }

  // ---- views --------------------------------------------------------------------------------

  netStatusPattern(): NetStatusPattern {
    const mode = this.power.mode;
    if (mode !== 'normal' && mode !== 'shutting-down') return 'off';
    const bb = this.baseband;
    // Radio off (CFUN 0/4) or factory test mode: steady low — UNVERIFIED.
    if (bb.cfun !== 1) return 'off';
    if (this.qcfg('ledmode')[0] === '3') return bb.registered ? 'registered' : 'steady-high';
    if (bb.tx === 'data') return 'data';
    return bb.registered ? 'registered' : 'searching';
  }

  state(usbPorts: SimState['usb']['ports'] = this.#usb.ports): SimState {
    const now = this.clock.now();
    const net = this.#trackNet();
    const status = this.power.statusAsserted;
    const statusLevel: Level = (this.#statusPolarity === 'low-when-running') === status ? 'low' : 'high';
    const pattern = NET_STATUS_PATTERNS[net.pattern];
    const bb = this.baseband;
    // While a programmer writes the NAND the last verdict stands; it is read again at the next boot.
    const health: ModuleHealth = this.power.mode === 'edl' ? { ...this.store.record.health } : this.flash.health();
    return {
      mode: this.power.mode,
      moduleTimeMs: Math.round(now),
      timeScale: this.clock.scale,
      usb: { id: this.#usb.id, ports: usbPorts },
      pins: {
        status: { level: statusLevel, running: status, polarity: this.#statusPolarity },
        netStatus: { level: netStatusLevel(net.pattern, now - net.since), pattern: net.pattern, highMs: pattern.highMs, lowMs: pattern.lowMs },
        vddExt: { volts: this.power.vddExt ? VDD_EXT_V : 0 },
        usbBoot: { level: this.pins.usbBoot },
        pwrkey: { level: this.pins.pwrkey },
        resetN: { level: this.pins.resetN },
      },
      vbat: { supplyVolts: this.#supply.volts, sourceOhms: this.#supply.sourceOhms, volts: Math.round(this.vbatVolts() * 1000) / 1000 },
      currentMa: Math.round(this.currentMa() * 100) / 100,
      firmware: {
        rdy: this.power.rdy,
        cfun: bb.cfun,
        sim: bb.sim,
        registration: bb.cfun === null ? null : bb.stat,
        operator: bb.registered ? (bb.cell?.operator ?? null) : null,
        nvWriting: this.nv.busy,
      },
      health,
      nand: this.flash.describe(),
      faults: this.faults.list(),
      scenario: this.scenarioName,
    };
  }

  #trackNet(): { pattern: NetStatusPattern; since: number } {
    const pattern = this.netStatusPattern();
    if (pattern !== this.#net.pattern) this.#net = { pattern, since: this.clock.now() };
    return this.#net;
  }

  #count(counter: WearCounter): void {
    this.store.record.wear[counter] += 1;
    this.store.save();
  }

  #changed(): void {
    this.#trackNet();
    if (!this.#supplyCheckQueued) {
      this.#supplyCheckQueued = true;
      queueMicrotask(() => {
        this.#supplyCheckQueued = false;
        this.#checkSupply();
      });
    }
    for (const listener of this.#listeners) listener();
  }
}

/** A stage that hangs and restarts: a slow, deterministic wander over 55–170 mA (QFORUM/6665). */
function hungCurrentMa(now: number): number {
  const { min, max } = HUNG_CURRENT_MA;
  const wave = (Math.sin(now / 700) + Math.sin(now / 2300 + 1) + 2) / 4;
  return min + (max - min) * wave;
}
