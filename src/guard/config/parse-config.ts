import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, isAbsolute, resolve } from 'node:path';
import { parse, TomlError } from 'smol-toml';
import { UNIT_ID_PATTERN } from '../events/event-types.js';
import type { FsyncPolicy } from '../journal/journal-options.js';
import { LADDER_STEPS, SIGNALS, type Budget, type GpioConfig, type GuardConfig, type LadderStep, type Level, type ProxyApp, type ProxyConfig, type UplinkConfig, type RecoveryConfig, type Signal, type SignalLevels, type VbatConfig } from './config.js';
import { GuardConfigError } from './errors.js';
import { TIMINGS, timingNames, type TimingName } from './timings.js';
import { parseDesiredConfig } from '../desired-config/desired-setting.js';
import { PolicyError } from '../policy/errors.js';
import { parseAtPolicy } from '../policy/validate-policy.js';
import { booleanOr, describe, keyPath, numberOr, oneOfStrings, optionalNumber, optionalString, requiredString, table } from './toml-table.js';

// The guard's TOML file → GuardConfig, or a GuardConfigError naming the key (config.ts has the
// meaning of every setting, example.toml a commented board file).

const TOP_KEYS = ['unit', 'time_scale', 'timeout_floor_ms', 'journal', 'module', 'gpio', 'timings', 'recovery', 'vbat', 'proxy', 'desired_config', 'uplink'] as const;
const LEVELS: readonly Level[] = ['low', 'high'];

/** Hardware boards: PWRKEY and RESET_N through an NPN transistor (PinePhone, §4.2), STATUS low while running (§4.5). */
export const BOARD_DEFAULT_LEVELS: SignalLevels = { vbat_enable: 'high', pwrkey: 'high', reset_n: 'high', status: 'low', usb_boot: 'high' };
/** The simulator's pins are the module's own: PWRKEY and RESET_N are pulled low, no transistor. */
export const SIM_DEFAULT_LEVELS: SignalLevels = { vbat_enable: 'high', pwrkey: 'low', reset_n: 'low', status: 'low', usb_boot: 'high' };

export interface ParseOptions {
  /** Relative paths in the file are taken from here (the file's directory). */
  readonly baseDir?: string;
}

export function parseGuardConfig(text: string, options: ParseOptions = {}): GuardConfig {
  let raw: unknown;
  try {
    raw = parse(text);
  } catch (error) {
    if (error instanceof TomlError) throw new GuardConfigError('', `not valid TOML at line ${error.line}, column ${error.column}: ${error.message.split('\n')[0] ?? ''}`, 'Fix the syntax; the file is TOML (https://toml.io).');
    throw error;
  }
  const top = table(raw, '', TOP_KEYS);
  const base = options.baseDir ?? process.cwd();
  const path = (value: string): string => (isAbsolute(value) ? value : resolve(base, value));

  const unit = requiredString(top, '', 'unit');
  if (!new RegExp(UNIT_ID_PATTERN, 'u').test(unit)) throw new GuardConfigError('unit', `"${unit}" is not a unit id: letters, digits and . _ : - only, at most 64, starting with a letter or digit`);
  const timeScale = numberOr(top, '', 'time_scale', { min: Number.MIN_VALUE, max: 1, default: 1 });
  const gpio = parseGpio(top['gpio'], path);
  if (timeScale !== 1 && gpio.backend !== 'sim') {
    throw new GuardConfigError('time_scale', `${timeScale} is only for a simulated module; a real one keeps datasheet time`, 'Remove time_scale, or use [gpio] backend = "sim".');
  }
  const timeoutFloorMs = numberOr(top, '', 'timeout_floor_ms', { min: 0, max: 600_000, default: 2000 });
  return {
    unit,
    timeScale,
    timeoutFloorMs,
    journal: parseJournal(top['journal'], path),
    module: parseModule(top['module'], gpio, path),
    gpio,
    timings: parseTimings(top['timings']),
    recovery: parseRecovery(top['recovery']),
    vbat: parseVbat(top['vbat']),
    ...(top['proxy'] === undefined ? {} : { proxy: parseProxy(top['proxy'], path) }),
    ...(top['uplink'] === undefined ? {} : { uplink: parseUplink(top['uplink'], path) }),
    desiredConfig: parseDesired(top['desired_config']),
  };
}

