import { logWarn, type Logger } from '../../core/logger.js';
import type { EventInput } from '../events/event.js';
import type { BudgetStore } from '../policy/budget-store.js';
import { budgetUse, describeWait, recordTransition, type BudgetUse, type CfunBudgetState } from '../policy/cfun-budget.js';
import { decide, heldChangeDue, type CfunChange, type Decision, type HeldCfun } from '../policy/decide.js';
import type { AtPolicy } from '../policy/policy.js';
import { sameValues, valuesInResponse } from '../policy/setting-values.js';
import type { ProxyClock } from './clock.js';
import { medicLine, type Outcome, type Upstream } from './upstream.js';

// Carries out the policy's decisions (src/guard/policy/decide.ts) on the module and records
// what it did in the risk journal. Holds what the decisions need: the module's CFUN level as
// last seen, the CFUN budget (stored on every change), and a change held by `coalesce`.

export interface EventSink {
  append(input: EventInput): Promise<unknown>;
}

export interface PolicyRunnerOptions {
  readonly upstream: Upstream;
  readonly policy: AtPolicy;
  readonly clock: ProxyClock;
  readonly journal: EventSink;
  readonly budgetStore: BudgetStore;
  readonly budget: CfunBudgetState;
  readonly logger: Logger;
  readonly signal: AbortSignal;
}

const OK: Outcome = { lines: [], final: 'OK', ok: true, uncertain: false };

function refused(reason: string): Outcome {
  return { lines: [medicLine(`refused, ${reason}`)], final: 'ERROR', ok: false, uncertain: false };
}

/** The "a reset" forms of AT+CFUN: the module restarts and comes back at level 1 (§3.3). */
const CFUN_RESET = /\+CFUN\s*=\s*1\s*,\s*1/i;

export class PolicyRunner {
  readonly #o: PolicyRunnerOptions;
  #cfun: number | undefined;
  #budget: CfunBudgetState;
  #held: HeldCfun | undefined;

  constructor(options: PolicyRunnerOptions) {
    this.#o = options;
    this.#budget = options.budget;
  }

  get held(): HeldCfun | undefined {
    return this.#held;
  }

