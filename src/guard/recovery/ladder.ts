import { logInfo, logWarn, silentLogger, type Logger } from '../../core/logger.js';
import type { LadderStep } from '../config/config.js';
import type { RiskJournal } from '../journal/risk-journal.js';
import type { AtChannel } from '../power/at-channel.js';
import type { PowerSequencer } from '../power/sequencer.js';
import type { UsbProbe } from '../power/usb-presence.js';
import type { BudgetStore } from './budget-store.js';

// The recovery ladder of issue #5: AT silent → AT+CFUN=1,1 → PWRKEY power cycle → VBAT cycle,
// mildest first, each step within its budget (budget-store.ts). A module in EDL 9008 is reported
// and left alone: power-cycling a module whose boot chain is gone only adds wear (§5.1).

export type LadderOutcome =
  | { readonly result: 'recovered'; readonly step: LadderStep }
  | { readonly result: 'gave-up'; readonly reason: string }
  | { readonly result: 'in-edl'; readonly usbId: string };

export interface RecoveryLadderOptions {
  readonly sequencer: PowerSequencer;
  readonly at: AtChannel;
  readonly budgets: BudgetStore;
  readonly journal: RiskJournal;
  readonly usb: UsbProbe;
  /** Real ms an AT probe may take after a step. */
  readonly probeTimeoutMs: number;
  readonly logger?: Logger;
}

export class RecoveryLadder {
  readonly #options: RecoveryLadderOptions;
  readonly #logger: Logger;

  constructor(options: RecoveryLadderOptions) {
    this.#options = options;
    this.#logger = options.logger ?? silentLogger;
  }

  /** Climbs the ladder once for `trigger` ("AT silent for 3 probes"). */
  async run(trigger: string, signal?: AbortSignal): Promise<LadderOutcome> {
    const edl = await this.#edl(trigger);
    if (edl !== undefined) return edl;
    const limited: LadderStep[] = [];
    for (const step of ['cfun-reset', 'pwrkey-cycle', 'vbat-cycle'] as const) {
      signal?.throwIfAborted();
      const budget = await this.#options.budgets.take(step);
      if (!budget.allowed) {
        limited.push(step);
        await this.#record(step, 'rate-limited', trigger, 0);
        continue;
      }
      logInfo(this.#logger, `guard: recovery step ${step} (${trigger}); ${budget.left} left in the window`);
      const ok = await this.#attempt(step);
      const inEdl = await this.#edl(`after ${step}`);
      if (inEdl !== undefined) {
        await this.#record(step, 'failed', trigger, budget.left);
        return inEdl;
      }
      await this.#record(step, ok ? 'recovered' : 'failed', trigger, budget.left);
      if (ok) return { result: 'recovered', step };
    }
    const reason = limited.length === 3 ? 'every step\'s budget is spent' : `no step brought the module back${limited.length > 0 ? ` (${limited.join(', ')} rate-limited)` : ''}`;
    logWarn(this.#logger, `guard: recovery gave up: ${reason}`);
    return { result: 'gave-up', reason };
  }

  async #attempt(step: LadderStep): Promise<boolean> {
    const { sequencer } = this.#options;
    try {
      if (step === 'cfun-reset') await sequencer.cfunReset('recovery-ladder');
      // AT is what failed: AT+QPOWD would only wait out its minute (§3.6), so power off with PWRKEY.
      else await sequencer.cycle('recovery-ladder', { vbatCycle: step === 'vbat-cycle', skip: ['qpowd'] });
    } catch (error) {
      logWarn(this.#logger, `guard: ${step} failed: ${error instanceof Error ? error.message : String(error)}`);
      return false;
    }
    return this.#alive();
  }

  async #alive(): Promise<boolean> {
    const client = await this.#options.at.client();
    if (client === undefined) return false;
    try {
      await client.send('AT', { timeoutMs: this.#options.probeTimeoutMs });
      return true;
    } catch {
      return false;
    }
  }

  async #edl(detail: string): Promise<LadderOutcome | undefined> {
    const usb = await this.#options.usb();
    if (usb.mode !== 'edl') return undefined;
    const { journal } = this.#options;
    if (journal.bootSession === undefined) await journal.startBootSession('unknown', 'found in EDL 9008');
    await journal.append({ type: 'module-in-edl', data: { usbId: usb.usbId, detail: `${detail}: reported, not power-cycled; reflash with \`medic flash\`` } });
    return { result: 'in-edl', usbId: usb.usbId };
  }

  async #record(step: LadderStep, outcome: 'recovered' | 'failed' | 'rate-limited', trigger: string, budgetLeft: number): Promise<void> {
    const { journal } = this.#options;
    if (journal.bootSession === undefined) return;
    await journal.append({ type: 'recovery-step', data: { step, outcome, trigger: trigger.slice(0, 200), budgetLeft } });
  }
}
