import { GuardConfigError } from './errors.js';

// Reading one TOML table with errors that name the key and say what is allowed. Unknown keys are
// refused with the nearest known one: a typo in a board file (`pwrkey_on` for `pwrkey_on_ms`)
// must not silently leave a datasheet default in force.

export type TomlTable = Readonly<Record<string, unknown>>;

export function isTable(value: unknown): value is TomlTable {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);
}

export function keyPath(prefix: string, key: string): string {
  return prefix === '' ? key : `${prefix}.${key}`;
}

/** Levenshtein distance, for "did you mean". */
function distance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current.push(Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + cost));
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}

export function nearest(key: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const candidate of known) {
    const d = distance(key.toLowerCase(), candidate.toLowerCase());
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best !== undefined && bestDistance <= Math.max(2, Math.floor(key.length / 3)) ? best : undefined;
}

/** The table at `path` (or an empty one when absent), after refusing keys not in `known`. */
export function table(value: unknown, path: string, known: readonly string[]): TomlTable {
  if (value === undefined) return {};
  if (!isTable(value)) throw new GuardConfigError(path, `must be a table ([${path}]), got ${describe(value)}`);
  for (const key of Object.keys(value)) {
    if (known.includes(key)) continue;
    const suggestion = nearest(key, known);
    throw new GuardConfigError(keyPath(path, key), `unknown setting${suggestion === undefined ? '' : ` — did you mean "${suggestion}"?`}`, `Allowed in ${path === '' ? 'the top level' : `[${path}]`}: ${known.join(', ')}.`);
  }
  return value;
}

export function describe(value: unknown): string {
  if (Array.isArray(value)) return 'an array';
  if (value instanceof Date) return 'a date';
  if (isTable(value)) return 'a table';
  return `${typeof value} ${JSON.stringify(value)}`;
}

export function optionalString(source: TomlTable, path: string, key: string): string | undefined {
  const value = source[key];
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value.length === 0) throw new GuardConfigError(keyPath(path, key), `must be a non-empty string, got ${describe(value)}`);
  return value;
}

export function requiredString(source: TomlTable, path: string, key: string): string {
  const value = optionalString(source, path, key);
  if (value === undefined) throw new GuardConfigError(keyPath(path, key), 'is required');
  return value;
}

export interface NumberRange {
  readonly min: number;
  readonly max: number;
  readonly integer?: boolean;
}

export function optionalNumber(source: TomlTable, path: string, key: string, range: NumberRange): number | undefined {
  const value = source[key];
  if (value === undefined) return undefined;
  const name = keyPath(path, key);
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new GuardConfigError(name, `must be a number, got ${describe(value)}`);
  if (range.integer === true && !Number.isInteger(value)) throw new GuardConfigError(name, `must be a whole number, got ${value}`);
  if (value < range.min || value > range.max) throw new GuardConfigError(name, `${value} is outside the allowed range ${range.min}–${range.max}`);
  return value;
}

export function numberOr(source: TomlTable, path: string, key: string, range: NumberRange & { readonly default: number }): number {
  return optionalNumber(source, path, key, range) ?? range.default;
}

export function oneOfStrings<const V extends string>(source: TomlTable, path: string, key: string, allowed: readonly V[]): V | undefined {
  const value = source[key];
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    throw new GuardConfigError(keyPath(path, key), `must be one of ${allowed.map((entry) => `"${entry}"`).join(', ')}, got ${describe(value)}`);
  }
  return value as V;
}

export function booleanOr(source: TomlTable, path: string, key: string, fallback: boolean): boolean {
  const value = source[key];
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') throw new GuardConfigError(keyPath(path, key), `must be true or false, got ${describe(value)}`);
  return value;
}