/** Reads and parses the file; relative paths in it are taken from its directory. */
export async function loadGuardConfig(file: string): Promise<GuardConfig> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new GuardConfigError('', `cannot read the guard configuration ${file}: ${error instanceof Error ? error.message : String(error)}`, 'Pass --config with the path of the TOML file (an example is src/guard/config/example.toml).');
  }
  try {
    return parseGuardConfig(text, { baseDir: dirname(resolve(file)) });
  } catch (error) {
    if (error instanceof GuardConfigError) throw new GuardConfigError('', `${file}: ${error.message}`, error.hint);
    throw error;
  }
}

function parseJournal(value: unknown, path: (p: string) => string): GuardConfig['journal'] {
  const journal = table(value, 'journal', ['dir', 'fsync', 'fsync_interval_ms', 'max_bytes', 'keep_files']);
  const mode = oneOfStrings(journal, 'journal', 'fsync', ['every-record', 'interval']) ?? 'every-record';
  const interval = optionalNumber(journal, 'journal', 'fsync_interval_ms', { min: 1, max: 600_000, integer: true });
  if (mode === 'every-record' && interval !== undefined) throw new GuardConfigError('journal.fsync_interval_ms', 'only applies with fsync = "interval"');
  const fsync: FsyncPolicy = mode === 'interval' ? { intervalMs: interval ?? 1000 } : 'every-record';
  const maxBytes = optionalNumber(journal, 'journal', 'max_bytes', { min: 1024, max: 1 << 30, integer: true });
  const keepFiles = optionalNumber(journal, 'journal', 'keep_files', { min: 1, max: 10_000, integer: true });
  return { dir: path(requiredString(journal, 'journal', 'dir')), fsync, ...(maxBytes === undefined ? {} : { maxBytes }), ...(keepFiles === undefined ? {} : { keepFiles }) };
}

function parseModule(value: unknown, gpio: GpioConfig, path: (p: string) => string): GuardConfig['module'] {
  const module = table(value, 'module', ['at_port', 'sysfs_root', 'usb_path']);
  const atPort = optionalString(module, 'module', 'at_port');
  if (atPort === undefined && gpio.backend !== 'sim') throw new GuardConfigError('module.at_port', 'is required (e.g. "/dev/ttyUSB2"; `medic scan` lists it)', 'Only the sim backend finds the AT port by itself, in the simulator\'s sim.json.');
  const usbPath = optionalString(module, 'module', 'usb_path');
  const sysfs = optionalString(module, 'module', 'sysfs_root');
  const sysfsRoot = sysfs === undefined ? (gpio.backend === 'sim' ? resolve(gpio.stateDir, 'sys') : '/sys') : path(sysfs);
  return { sysfsRoot, ...(atPort === undefined ? {} : { atPort: path(atPort) }), ...(usbPath === undefined ? {} : { usbPath }) };
}

function parseLevels(value: unknown, defaults: SignalLevels): SignalLevels {
  const levels = table(value, 'gpio.levels', SIGNALS);
  const result: Record<Signal, Level> = { ...defaults };
  for (const signal of SIGNALS) result[signal] = oneOfStrings(levels, 'gpio.levels', signal, LEVELS) ?? defaults[signal];
  return result;
}

