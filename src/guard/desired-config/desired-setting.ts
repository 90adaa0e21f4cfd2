import { persistentSettings } from '../../modem/persistent-settings.js';
import { PolicyError } from '../policy/errors.js';

// The desired configuration as data (issue #5; eg25-manager's [at] list, quectel-ec25.md §5.3):
// a list of settings applied after every boot with query-then-set. Two forms:
//   { setting: "usbnet", value: "0" }      a persistent setting known to src/modem/persistent-settings.ts
//   { key, query, expect, set }            anything else: the query, the information line it
//                                          should answer, and the command that sets it

export interface KnownSettingInput {
  readonly setting: string;
  readonly value: string | readonly string[];
  /** false: drift is recorded ("reported") but not set back. Default true. */
  readonly correct?: boolean;
}

export interface RawSettingInput {
  readonly key: string;
  readonly query: string;
  /** The information line the query answers when the setting is right, e.g. `+QDAI: 1,1,0,1,0,0,1,1`. */
  readonly expect: string;
  readonly set: string;
  readonly correct?: boolean;
}

export type DesiredSettingInput = KnownSettingInput | RawSettingInput;

/** One setting ready to apply. */
export interface DesiredSetting {
  /** For events: `QCFG "usbnet"`. */
  readonly key: string;
  readonly query: string;
  readonly set: string;
  readonly correct: boolean;
  /** Known settings: the response prefix and values; raw ones: the expected line. */
  readonly expect: { readonly prefix: string; readonly name: string; readonly values: readonly string[] } | { readonly line: string };
}

function formatValue(value: string, quote: boolean): string {
  return quote || !/^(0x)?[0-9a-f]+$/i.test(value) ? `"${value}"` : value;
}

const SINGLE_LINE = /^[^\r\n;]*$/;

function knownSetting(input: KnownSettingInput, path: string, correct: boolean): DesiredSetting {
  const entry = persistentSettings.find((candidate) => candidate.key.toLowerCase() === input.setting.toLowerCase());
  if (entry === undefined) {
    throw new PolicyError(`${path}.setting`, `"${input.setting}" is not a known persistent setting (known: ${persistentSettings.map((candidate) => candidate.key).join(', ')}); use the { key, query, expect, set } form for others`);
  }
  const values = typeof input.value === 'string' ? [input.value] : [...input.value];
  if (values.length === 0 || values.some((value) => typeof value !== 'string' || value === '' || !/^[^\r\n;",]+$/.test(value))) {
    throw new PolicyError(`${path}.value`, 'must be a value or a list of values without quotes, commas, semicolons or line breaks');
  }
  const isUrcPort = entry.key === 'urcport';
  const prefix = isUrcPort ? '+QURCCFG:' : '+QCFG:';
  const command = isUrcPort ? 'AT+QURCCFG' : 'AT+QCFG';
  return {
    key: `${isUrcPort ? 'QURCCFG' : 'QCFG'} "${entry.key}"`,
    query: entry.query,
    set: `${command}="${entry.key}",${values.map((value) => formatValue(value, isUrcPort)).join(',')}`,
    correct,
    expect: { prefix, name: entry.key, values },
  };
}

/** Checks one entry of the list as it comes from the configuration file. */
export function parseDesiredSetting(value: unknown, path: string): DesiredSetting {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new PolicyError(path, 'must be an object: { setting, value } or { key, query, expect, set }');
  const fields = value as Readonly<Record<string, unknown>>;
  const correct = fields['correct'] ?? true;
  if (typeof correct !== 'boolean') throw new PolicyError(`${path}.correct`, 'must be true or false');
  if ('setting' in fields) {
    for (const key of Object.keys(fields)) if (!['setting', 'value', 'correct'].includes(key)) throw new PolicyError(`${path}.${key}`, 'unknown field (known: setting, value, correct)');
    if (typeof fields['setting'] !== 'string') throw new PolicyError(`${path}.setting`, 'must be a setting name such as "usbnet"');
    const raw = fields['value'];
    if (typeof raw !== 'string' && !(Array.isArray(raw) && raw.every((item) => typeof item === 'string'))) throw new PolicyError(`${path}.value`, 'must be a string or a list of strings');
    return knownSetting({ setting: fields['setting'], value: raw }, path, correct);
  }
  for (const key of Object.keys(fields)) if (!['key', 'query', 'expect', 'set', 'correct'].includes(key)) throw new PolicyError(`${path}.${key}`, 'unknown field (known: key, query, expect, set, correct)');
  const text = (name: string, pattern: RegExp, what: string): string => {
    const field = fields[name];
    if (typeof field !== 'string' || !pattern.test(field)) throw new PolicyError(`${path}.${name}`, `must be ${what}`);
    return field.trim();
  };
  return {
    key: text('key', /^[^\r\n]{1,120}$/, 'a name of 1 to 120 characters'),
    query: text('query', /^\s*AT[^\r\n;]+$/i, 'one AT command (the query), e.g. "AT+QDAI?"'),
    set: text('set', /^\s*AT[^\r\n]+$/i, 'one AT command line (the set), e.g. "AT+QDAI=1,1,0,1,0,0,1,1"'),
    correct,
    expect: { line: text('expect', SINGLE_LINE, 'the information line the query answers, e.g. "+QDAI: 1,1,0,1,0,0,1,1"') },
  };
}

/** Checks the whole list; PolicyError names the first bad entry (`desiredConfig[2].value`). */
export function parseDesiredConfig(value: unknown, path = 'desiredConfig'): DesiredSetting[] {
  if (!Array.isArray(value)) throw new PolicyError(path, 'must be a list of settings');
  return value.map((item: unknown, index) => parseDesiredSetting(item, `${path}[${index}]`));
}
