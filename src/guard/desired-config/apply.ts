import type { AtResponse } from '../../protocols/at/response.js';
import type { EventInput } from '../events/event.js';
import { sameValues, valuesInResponse } from '../policy/setting-values.js';
import type { DesiredSetting } from './desired-setting.js';

// Query-then-set after every boot (eg25-manager, quectel-ec25.md §5.3): read each setting, and
// only when it differs from the desired value record the drift and set it back once. An ERROR is
// retried after 500 ms, up to 3 times, then the setting is skipped — eg25-manager's rule, for a
// module that answers ERROR for a moment after RDY.

export interface ApplyOptions {
  /** Sends one command line to the module; resolves on OK, rejects otherwise. */
  readonly run: (command: string) => Promise<AtResponse>;
  /** Where config-drift and nv-write events go. */
  readonly record: (event: EventInput) => void;
  readonly sleep: (ms: number) => Promise<void>;
  /** Who applies it, for the events. Default "guard". */
  readonly by?: string;
}

export type SettingStatus = 'ok' | 'corrected' | 'drift-reported' | 'failed';

export interface SettingResult {
  readonly key: string;
  readonly status: SettingStatus;
  /** What the module reported when it differed. */
  readonly actual?: string;
  readonly error?: string;
}

const RETRIES = 3;
const RETRY_MS = 500;

async function withRetries(options: ApplyOptions, command: string): Promise<AtResponse> {
  let last: unknown;
  for (let attempt = 0; attempt <= RETRIES; attempt++) {
    if (attempt > 0) await options.sleep(RETRY_MS);
    try {
      return await options.run(command);
    } catch (error) {
      last = error;
    }
  }
  throw last instanceof Error ? last : new Error(String(last));
}

function normaliseLine(line: string): string {
  return line.replace(/\s+/g, '').toLowerCase();
}

/** What the module has, as text for the event, and whether it is the desired value. */
function compare(setting: DesiredSetting, response: AtResponse): { readonly same: boolean; readonly actual: string; readonly expected: string } {
  const { expect } = setting;
  if ('line' in expect) {
    const same = response.lines.some((line) => normaliseLine(line) === normaliseLine(expect.line));
    return { same, actual: response.lines.join(' | ').slice(0, 200), expected: expect.line.slice(0, 200) };
  }
  const values = valuesInResponse(response.lines, expect.prefix, expect.name);
  return { same: values !== undefined && sameValues(values, expect.values), actual: (values ?? response.lines).join(',').slice(0, 200), expected: expect.values.join(',').slice(0, 200) };
}

async function applyOne(setting: DesiredSetting, options: ApplyOptions): Promise<SettingResult> {
  const by = options.by ?? 'guard';
  let state: ReturnType<typeof compare>;
  try {
    state = compare(setting, await withRetries(options, setting.query));
  } catch (error) {
    return { key: setting.key, status: 'failed', error: `query ${setting.query}: ${message(error)}` };
  }
  if (state.same) return { key: setting.key, status: 'ok' };
  const drift = (action: 'corrected' | 'reported'): void => {
    options.record({ type: 'config-drift', data: { key: setting.key.slice(0, 120), expected: state.expected, actual: state.actual, action } });
  };
  if (!setting.correct) {
    drift('reported');
    return { key: setting.key, status: 'drift-reported', actual: state.actual };
  }
  try {
    await withRetries(options, setting.set);
  } catch (error) {
    drift('reported');
    return { key: setting.key, status: 'failed', actual: state.actual, error: `set ${setting.set}: ${message(error)}` };
  }
  drift('corrected');
  options.record({ type: 'nv-write', data: { command: setting.set.slice(0, 512), outcome: 'written', by } });
  return { key: setting.key, status: 'corrected', actual: state.actual };
}

/** Applies the list in order; one failed setting does not stop the others. */
export async function applyDesiredConfig(settings: readonly DesiredSetting[], options: ApplyOptions): Promise<SettingResult[]> {
  const results: SettingResult[] = [];
  for (const setting of settings) results.push(await applyOne(setting, options));
  return results;
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