function parseGpio(value: unknown, path: (p: string) => string): GpioConfig {
  const gpio = table(value, 'gpio', ['backend', 'chip', 'lines', 'levels', 'state_dir', 'supply_volts']);
  const backend = oneOfStrings(gpio, 'gpio', 'backend', ['gpiod', 'sim', 'none']);
  if (backend === undefined) throw new GuardConfigError('gpio.backend', 'is required: "gpiod" (Linux GPIO character device via libgpiod\'s tools), "sim" (a simulated module) or "none" (no GPIO; STATUS from USB presence)');
  const refuse = (keys: readonly string[]): void => {
    for (const key of keys) if (gpio[key] !== undefined) throw new GuardConfigError(keyPath('gpio', key), `does not apply to backend = "${backend}"`);
  };
  if (backend === 'gpiod') {
    refuse(['state_dir', 'supply_volts']);
    const linesTable = table(gpio['lines'], 'gpio.lines', SIGNALS);
    const lines: Partial<Record<Signal, number>> = {};
    for (const signal of SIGNALS) {
      const offset = optionalNumber(linesTable, 'gpio.lines', signal, { min: 0, max: 65_535, integer: true });
      if (offset !== undefined) lines[signal] = offset;
    }
    const seen = new Map<number, Signal>();
    for (const [signal, offset] of Object.entries(lines) as [Signal, number][]) {
      const other = seen.get(offset);
      if (other !== undefined) throw new GuardConfigError(keyPath('gpio.lines', signal), `line ${offset} is already ${other}`);
      seen.set(offset, signal);
    }
    if (lines.pwrkey === undefined) throw new GuardConfigError('gpio.lines.pwrkey', 'is required with backend = "gpiod": the guard cannot power the module on or off without PWRKEY', 'Give the line offset on the chip (`gpioinfo` lists them), or use backend = "none" when the board powers the module by itself.');
    return { backend, chip: requiredString(gpio, 'gpio', 'chip'), lines, levels: parseLevels(gpio['levels'], BOARD_DEFAULT_LEVELS) };
  }
  if (backend === 'sim') {
    refuse(['chip', 'lines']);
    const supplyVolts = numberOr(gpio, 'gpio', 'supply_volts', { min: 2.5, max: 4.5, default: 3.8 });
    return { backend, stateDir: path(requiredString(gpio, 'gpio', 'state_dir')), levels: parseLevels(gpio['levels'], SIM_DEFAULT_LEVELS), supplyVolts };
  }
  refuse(['chip', 'lines', 'state_dir', 'supply_volts']);
  return { backend, levels: parseLevels(gpio['levels'], BOARD_DEFAULT_LEVELS) };
}

function parseTimings(value: unknown): GuardConfig['timings'] {
  const timings = table(value, 'timings', [...timingNames, 'out_of_spec']);
  const outOfSpecRaw = timings['out_of_spec'] ?? [];
  if (!Array.isArray(outOfSpecRaw) || outOfSpecRaw.some((entry) => typeof entry !== 'string')) throw new GuardConfigError('timings.out_of_spec', `must be a list of timing names, got ${describe(outOfSpecRaw)}`);
  const outOfSpec = outOfSpecRaw as string[];
  for (const name of outOfSpec) {
    if (!(timingNames as string[]).includes(name)) throw new GuardConfigError('timings.out_of_spec', `"${name}" is not a timing`, `Timings: ${timingNames.join(', ')}.`);
  }
  const result = {} as Record<TimingName, number>;
  for (const name of timingNames) {
    const spec = TIMINGS[name];
    const given = optionalNumber(timings, 'timings', name, { min: 0, max: 3_600_000 });
    if (given !== undefined && (given < spec.minMs || given > spec.maxMs) && !outOfSpec.includes(name)) {
      throw new GuardConfigError(keyPath('timings', name), `${given} ms is outside the datasheet window ${spec.minMs}–${spec.maxMs} ms (${spec.source})`, `Use a value in the window, or list "${name}" in timings.out_of_spec if this board really needs it.`);
    }
    result[name] = given ?? spec.defaultMs;
  }
  if (result.status_on_min_ms > result.status_on_timeout_ms) throw new GuardConfigError('timings.status_on_min_ms', `${result.status_on_min_ms} ms is longer than status_on_timeout_ms (${result.status_on_timeout_ms} ms)`);
  return result;
}

const DEFAULT_BUDGETS: Readonly<Record<LadderStep, Budget>> = {
  // Issue #5: "at most 3 power cycles an hour"; a CFUN reset writes NV too (§5.1), so it is capped as well.
  'cfun-reset': { max: 4, windowMs: 3_600_000 },
  'pwrkey-cycle': { max: 3, windowMs: 3_600_000 },
  'vbat-cycle': { max: 2, windowMs: 3_600_000 },
};