  budgetUse(): BudgetUse {
    return budgetUse(this.#budget, this.#o.policy.cfun, this.#o.clock.now());
  }

  /** A URC or a restart told us something about the module. */
  observe(line: string): void {
    if (line === 'RDY') {
      // A restart brings the module up at level 1; a change held for the old session is moot.
      this.#cfun = undefined;
      this.#held = undefined;
      return;
    }
    const level = /^\+CFUN:\s*(\d+)\s*$/.exec(line)?.[1];
    if (level !== undefined) this.#cfun = Number(level);
  }

  /** The module went away (a reset drops USB): its level is unknown until asked again. */
  forgetModule(): void {
    this.#cfun = undefined;
  }

  /** One application line, from decision to answer. Never rejects. */
  async handle(by: string, line: string): Promise<Outcome> {
    const { clock, upstream, signal } = this.#o;
    const startedAt = clock.now();
    for (;;) {
      const step = await upstream.exclusive(() => this.#step(by, line, startedAt));
      if ('final' in step) return step;
      try {
        await clock.sleep(Math.max(0, step.untilMs - clock.now()), signal);
      } catch {
        return refused('the guard is stopping');
      }
    }
  }

  /** Makes a held (coalesced) change once its window has passed and the budget allows. */
  flushHeld(): Promise<void> {
    return this.#o.upstream.exclusive(() => this.#flushHeld());
  }

  async #step(by: string, line: string, startedAt: number): Promise<Outcome | { readonly untilMs: number }> {
    await this.#flushHeld();
    let decision = this.#decide(by, line, startedAt);
    if (decision.kind === 'need-cfun') {
      await this.#readCfun();
      decision = this.#decide(by, line, startedAt);
      if (decision.kind === 'need-cfun') return refused('the guard cannot read the module\'s functionality level (AT+CFUN?), so it cannot check the CFUN budget');
    }
    return this.#act(decision, { by, line, waitedMs: this.#o.clock.now() - startedAt });
  }

  #decide(by: string, line: string, startedAt: number): Decision {
    const nowMs = this.#o.clock.now();
    return decide({ line, by, module: { cfun: this.#cfun }, nowMs, budget: this.#budget, policy: this.#o.policy, held: this.#held, waitedMs: nowMs - startedAt });
  }

  async #act(decision: Decision, request: { readonly by: string; readonly line: string; readonly waitedMs: number }): Promise<Outcome | { readonly untilMs: number }> {
    const { by, line } = request;
    switch (decision.kind) {
      case 'forward': {
        const outcome = await this.#o.upstream.send(line);
        if (CFUN_RESET.test(line)) this.#cfun = undefined;
        return outcome;
      }
      case 'answer':
        return { ...OK, lines: decision.lines };
      case 'refuse':
        if (decision.cfun !== undefined) this.#recordCfun(decision.cfun, { by, decision: 'refused', reason: decision.reason });
        else this.#record({ type: 'policy-refusal', data: { command: clip(line, 512), by: clip(by, 64), rule: decision.rule, reason: clip(decision.reason, 200) } });
        return refused(decision.reason);
      case 'need-cfun':
        return refused('the module\'s functionality level is unknown');
      case 'delay':
        return { untilMs: decision.untilMs };
      case 'coalesce':
        this.#held = decision.held;
        this.#recordCfun(decision.change, { by, decision: 'coalesced', reason: decision.reason });
        return OK;
      case 'cfun':
        return this.#change(decision.change, request);
      case 'setting':
        return this.#setting(decision, request);
    }
  }

  async #change(change: CfunChange, request: { readonly by: string; readonly line: string; readonly waitedMs: number }): Promise<Outcome> {
    const outcome = await this.#o.upstream.send(request.line);
    if (!outcome.ok && !outcome.uncertain) return outcome;
    // No answer may still mean the module changed level: counted, on the safe side.
    this.#count();
    this.#cfun = outcome.ok ? change.to : undefined;
    const delayed = request.waitedMs > 0;
    this.#recordCfun(change, {
      by: request.by,
      decision: delayed ? 'delayed' : 'allowed',
      ...(delayed ? { delayMs: request.waitedMs, reason: `held ${describeWait(request.waitedMs)} until the CFUN budget allowed it` } : {}),
      ...(outcome.ok ? {} : { reason: 'sent, but the module did not confirm it; counted against the budget' }),
    });
    return outcome;
  }

  async #setting(decision: Extract<Decision, { kind: 'setting' }>, request: { readonly by: string; readonly line: string }): Promise<Outcome> {
    const { upstream } = this.#o;
    if (decision.query !== undefined) {
      const current = await upstream.send(decision.query);
      const values = current.ok ? valuesInResponse(current.lines, decision.prefix, decision.name) : undefined;
      if (values !== undefined && sameValues(values, decision.wanted)) {
        this.#record({ type: 'nv-write', data: { command: clip(request.line, 512), outcome: 'skipped-as-unchanged', by: clip(request.by, 64) } });
        return OK;
      }
    }
    const outcome = await upstream.send(request.line);
    if (outcome.ok || outcome.uncertain) this.#record({ type: 'nv-write', data: { command: clip(request.line, 512), outcome: 'written', by: clip(request.by, 64) } });
    return outcome;
  }

  async #flushHeld(): Promise<void> {
    const held = this.#held;
    if (held === undefined) return;
    if (this.#cfun === undefined) await this.#readCfun();
    if (held.level === this.#cfun) {
      this.#held = undefined;
      return;
    }
    const nowMs = this.#o.clock.now();
    if (!heldChangeDue({ held, module: { cfun: this.#cfun }, nowMs, budget: this.#budget, policy: this.#o.policy })) return;
    this.#held = undefined;
    const change: CfunChange = { from: this.#cfun, to: held.level };
    const outcome = await this.#o.upstream.send(`AT+CFUN=${held.level}`);
    if (!outcome.ok && !outcome.uncertain) {
      logWarn(this.#o.logger, 'at-proxy: the module refused a held CFUN change', { to: held.level, final: outcome.final });
      return;
    }
    this.#count();
    this.#cfun = outcome.ok ? held.level : undefined;
    const delayMs = nowMs - held.since;
    this.#recordCfun(change, { by: held.by, decision: 'delayed', delayMs, reason: `coalesced change made once the CFUN budget allowed it (held ${describeWait(delayMs)})` });
  }

  async #readCfun(): Promise<void> {
    const outcome = await this.#o.upstream.send('AT+CFUN?');
    const level = outcome.ok ? outcome.lines.map((line) => /^\+CFUN:\s*(\d+)/.exec(line)?.[1]).find((value) => value !== undefined) : undefined;
    this.#cfun = level === undefined ? undefined : Number(level);
  }

  #count(): void {
    this.#budget = recordTransition(this.#budget, this.#o.clock.now());
    void this.#o.budgetStore.save(this.#budget).catch(() => undefined);
  }

  #recordCfun(change: CfunChange, fields: { readonly by: string; readonly decision: 'allowed' | 'delayed' | 'coalesced' | 'refused'; readonly delayMs?: number; readonly reason?: string }): void {
    this.#record({
      type: 'cfun-transition',
      data: {
        ...(change.from === undefined ? {} : { from: change.from }),
        to: change.to,
        by: clip(fields.by, 64),
        decision: fields.decision,
        ...(fields.delayMs === undefined ? {} : { delayMs: Math.min(86_400_000, Math.max(0, Math.round(fields.delayMs))) }),
        ...(fields.reason === undefined ? {} : { reason: clip(fields.reason, 200) }),
      },
    });
  }

  #record(event: EventInput): void {
    let pending: Promise<unknown>;
    try {
      pending = this.#o.journal.append(event);
    } catch (error) {
      pending = Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
    pending.catch((error: unknown) => {
      logWarn(this.#o.logger, 'at-proxy: could not record a risk event', { type: event.type, error: error instanceof Error ? error.message : String(error) });
    });
  }
}

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
