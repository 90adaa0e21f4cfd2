// The firmware's cellular side once RDY is out: CFUN level, SIM initialisation, network search
// and registration, uplink bursts. All of it is volatile: it starts again at every boot.
import type { TimerGroup, SimTimer } from './clock.js';
import type { EventLog } from './events.js';
import type { Cell, Scenario, SimCard } from './scenarios.js';
import type { ModuleStore } from './state-store.js';
import { ATTACH_BURST_MS, BOOT_URCS_AFTER_RDY } from './timeline.js';

export type SimCardState = 'absent' | 'initializing' | 'ready' | 'off';
/** 3GPP <stat>: 0 not registered, 1 home, 2 searching, 3 denied, 4 unknown, 5 roaming (§3.5). */
export type RegStat = 0 | 1 | 2 | 3 | 4 | 5;
export type RegCommand = 'CREG' | 'CGREG' | 'CEREG';
export type TxKind = 'attach' | 'data';

/** AT+QINISTAT bits (§3.4). */
export const INIT_CPIN = 1;
export const INIT_SMS = 2;
export const INIT_PB = 4;

export interface BasebandHooks {
  urc(text: string): void;
  /** The current draw changed (a burst started or ended): the supply is checked at once. */
  loadChanged(): void;
  changed(): void;
}

export interface BasebandInputs {
  readonly scenario: Scenario;
  readonly sim: SimCard | null;
  readonly store: ModuleStore;
  readonly events: EventLog;
}

export class Baseband {
  #cfun: number | null = null;
  #sim: SimCardState | null = null;
  #initStat = 0;
  #stat: RegStat = 0;
  #cell: Cell | undefined;
  #tx: TxKind | undefined;
  #life: TimerGroup | undefined;
  #searchTimer: SimTimer | undefined;
  readonly #regMode: Record<RegCommand, number> = { CREG: 0, CGREG: 0, CEREG: 0 };
  readonly #in: BasebandInputs;
  readonly #hooks: BasebandHooks;

  constructor(inputs: BasebandInputs, hooks: BasebandHooks) {
    this.#in = inputs;
    this.#hooks = hooks;
  }

  /** null while the firmware is not running. */
  get cfun(): number | null {
    return this.#cfun;
  }

  get sim(): SimCardState | null {
    return this.#sim;
  }

  get card(): SimCard | null {
    return this.#in.sim;
  }

  get initStat(): number {
    return this.#initStat;
  }

  get stat(): RegStat {
    return this.#stat;
  }

  get registered(): boolean {
    return this.#stat === 1 || this.#stat === 5;
  }

  /** The serving cell when registered, or the cell camped on for limited service. */
  get cell(): Cell | undefined {
    return this.#cell;
  }

  get tx(): TxKind | undefined {
    return this.#tx;
  }

  get life(): TimerGroup | undefined {
    return this.#life;
  }

  regMode(command: RegCommand): number {
    return this.#regMode[command];
  }

  setRegMode(command: RegCommand, n: number): void {
    this.#regMode[command] = n;
  }

  /** RDY is out: the boot sequence of §3.8 on the URC port, then the network search. */
  start(life: TimerGroup): void {
    this.#life = life;
    const efs = this.#in.store.record.health.efs;
    // Lost RF calibration leaves the module in factory test mode, `+CFUN: 5` (§5.1, QFORUM/56770);
    // calibration made for another baseline, `+CFUN: 7` (QFORUM/58100). That the boot URC then
    // also says 5 / 7 is UNVERIFIED.
    this.#cfun = efs === 'ok' ? 1 : efs === 'wrong-baseline' ? 7 : 5;
    this.#sim = this.#in.sim === null ? 'absent' : 'initializing';
    life.after(BOOT_URCS_AFTER_RDY.cfunMs, () => {
      this.#hooks.urc(`+CFUN: ${this.#cfun ?? 0}`);
    });
    if (this.#in.sim === null) {
      // The no-SIM URC form is UNVERIFIED (§3.8 lists "not inserted variants" without the text).
      life.after(BOOT_URCS_AFTER_RDY.cpinMs, () => {
        this.#hooks.urc('+CPIN: NOT INSERTED');
        this.#updateRadio();
      });
    } else {
      life.after(BOOT_URCS_AFTER_RDY.cpinMs, () => {
        this.#simReady();
      });
      life.after(BOOT_URCS_AFTER_RDY.smsDoneMs, () => {
        this.#initDone(INIT_SMS, '+QIND: SMS DONE');
      });
      life.after(BOOT_URCS_AFTER_RDY.pbDoneMs, () => {
        this.#initDone(INIT_PB, '+QIND: PB DONE');
      });
    }
    this.#hooks.changed();
  }

  stop(): void {
    this.#life = undefined;
    this.#searchTimer = undefined;
    this.#cfun = null;
    this.#sim = null;
    this.#initStat = 0;
    this.#stat = 0;
    this.#cell = undefined;
    this.#tx = undefined;
    this.#regMode.CREG = 0;
    this.#regMode.CGREG = 0;
    this.#regMode.CEREG = 0;
  }