function parseRecovery(value: unknown): RecoveryConfig {
  const recovery = table(value, 'recovery', ['probe_interval_s', 'silent_after_probes', 'retry_after_s', 'budgets']);
  const budgetKeys = LADDER_STEPS.map((step) => step.replace('-', '_'));
  const budgetsTable = table(recovery['budgets'], 'recovery.budgets', budgetKeys);
  const budgets = {} as Record<LadderStep, Budget>;
  for (const step of LADDER_STEPS) {
    const key = step.replace('-', '_');
    const path = keyPath('recovery.budgets', key);
    const entry = table(budgetsTable[key], path, ['max', 'window_s']);
    const fallback = DEFAULT_BUDGETS[step];
    budgets[step] = {
      max: numberOr(entry, path, 'max', { min: 0, max: 1000, integer: true, default: fallback.max }),
      windowMs: numberOr(entry, path, 'window_s', { min: 1, max: 30 * 86_400, default: fallback.windowMs / 1000 }) * 1000,
    };
  }
  return {
    probeIntervalMs: numberOr(recovery, 'recovery', 'probe_interval_s', { min: 1, max: 3600, default: 10 }) * 1000,
    silentAfterProbes: numberOr(recovery, 'recovery', 'silent_after_probes', { min: 1, max: 100, integer: true, default: 3 }),
    retryAfterMs: numberOr(recovery, 'recovery', 'retry_after_s', { min: 1, max: 86_400, default: 600 }) * 1000,
    budgets,
  };
}

function parseVbat(value: unknown): VbatConfig {
  const vbat = table(value, 'vbat', ['sample_interval_s', 'dip_threshold_mv', 'record_samples']);
  return {
    sampleIntervalMs: numberOr(vbat, 'vbat', 'sample_interval_s', { min: 1, max: 86_400, default: 60 }) * 1000,
    dipThresholdMv: numberOr(vbat, 'vbat', 'dip_threshold_mv', { min: 2500, max: 4500, integer: true, default: 3300 }),
    recordSamples: booleanOr(vbat, 'vbat', 'record_samples', true),
  };
}

/**
 * The file speaks snake_case and seconds like the rest of it; the policy (policy/policy.ts) is
 * checked by its own validator, so its errors are renamed back to the keys the user wrote.
 */
const POLICY_KEYS: Readonly<Record<string, { readonly name: string; readonly msPerUnit?: number }>> = {
  query_then_set: { name: 'queryThenSet' },
  allow_commands: { name: 'allowCommands' },
  per_hour: { name: 'perHour' },
  per_day: { name: 'perDay' },
  beyond_budget: { name: 'beyondBudget' },
  max_delay_s: { name: 'maxDelayMs', msPerUnit: 1000 },
  coalesce_window_s: { name: 'coalesceWindowMs', msPerUnit: 1000 },
};

function toPolicyFields(value: unknown, path: string): Record<string, unknown> {
  const fields = table(value, path, [...Object.keys(POLICY_KEYS), 'cfun']);
  const out: Record<string, unknown> = {};
  for (const [key, raw] of Object.entries(fields)) {
    if (key === 'cfun') {
      out['cfun'] = toPolicyFields(raw, keyPath(path, 'cfun'));
      continue;
    }
    const spec = POLICY_KEYS[key];
    if (spec === undefined) continue;
    out[spec.name] = spec.msPerUnit !== undefined && typeof raw === 'number' ? raw * spec.msPerUnit : raw;
  }
  return out;
}

function snakePath(path: string): string {
  const names = new Map(Object.entries(POLICY_KEYS).map(([snake, spec]) => [spec.name, snake]));
  return path.split('.').map((part) => names.get(part) ?? part).join('.');
}

