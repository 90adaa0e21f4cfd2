// The module's persistent state — what lives in its NV/flash and survives power cycles and
// restarts of `medic sim` with the same --state: identity, QCFG values, URC port, health of EFS and
// boot chain, wear counters. Kept apart from the environment (SIM, network, supply), which the
// scenario sets per run.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { MedicError } from '../core/errors.js';
import { JsonFileKeeper } from './atomic-file.js';
import { resolveIdentity, type IdentityOverrides, type ModuleIdentity } from './identity.js';
import { defaultQcfg, QCFG_SETTINGS, type QcfgValues } from './qcfg.js';
import { emptyWear, healthyModule, type ModuleHealth, type WearCounters } from './wear.js';

export const URC_PORTS = ['usbat', 'usbmodem', 'uart1', 'uart2', 'all'] as const;
export type UrcPort = (typeof URC_PORTS)[number];

export interface ModuleRecord {
  version: 1;
  identity: ModuleIdentity;
  qcfg: QcfgValues;
  /** AT+QURCCFG="urcport": saved to NV automatically (§3.7). */
  urcport: UrcPort;
  health: ModuleHealth;
  wear: WearCounters;
}

export const MODULE_FILE = 'module.json';

export class ModuleStore {
  readonly record: ModuleRecord;
  readonly #keeper: JsonFileKeeper;

  private constructor(record: ModuleRecord, keeper: JsonFileKeeper) {
    this.record = record;
    this.#keeper = keeper;
  }

  /** Loads `<stateDir>/module.json` (a new module when there is none) and writes it back. */
  static async open(stateDir: string, overrides: IdentityOverrides, onError: (error: unknown) => void): Promise<ModuleStore> {
    const path = join(stateDir, MODULE_FILE);
    const stored = await readStored(path);
    const identity = resolveIdentity(stored?.identity, overrides);
    const defaults = defaultQcfg(identity);
    const qcfg: QcfgValues = {};
    for (const setting of QCFG_SETTINGS) {
      const value = stored?.qcfg?.[setting.name];
      qcfg[setting.name] = Array.isArray(value) && value.length === setting.params.length && value.every((v) => typeof v === 'string') ? value : (defaults[setting.name] ?? []);
    }
    const record: ModuleRecord = {
      version: 1,
      identity,
      qcfg,
      urcport: URC_PORTS.find((port) => port === stored?.urcport) ?? 'usbat',
      health: { ...healthyModule(), ...stored?.health },
      wear: { ...emptyWear(), ...stored?.wear },
    };
    const store = new ModuleStore(record, new JsonFileKeeper(path, onError));
    store.save();
    await store.flush();
    return store;
  }

  save(): void {
    this.#keeper.update(this.record);
  }

  flush(): Promise<void> {
    return this.#keeper.flush();
  }
}

interface StoredRecord {
  identity?: ModuleIdentity;
  qcfg?: Partial<Record<string, unknown>>;
  urcport?: unknown;
  health?: Partial<ModuleHealth>;
  wear?: Partial<WearCounters>;
}

async function readStored(path: string): Promise<StoredRecord | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as { code?: unknown }).code === 'ENOENT') return undefined;
    throw new MedicError('SIM_STATE_UNREADABLE', `cannot read ${path}: ${(error as Error).message}`, { cause: error });
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw corrupt(path, error);
  }
  if (typeof parsed !== 'object' || parsed === null || (parsed as { version?: unknown }).version !== 1) throw corrupt(path);
  const identity = (parsed as { identity?: unknown }).identity;
  if (identity !== undefined && !isIdentity(identity)) throw corrupt(path);
  return parsed;
}

function isIdentity(value: unknown): value is ModuleIdentity {
  if (typeof value !== 'object' || value === null) return false;
  const record = value as Record<string, unknown>;
  return ['model', 'imei', 'revision', 'subVersion'].every((key) => typeof record[key] === 'string');
}

function corrupt(path: string, cause?: unknown): MedicError {
  return new MedicError('SIM_STATE_CORRUPT', `${path} is not a simulator module state`, {
    hint: 'Pick another --state directory, or delete that module.json to start with a new module.',
    ...(cause === undefined ? {} : { cause }),
  });
}