  /** A new CFUN level is in effect (the AT command did the waiting and the NV write). */
  applyCfun(fun: 0 | 1 | 4): void {
    const life = this.#life;
    if (life === undefined) return;
    const from = this.#cfun;
    this.#cfun = fun;
    this.#in.events.add('cfun', `CFUN ${from ?? '-'} → ${fun}`, { from, to: fun });
    if (fun === 0) {
      if (this.#in.sim !== null) this.#sim = 'off';
      this.#initStat = 0;
    } else if (fun === 1 && from === 0 && this.#in.sim !== null) {
      // What follows OK in the manual's AT+CFUN=1 example (§3.3): +CPIN: READY, +QUSIM: 1,
      // +QIND: PB DONE, +QIND: SMS DONE. The spacing is UNVERIFIED.
      this.#sim = 'initializing';
      life.after(300, () => {
        this.#simReady();
        this.#hooks.urc('+QUSIM: 1');
      });
      life.after(900, () => {
        this.#initDone(INIT_PB, '+QIND: PB DONE');
      });
      life.after(1300, () => {
        this.#initDone(INIT_SMS, '+QIND: SMS DONE');
      });
    }
    // What the new level does to registration shows after the OK (as URCs), not before it.
    life.after(50, () => {
      this.#updateRadio();
    });
    this.#hooks.changed();
  }

  /** Cells in range on a band and RAT the module's configuration allows, strongest first. */
  usableCells(): Cell[] {
    return this.#in.scenario.cells.filter((cell) => this.#usable(cell));
  }

  /** Band or scan mode changed: a cell the module may no longer use is dropped. */
  radioConfigChanged(): void {
    this.#updateRadio();
  }

  #simReady(): void {
    this.#sim = 'ready';
    this.#initStat |= INIT_CPIN;
    this.#hooks.urc('+CPIN: READY');
    this.#updateRadio();
  }

  #initDone(bit: number, urc: string): void {
    if (this.#sim !== 'ready') return;
    this.#initStat |= bit;
    this.#hooks.urc(urc);
    this.#hooks.changed();
  }

  #usable(cell: Cell): boolean {
    const qcfg = this.#in.store.record.qcfg;
    const scanMode = qcfg['nwscanmode']?.[0] ?? '0';
    // The simulated networks are LTE only: GSM-only or WCDMA-only scanning finds nothing (§3.9).
    if (scanMode !== '0' && scanMode !== '3') return false;
    const lteMask = BigInt(`0x${qcfg['band']?.[1] ?? '0'}`);
    return ((lteMask >> BigInt(cell.band - 1)) & 1n) === 1n;
  }

  #updateRadio(): void {
    const life = this.#life;
    if (life === undefined) return;
    this.#searchTimer?.cancel();
    this.#searchTimer = undefined;
    const scenario = this.#in.scenario;
    if (this.#cfun !== 1) {
      this.#setRegistration(0, undefined);
      return;
    }
    const best = this.usableCells()[0];
    if (this.#sim !== 'ready') {
      // Without a usable SIM the module still looks for a cell to camp on for limited service
      // (QENG "LIMSRV"; §3.5 notes it may show cell data without SIM); <stat> stays 0.
      this.#setRegistration(0, undefined);
      if (best !== undefined) {
        this.#searchTimer = life.after(scenario.registerAfterMs, () => {
          this.#setRegistration(0, best);
        });
      }
      return;
    }
    if (this.registered && this.#cell !== undefined && this.#usable(this.#cell)) return;
    this.#setRegistration(2, undefined);
    if (best === undefined) return;
    this.#searchTimer = life.after(scenario.registerAfterMs, () => {
      if (!this.#transmit(life, 'attach', ATTACH_BURST_MS)) return;
      const card = this.#in.sim;
      const home = card !== null && card.imsi.startsWith(`${best.mcc}${best.mnc}`);
      this.#setRegistration(home ? 1 : 5, best);
      this.#scheduleTraffic(life);
    });
  }

  /** An uplink burst; false if the module did not survive it (brown-out). */
  #transmit(life: TimerGroup, kind: TxKind, ms: number): boolean {
    this.#tx = kind;
    this.#hooks.loadChanged();
    if (!life.active) return false;
    life.after(ms, () => {
      this.#tx = undefined;
      this.#hooks.loadChanged();
    });
    return true;
  }

  #scheduleTraffic(life: TimerGroup): void {
    const traffic = this.#in.scenario.traffic;
    if (traffic === null) return;
    life.after(traffic.everyMs, () => {
      if (!this.registered) return;
      if (this.#transmit(life, 'data', traffic.burstMs)) this.#scheduleTraffic(life);
    });
  }

  #setRegistration(stat: RegStat, cell: Cell | undefined): void {
    const changed = stat !== this.#stat;
    this.#stat = stat;
    this.#cell = cell;
    if (changed) {
      this.#in.events.add('registration', `registration <stat> ${stat}${cell ? ` on ${cell.operator}` : ''}`, { stat, operator: cell?.operator }, 'debug');
      for (const command of ['CREG', 'CGREG', 'CEREG'] as const) {
        const n = this.#regMode[command];
        if (n === 1) this.#hooks.urc(`+${command}: ${stat}`);
        else if (n === 2) this.#hooks.urc(`+${command}: ${registrationFields(stat, this.registered ? cell : undefined)}`);
      }
    }
    this.#hooks.changed();
  }
}

/** `<stat>[,"<lac|tac>","<ci>",<AcT>]` — location only while registered; AcT 7 = E-UTRAN (§3.5). */
export function registrationFields(stat: RegStat, cell: Cell | undefined): string {
  return cell === undefined ? String(stat) : `${stat},"${cell.tac}","${cell.cellId}",7`;
}