function parseProxy(value: unknown, path: (p: string) => string): ProxyConfig {
  const proxy = table(value, 'proxy', ['apps', 'socket', 'policy']);
  const appsRaw = proxy['apps'] ?? [{ name: 'app' }];
  if (!Array.isArray(appsRaw)) throw new GuardConfigError('proxy.apps', `must be a list of [[proxy.apps]] tables, got ${describe(appsRaw)}`);
  const apps = appsRaw.map((entry: unknown, index): ProxyApp => {
    const where = `proxy.apps[${index}]`;
    const app = table(entry, where, ['name', 'link']);
    const name = requiredString(app, where, 'name');
    const link = optionalString(app, where, 'link');
    return { name, ...(link === undefined ? {} : { link: path(link) }) };
  });
  const names = new Set<string>();
  for (const app of apps) {
    if (names.has(app.name)) throw new GuardConfigError('proxy.apps', `two applications are named "${app.name}"`, 'Each application gets its own pseudo-terminal and its own name in the risk events.');
    names.add(app.name);
  }
  const socket = optionalString(proxy, 'proxy', 'socket');
  let policy;
  try {
    policy = parseAtPolicy(toPolicyFields(proxy['policy'], 'proxy.policy'));
  } catch (error) {
    if (error instanceof PolicyError) throw new GuardConfigError(keyPath('proxy.policy', snakePath(error.path)), typeof error.details['problem'] === 'string' ? error.details['problem'] : error.message);
    throw error;
  }
  return { apps, policy, ...(socket === undefined ? {} : { socketPath: path(socket) }) };
}

function parseDesired(value: unknown): GuardConfig['desiredConfig'] {
  if (value === undefined) return [];
  try {
    return parseDesiredConfig(value, 'desired_config');
  } catch (error) {
    if (error instanceof PolicyError) throw new GuardConfigError(error.path, typeof error.details['problem'] === 'string' ? error.details['problem'] : error.message, 'Each [[desired_config]] entry is { setting, value } (a persistent setting medic knows) or { key, query, expect, set }.');
    throw error;
  }
}

function parseUplink(value: unknown, path: (p: string) => string): UplinkConfig {
  const uplink = table(value, 'uplink', ['transport', 'url', 'secret', 'secret_file', 'topic_prefix', 'batch_max']);
  const transport = oneOfStrings(uplink, 'uplink', 'transport', ['mqtt', 'http']);
  if (transport === undefined) throw new GuardConfigError('uplink.transport', 'is required: "mqtt" (the fleet server\'s broker) or "http" (POST /api/v1/events)');
  const url = requiredString(uplink, 'uplink', 'url');
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new GuardConfigError('uplink.url', `"${url}" is not a URL`, transport === 'mqtt' ? 'e.g. mqtt://fleet.example:1883' : 'e.g. http://fleet.example:8080');
  }
  const schemes = transport === 'mqtt' ? ['mqtt:', 'mqtts:'] : ['http:', 'https:'];
  if (!schemes.includes(parsed.protocol)) throw new GuardConfigError('uplink.url', `${parsed.protocol} does not go with transport = "${transport}" (${schemes.join(' or ')})`);
  const inline = optionalString(uplink, 'uplink', 'secret');
  const file = optionalString(uplink, 'uplink', 'secret_file');
  if ((inline === undefined) === (file === undefined)) throw new GuardConfigError('uplink.secret', 'give either secret or secret_file (the unit\'s secret from `medic fleet unit add`)', 'A secret_file readable only by the guard keeps the secret out of the board file.');
  let secret = inline;
  if (file !== undefined) {
    try {
      secret = readFileSync(path(file), 'utf8').trim();
    } catch (error) {
      throw new GuardConfigError('uplink.secret_file', `cannot read ${path(file)}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  if (secret === undefined || secret === '') throw new GuardConfigError('uplink.secret', 'is empty');
  const topicPrefix = optionalString(uplink, 'uplink', 'topic_prefix');
  const batchMax = optionalNumber(uplink, 'uplink', 'batch_max', { min: 1, max: 10_000, integer: true });
  return { transport, url, secret, ...(topicPrefix === undefined ? {} : { topicPrefix }), ...(batchMax === undefined ? {} : { batchMax }) };
}
