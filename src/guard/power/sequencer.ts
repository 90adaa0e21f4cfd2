import { logInfo, logWarn, silentLogger, type Logger } from '../../core/logger.js';
import type { BootReason } from '../events/event-types.js';
import type { RiskJournal } from '../journal/risk-journal.js';
import type { GuardConfig } from '../config/config.js';
import type { AtChannel } from './at-channel.js';
import type { Board } from './board.js';
import { PowerError, powerErrorCodes } from './errors.js';
import { newTrace, runSequence, type SequenceContext } from './run-sequence.js';
import { AFTER_POWER_OFF, CFUN_RESET, POWER_OFF_ATTEMPTS, POWER_ON, VBAT_OFF_HOLD, type PowerOffMethod } from './sequences.js';

// Power on, power off, reboot and the CFUN reset, each a sequence of sequences.ts, with what
// happened recorded in the risk journal: a boot with its reason, shutdown-graceful with how it
// was confirmed. A cut that was not graceful is recorded by the journal itself at the next boot
// (power-loss-ungraceful).

export interface PowerSequencerOptions {
  readonly board: Board;
  readonly at: AtChannel;
  readonly journal: RiskJournal;
  readonly config: Pick<GuardConfig, 'timings' | 'timeScale' | 'timeoutFloorMs'>;
  readonly logger?: Logger;
}

export interface PowerOnResult {
  /** STATUS said running before anything was pressed: PWRKEY was left alone (a press would stop it). */
  readonly alreadyRunning: boolean;
  readonly readyBy?: 'rdy' | 'at-probe';
}

export interface PowerOffResult {
  /** `already-off`: STATUS was released before anything was done. */
  readonly method: PowerOffMethod | 'already-off';
  readonly graceful: boolean;
  readonly vbatCut: boolean;
  /** Attempts that failed before the one that worked, with why. */
  readonly failed: readonly { readonly method: PowerOffMethod; readonly error: string }[];
}

export interface PowerOffOptions {
  /** Methods not to try (the ladder skips AT+QPOWD when AT is silent). */
  readonly skip?: readonly PowerOffMethod[];
  /** Leave VBAT on after the module stopped (a PWRKEY cycle). Default: cut it when wired. */
  readonly keepVbat?: boolean;
}

export class PowerSequencer {
  readonly #options: PowerSequencerOptions;
  readonly #logger: Logger;
  #busy = 0;

  constructor(options: PowerSequencerOptions) {
    this.#options = options;
    this.#logger = options.logger ?? silentLogger;
  }

  /** True while a sequence runs: a RDY now is expected, not a crash. */
  get busy(): boolean {
    return this.#busy > 0;
  }

  get board(): Board {
    return this.#options.board;
  }

