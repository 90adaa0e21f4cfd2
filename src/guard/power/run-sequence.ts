import { logDebug, type Logger } from '../../core/logger.js';
import { sleep } from '../../core/time.js';
import { powerDownCommand } from '../../protocols/at/commands/power.js';
import { resetModule } from '../../protocols/at/commands/functionality.js';
import { realDeadlineMs, realMs } from '../config/config.js';
import type { TimingTable } from '../config/timings.js';
import type { AtChannel } from './at-channel.js';
import type { Board } from './board.js';
import { PowerError, powerErrorCodes } from './errors.js';
import type { Sequence, Step } from './sequences.js';
import { TransportClosedError } from '../../transport/errors.js';

// The interpreter of sequences.ts: runs steps over the board's lines and the AT channel, with
// every timing taken from the board file and scaled to real ms.

/** AT+CFUN's maximum response time in the manual (quectel-ec25.md §3.1). */
const CFUN_MAX_MS = 15_000;

export interface SequenceContext {
  readonly board: Board;
  readonly at: AtChannel;
  readonly timings: TimingTable;
  /** Real ms per datasheet ms (config time_scale). */
  readonly timeScale: number;
  /** Deadlines are never shorter than this many real ms (config timeout_floor_ms). */
  readonly timeoutFloorMs: number;
  readonly logger: Logger;
  readonly signal?: AbortSignal;
}

export interface SequenceTrace {
  /** The module said POWERED DOWN. */
  poweredDownUrc: boolean;
  /** How readiness showed. */
  readyBy?: 'rdy' | 'at-probe';
  /** RESET_N is held asserted (the last-resort power-off). */
  heldInReset: boolean;
  /** Steps skipped because the board does not wire their line. */
  readonly skipped: string[];
}

export function newTrace(): SequenceTrace {
  return { poweredDownUrc: false, heldInReset: false, skipped: [] };
}

export async function runSequence(steps: Sequence, context: SequenceContext, trace: SequenceTrace = newTrace()): Promise<SequenceTrace> {
  for (const step of steps) {
    context.signal?.throwIfAborted();
    logDebug(context.logger, `guard: ${describeStep(step)}`);
    await runStep(step, context, trace);
  }
  return trace;
}

export function describeStep(step: Step): string {
  switch (step.do) {
    case 'drive':
      return `${step.asserted ? 'assert' : 'release'} ${step.signal}`;
    case 'wait':
      return `wait ${step.timing}`;
    case 'press':
      return `press ${step.signal} for ${step.timing}`;
    case 'await-status':
      return `wait for STATUS ${step.running ? 'running' : 'released'} (${step.timeout})`;
    case 'await-ready':
      return `wait for RDY (${step.timeout})`;
    case 'qpowd':
      return 'AT+QPOWD=1, wait for POWERED DOWN';
    case 'cfun-reset':
      return 'AT+CFUN=1,1';
    case 'cut-vbat':
      return 'VBAT off';
  }
}

async function runStep(step: Step, context: SequenceContext, trace: SequenceTrace): Promise<void> {
  const { board, timings, signal } = context;
  const real = (ms: number): number => realMs(context, ms);
  const deadline = (ms: number): number => realDeadlineMs(context, ms);
  switch (step.do) {
    case 'drive':
      if (!board.has(step.signal) && step.ifWired === true) {
        trace.skipped.push(describeStep(step));
        return;
      }
      await board.drive(step.signal, step.asserted);
      if (step.signal === 'reset_n') trace.heldInReset = step.asserted;
      return;
    case 'wait':
      await sleep(real(timings[step.timing]), signal);
      return;
    case 'press':
      await board.press(step.signal, real(timings[step.timing]));
      return;
    case 'await-status': {
      let timeout = timings[step.timeout];
      if (board.statusFromUsb && step.running) {
        // USB enumerates ~10–13 s after power-on, not at 2.5 s like STATUS (§4.2).
        timeout = Math.max(timeout, timings.rdy_timeout_ms);
      } else if (step.notBefore !== undefined) {
        const early = timings[step.notBefore];
        await sleep(real(early), signal);
        timeout = Math.max(0, timeout - early);
      }
      await board.waitRunning(step.running, deadline(timeout), signal);
      return;
    }
    case 'await-ready':
      trace.readyBy = await context.at.awaitReady(deadline(timings[step.timeout]), signal);
      return;
    case 'qpowd': {
      const client = await context.at.client();
      if (client === undefined) throw new PowerError(powerErrorCodes.powerOffFailed, 'no AT port to send AT+QPOWD on', { hint: 'The module shows no AT port: it may be off, booting or hung.' });
      // powerDown() of protocols/at, but with the OK bounded by the same deadline: with AT silent
      // the command's own budget (the manual's) would hold the fallback back for a minute.
      const timeoutMs = deadline(timings[step.timeout]);
      const poweredDown = client.waitForUrc((urc) => urc.name === 'powered-down', { timeoutMs, what: 'POWERED DOWN after AT+QPOWD=1', ...(signal === undefined ? {} : { signal }) });
      poweredDown.catch(() => undefined);
      try {
        await client.run(powerDownCommand(1), { timeoutMs, ...(signal === undefined ? {} : { signal }) });
        await poweredDown;
        trace.poweredDownUrc = true;
      } catch (error) {
        // The port vanished after AT+QPOWD=1 went out: the module is shutting down and took its
        // USB with it before we read POWERED DOWN (or the URC goes to another port: AT+QURCCFG
        // "urcport"). STATUS, the next step, decides; pressing PWRKEY now would start it again.
        if (!(error instanceof TransportClosedError && error.disconnected)) throw error;
      }
      return;
    }
    case 'cfun-reset': {
      const client = await context.at.client();
      if (client === undefined) throw new PowerError(powerErrorCodes.notReady, 'no AT port to send AT+CFUN=1,1 on', { hint: 'The module shows no AT port; the ladder goes on to a power cycle.' });
      // The manual gives AT+CFUN up to 15 s (§3.1); a silent port must not hold the ladder longer.
      await client.run(resetModule(), { timeoutMs: deadline(CFUN_MAX_MS), ...(signal === undefined ? {} : { signal }) });
      // The port goes with the reset; the next client() opens the new one.
      await context.at.drop();
      return;
    }
    case 'cut-vbat': {
      if (!board.has('vbat_enable')) {
        trace.skipped.push(describeStep(step));
        return;
      }
      if (!trace.heldInReset && (await board.running()) === true) {
        throw new PowerError(powerErrorCodes.unsafeCut, 'refusing to cut VBAT: STATUS says the module is still running', { hint: 'Cutting VBAT of a running module is what corrupts its flash (quectel-ec25.md §4.3, §5.1); power it down first.' });
      }
      await board.drive('vbat_enable', false);
      return;
    }
  }
}
