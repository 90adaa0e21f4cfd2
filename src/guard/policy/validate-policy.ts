import { PolicyError } from './errors.js';
import { BEYOND_BUDGET_ACTIONS, DANGEROUS_COMMANDS, DEFAULT_AT_POLICY, type AtPolicy, type BeyondBudgetAction, type CfunPolicy } from './policy.js';

// Checks a policy as it comes from the configuration file (parsed TOML/JSON): every field is
// optional and falls back to DEFAULT_AT_POLICY; unknown fields are refused, so a typo
// ("perHours") is an error rather than a silently ignored limit.

type Fields = Readonly<Record<string, unknown>>;

function objectAt(value: unknown, path: string): Fields {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new PolicyError(path, `must be an object, got ${describe(value)}`);
  return value as Fields;
}

function refuseUnknown(fields: Fields, known: readonly string[], path: string): void {
  for (const key of Object.keys(fields)) {
    if (!known.includes(key)) throw new PolicyError(path === '' ? key : `${path}.${key}`, `unknown field (known: ${known.join(', ')})`);
  }
}

function integerAt(fields: Fields, key: string, path: string, range: { readonly min: number; readonly max: number; readonly fallback: number }): number {
  const value = fields[key];
  if (value === undefined) return range.fallback;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < range.min || value > range.max) {
    throw new PolicyError(`${path}.${key}`, `must be an integer from ${range.min} to ${range.max}, got ${describe(value)}`);
  }
  return value;
}

function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (Array.isArray(value)) return 'an array';
  if (value === null) return 'null';
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  return typeof value === 'object' ? 'an object' : typeof value;
}

const DAY_MS = 86_400_000;

function parseCfun(value: unknown): CfunPolicy {
  const defaults = DEFAULT_AT_POLICY.cfun;
  if (value === undefined) return defaults;
  const fields = objectAt(value, 'cfun');
  refuseUnknown(fields, ['perHour', 'perDay', 'beyondBudget', 'maxDelayMs', 'coalesceWindowMs'], 'cfun');
  const perHour = integerAt(fields, 'perHour', 'cfun', { min: 0, max: 3600, fallback: defaults.perHour });
  const perDay = integerAt(fields, 'perDay', 'cfun', { min: 0, max: 86_400, fallback: defaults.perDay });
  if (perDay < perHour) throw new PolicyError('cfun.perDay', `must be at least cfun.perHour (${perHour}), got ${perDay}`);
  const beyond = fields['beyondBudget'] ?? defaults.beyondBudget;
  if (typeof beyond !== 'string' || !(BEYOND_BUDGET_ACTIONS as readonly string[]).includes(beyond)) {
    throw new PolicyError('cfun.beyondBudget', `must be one of ${BEYOND_BUDGET_ACTIONS.join(', ')}, got ${describe(beyond)}`);
  }
  return {
    perHour,
    perDay,
    beyondBudget: beyond as BeyondBudgetAction,
    maxDelayMs: integerAt(fields, 'maxDelayMs', 'cfun', { min: 0, max: DAY_MS, fallback: defaults.maxDelayMs }),
    coalesceWindowMs: integerAt(fields, 'coalesceWindowMs', 'cfun', { min: 0, max: DAY_MS, fallback: defaults.coalesceWindowMs }),
  };
}

/** `AT+QNVR`, `+qnvr`, `QNVR` → `+QNVR`. */
export function commandName(text: string): string {
  const bare = text.trim().toUpperCase().replace(/^AT/, '');
  return bare.startsWith('+') ? bare : `+${bare}`;
}

function parseAllow(value: unknown): readonly string[] {
  if (value === undefined) return DEFAULT_AT_POLICY.allowCommands;
  if (!Array.isArray(value)) throw new PolicyError('allowCommands', `must be a list of command names such as ["AT+QNVR"], got ${describe(value)}`);
  const known = DANGEROUS_COMMANDS.map((entry) => entry.name);
  return value.map((item: unknown, index) => {
    if (typeof item !== 'string' || !/^\s*(AT)?\+?[A-Z0-9&$^]+\s*$/i.test(item)) throw new PolicyError(`allowCommands[${index}]`, `must be a command name such as "AT+QNVR", got ${describe(item)}`);
    const name = commandName(item);
    if (!known.includes(name)) throw new PolicyError(`allowCommands[${index}]`, `${name} is not refused in the first place (refused: ${known.join(', ')})`);
    return name;
  });
}

/** The policy from configuration data, defaults filled in; PolicyError names the first bad field. */
export function parseAtPolicy(value: unknown = {}): AtPolicy {
  const fields = objectAt(value, '');
  refuseUnknown(fields, ['cfun', 'queryThenSet', 'allowCommands'], '');
  const queryThenSet = fields['queryThenSet'] ?? DEFAULT_AT_POLICY.queryThenSet;
  if (typeof queryThenSet !== 'boolean') throw new PolicyError('queryThenSet', `must be true or false, got ${describe(queryThenSet)}`);
  return { cfun: parseCfun(fields['cfun']), queryThenSet, allowCommands: parseAllow(fields['allowCommands']) };
}