  async powerOn(reason: Extract<BootReason, 'power-on' | 'requested-reset' | 'recovered-from-edl'>, detail?: string): Promise<PowerOnResult> {
    return this.#exclusive(async () => {
      if ((await this.#options.board.running()) === true) return { alreadyRunning: true };
      if (!this.#options.board.has('pwrkey')) {
        throw new PowerError(powerErrorCodes.powerOnFailed, 'the module is off and the board has no PWRKEY line to start it', { hint: 'Wire PWRKEY in [gpio.lines], or power the module on by other means.' });
      }
      let trace;
      try {
        trace = await runSequence(POWER_ON, this.#context());
      } catch (error) {
        throw new PowerError(powerErrorCodes.powerOnFailed, `power-on failed: ${error instanceof Error ? error.message : String(error)}`, { hint: 'Check VBAT, the PWRKEY wiring and its level in [gpio.levels]; the guard retries with the recovery ladder.', cause: error });
      }
      const readyBy = trace.readyBy ?? 'rdy';
      await this.#options.journal.startBootSession(reason, detail ?? (readyBy === 'rdy' ? 'RDY after PWRKEY' : 'AT answered after PWRKEY (RDY not seen)'));
      logInfo(this.#logger, `guard: module powered on (${reason}, ${readyBy})`);
      return { alreadyRunning: false, readyBy };
    });
  }

  /**
   * Stops the module in order, then removes VBAT (when wired): QPOWD, else PWRKEY, else RESET_N
   * held (not graceful). Throws when nothing stopped it; VBAT is then left on.
   */
  async powerOff(requestedBy: string, options: PowerOffOptions = {}): Promise<PowerOffResult> {
    return this.#exclusive(async () => {
      const { board, journal } = this.#options;
      const context = this.#context();
      const trace = newTrace();
      const failed: { method: PowerOffMethod; error: string }[] = [];
      let used: PowerOffMethod | 'already-off' | undefined = (await board.running()) === false ? 'already-off' : undefined;
      let graceful = false;
      const started = Date.now();
      for (const attempt of POWER_OFF_ATTEMPTS) {
        if (used !== undefined) break;
        const previous = failed.at(-1);
        if (previous !== undefined && (await board.running()) === false) {
          // The attempt that "failed" stopped the module after all (its confirmation was lost);
          // a PWRKEY press now would power it on again.
          used = previous.method;
          graceful = POWER_OFF_ATTEMPTS.find((entry) => entry.method === previous.method)?.graceful ?? false;
          break;
        }
        if (options.skip?.includes(attempt.method) === true) continue;
        if (attempt.method !== 'qpowd' && !board.has(attempt.method === 'pwrkey' ? 'pwrkey' : 'reset_n')) continue;
        try {
          await runSequence(attempt.steps, context, trace);
          used = attempt.method;
          graceful = attempt.graceful;
        } catch (error) {
          const message = error instanceof Error ? error.message : String(error);
          failed.push({ method: attempt.method, error: message });
          logWarn(this.#logger, `guard: power-off by ${attempt.method} failed: ${message}`);
          await this.#options.at.drop();
        }
      }
      if (used === undefined) {
        throw new PowerError(powerErrorCodes.powerOffFailed, `the module did not stop (${failed.map((entry) => `${entry.method}: ${entry.error}`).join('; ')}); VBAT left on`, { hint: 'Check the PWRKEY and STATUS wiring and levels; cutting VBAT now would be an ungraceful power loss.' });
      }
      if (graceful && (used === 'qpowd' || used === 'pwrkey') && journal.bootSession !== undefined) {
        await journal.append({
          type: 'shutdown-graceful',
          data: { method: used, confirmedBy: used === 'qpowd' && trace.poweredDownUrc ? 'powered-down-urc' : board.statusFromUsb ? 'usb-absent' : 'status-pin', requestedBy, durationMs: Math.min(600_000, Date.now() - started) },
        });
      }
      await this.#options.at.drop();
      let vbatCut = false;
      if (options.keepVbat !== true && board.has('vbat_enable')) {
        await runSequence(AFTER_POWER_OFF, context, trace);
        vbatCut = true;
      }
      if (trace.heldInReset) await board.drive('reset_n', false);
      logInfo(this.#logger, `guard: module powered off (${used}${vbatCut ? ', VBAT off' : ''})`);
      return { method: used, graceful: graceful || used === 'already-off', vbatCut, failed };
    });
  }

  /** AT+CFUN=1,1 and RDY again: an orderly restart (recorded as shutdown-graceful, method cfun-reset). */
  async cfunReset(requestedBy: string): Promise<void> {
    await this.#exclusive(async () => {
      const trace = await runSequence(CFUN_RESET, this.#context());
      const { journal } = this.#options;
      if (journal.bootSession !== undefined) await journal.append({ type: 'shutdown-graceful', data: { method: 'cfun-reset', confirmedBy: 'rdy-after-reset', requestedBy } });
      await journal.startBootSession('requested-reset', `AT+CFUN=1,1 by ${requestedBy} (${trace.readyBy ?? 'rdy'})`);
    });
  }

  /** Power off in order, VBAT off for vbat_off_hold_ms when `vbatCycle`, power on again. */
  async cycle(requestedBy: string, options: { readonly vbatCycle: boolean; readonly skip?: readonly PowerOffMethod[] }): Promise<PowerOnResult> {
    await this.powerOff(requestedBy, { keepVbat: !options.vbatCycle, ...(options.skip === undefined ? {} : { skip: options.skip }) });
    if (options.vbatCycle) await this.#exclusive(() => runSequence(VBAT_OFF_HOLD, this.#context()));
    return this.powerOn('requested-reset', `${options.vbatCycle ? 'VBAT' : 'PWRKEY'} cycle by ${requestedBy}`);
  }

  #context(): SequenceContext {
    const { board, at, config } = this.#options;
    return { board, at, timings: config.timings, timeScale: config.timeScale, timeoutFloorMs: config.timeoutFloorMs, logger: this.#logger };
  }

  async #exclusive<T>(work: () => Promise<T>): Promise<T> {
    this.#busy++;
    try {
      return await work();
    } finally {
      this.#busy--;
    }
  }
}
