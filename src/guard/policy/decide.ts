import { budgetUse, describeBudget, describeWait, type CfunBudgetState } from './cfun-budget.js';
import { parseCommandLine, type LineCommand } from './command-line.js';
import { DANGEROUS_COMMANDS, type AtPolicy } from './policy.js';
import { argValues } from './setting-values.js';

// What the AT proxy does with one command line from an application: a pure function of the
// line, what is known of the module, the clock and the CFUN budget, so that every rule can be
// tested with a fake clock and no module. The proxy (src/guard/proxy) carries the decision out.

/** What the proxy knows of the module when it decides. */
export interface ModuleSnapshot {
  /** The functionality level (AT+CFUN?), when known. */
  readonly cfun: number | undefined;
}

/** A CFUN change answered OK but not yet made (policy `coalesce`). */
export interface HeldCfun {
  readonly level: number;
  readonly since: number;
  readonly by: string;
}

export interface DecisionInput {
  readonly line: string;
  /** Who sent it, for a held change. */
  readonly by: string;
  readonly module: ModuleSnapshot;
  readonly nowMs: number;
  readonly budget: CfunBudgetState;
  readonly policy: AtPolicy;
  readonly held?: HeldCfun | undefined;
  /** How long this request has already been delayed (policy `delay`). */
  readonly waitedMs?: number;
}

export type RefusalRule = 'rd-command' | 'cfun-budget' | 'compound-line' | 'text-prompt';

export interface CfunChange {
  readonly from: number | undefined;
  readonly to: number;
}

export type Decision =
  /** Nothing to police: send the line as it is. */
  | { readonly kind: 'forward' }
  /** Answer ERROR with `reason`; the module is not touched. */
  | { readonly kind: 'refuse'; readonly rule: RefusalRule; readonly reason: string; readonly cfun?: CfunChange }
  /** Answer these lines and OK without asking the module. */
  | { readonly kind: 'answer'; readonly lines: readonly string[] }
  /** The module does not know its level yet: ask AT+CFUN? and decide again. */
  | { readonly kind: 'need-cfun' }
  /** A CFUN change within the budget: send it; it counts. */
  | { readonly kind: 'cfun'; readonly change: CfunChange }
  /** Hold the request until `untilMs`, then decide again. */
  | { readonly kind: 'delay'; readonly untilMs: number; readonly reason: string; readonly change: CfunChange }
  /** Answer OK without touching the module; the held change becomes `held`. */
  | { readonly kind: 'coalesce'; readonly change: CfunChange; readonly held: HeldCfun | undefined; readonly reason: string }
  /** A persistent setting: read it first (`query`) unless undefined, write only when it differs. */
  | { readonly kind: 'setting'; readonly key: string; readonly name: string; readonly wanted: readonly string[]; readonly query: string | undefined; readonly prefix: string };

const CFUN_LEVELS = new Set([0, 1, 4]);

function dangerous(command: LineCommand, policy: AtPolicy): string | undefined {
  if (!command.extended || policy.allowCommands.includes(command.name)) return undefined;
  const entry = DANGEROUS_COMMANDS.find((candidate) => candidate.name === command.name);
  return entry === undefined ? undefined : `AT${entry.name} is an R&D command (${entry.why}); not allowed by the guard's policy`;
}

/** Commands whose effect the policy manages: they must come on a line of their own. */
function policed(command: LineCommand): boolean {
  if (command.kind !== 'set') return false;
  return command.name === '+CFUN' || command.name === '+QCFG' || command.name === '+QURCCFG';
}

export function decide(input: DecisionInput): Decision {
  const commands = parseCommandLine(input.line);
  // Lines the policy cannot read go to the module, which answers ERROR (V.250); nothing in them
  // can be a set command the policy would have caught, since those parse.
  if (commands === undefined) return { kind: 'forward' };
  for (const command of commands) {
    const reason = dangerous(command, input.policy);
    if (reason !== undefined) return { kind: 'refuse', rule: 'rd-command', reason };
  }
  // SMS text entry: the "> " prompt and Ctrl-Z body would have to be relayed byte by byte while
  // holding the module for one app; not done (yet): refused plainly rather than half-supported.
  if (commands.some((command) => (command.name === '+CMGS' || command.name === '+CMGW') && command.kind === 'set')) {
    return { kind: 'refuse', rule: 'text-prompt', reason: 'AT+CMGS/AT+CMGW (SMS text entry with the "> " prompt) are not relayed by the guard; use the module\'s modem port or AT+CMGS via the guard\'s future SMS support' };
  }
  const [only, ...rest] = commands;
  if (only === undefined) return { kind: 'forward' };
  if (rest.length > 0) {
    const first = commands.find(policed);
    if (first !== undefined) return { kind: 'refuse', rule: 'compound-line', reason: `send AT${first.name}=… on a line of its own: the guard checks it against its policy` };
    return { kind: 'forward' };
  }
  if (only.name === '+CFUN') return decideCfun(only, input);
  if (only.kind === 'set' && only.name === '+QCFG' && only.args.length >= 2 && only.args[0]?.quoted === true) {
    const key = only.args[0].text;
    return { kind: 'setting', key: `QCFG "${key}"`, name: key, wanted: argValues(only.args.slice(1)), query: input.policy.queryThenSet ? `AT+QCFG="${key}"` : undefined, prefix: '+QCFG:' };
  }
  if (only.kind === 'set' && only.name === '+QURCCFG' && only.args.length === 2 && only.args[0]?.text.toLowerCase() === 'urcport') {
    // Saved to NV automatically (quectel-ec25.md §3.7).
    return { kind: 'setting', key: 'QURCCFG "urcport"', name: 'urcport', wanted: argValues(only.args.slice(1)), query: input.policy.queryThenSet ? 'AT+QURCCFG="urcport"' : undefined, prefix: '+QURCCFG:' };
  }
  return { kind: 'forward' };
}

function decideCfun(command: LineCommand, input: DecisionInput): Decision {
  const { held, module } = input;
  if (command.kind === 'read') return held === undefined ? { kind: 'forward' } : { kind: 'answer', lines: [`+CFUN: ${held.level}`] };
  if (command.kind !== 'set') return { kind: 'forward' };
  const [levelArg, resetArg] = command.args;
  const to = Number(levelArg?.text);
  // AT+CFUN=1,1 is a reset (quectel-ec25.md §3.3), not a toggle; odd levels get the module's ERROR.
  if (!/^\d$/.test(levelArg?.text ?? '') || !CFUN_LEVELS.has(to) || (resetArg !== undefined && resetArg.text !== '0') || command.args.length > 2) return { kind: 'forward' };
  if (module.cfun === undefined) return { kind: 'need-cfun' };
  const from = module.cfun;
  const change: CfunChange = { from, to };
  const effective = held?.level ?? from;
  if (to === effective) return { kind: 'coalesce', change, held, reason: `already at level ${to}: answered without touching the module` };
  if (held !== undefined && to === from) {
    return { kind: 'coalesce', change, held: undefined, reason: `cancels the held change to ${held.level} (${describeWait(input.nowMs - held.since)} ago): the module never left level ${from}` };
  }
  const cfun = input.policy.cfun;
  const use = budgetUse(input.budget, cfun, input.nowMs);
  if (held !== undefined) return { kind: 'coalesce', change, held: { level: to, since: input.nowMs, by: input.by }, reason: `replaces the held change to ${held.level}` };
  if (use.available) return { kind: 'cfun', change };
  const budget = describeBudget(use, cfun, input.nowMs);
  switch (cfun.beyondBudget) {
    case 'refuse':
      return { kind: 'refuse', rule: 'cfun-budget', reason: budget, cfun: change };
    case 'delay': {
      const waited = input.waitedMs ?? 0;
      if (use.nextAllowedAt === undefined || waited + (use.nextAllowedAt - input.nowMs) > cfun.maxDelayMs) {
        return { kind: 'refuse', rule: 'cfun-budget', reason: `${budget} (longer than the ${describeWait(cfun.maxDelayMs)} a request may be held)`, cfun: change };
      }
      return { kind: 'delay', untilMs: use.nextAllowedAt, reason: budget, change };
    }
    case 'coalesce':
      return { kind: 'coalesce', change, held: { level: to, since: input.nowMs, by: input.by }, reason: `held: ${budget}; made then unless a later request cancels it` };
  }
}

/** Whether a held change should be made now: its window has passed and the budget has room. */
export function heldChangeDue(input: { readonly held: HeldCfun | undefined; readonly module: ModuleSnapshot; readonly nowMs: number; readonly budget: CfunBudgetState; readonly policy: AtPolicy }): boolean {
  const { held, module } = input;
  if (held === undefined || module.cfun === undefined || held.level === module.cfun) return false;
  if (input.nowMs - held.since < input.policy.cfun.coalesceWindowMs) return false;
  return budgetUse(input.budget, input.policy.cfun, input.nowMs).available;
}
