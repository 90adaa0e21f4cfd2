// One rework record: what a technician (or a batch run) did to one unit and how it ended
// (issue #4 §3). The fields and their meaning are the contract with the fleet server (#6), which
// imports `medic log --json`: README.md beside this file documents them, and `schema` is raised
// whenever a field changes meaning or a required one is added.

export const REWORK_SCHEMA_VERSION = 1;

export const reworkOutcomes = [
  /** Flashed and read back: the module holds the package. */
  'verified',
  /** Flashed without the read-back (--no-verify). */
  'flashed',
  /** A calibration backup was written back. */
  'restored',
  /** Refused before anything was written: the module is as it was. */
  'refused',
  /** Stopped after the first write; the module falls back to 9008 and the backup is on disk. */
  'failed-recoverable',
  /** Could not reach or talk to the module, or an error of the tool itself. */
  'failed',
  /** A diagnosis ran; the verdict says what it found. */
  'diagnosed',
] as const;

export type ReworkOutcome = (typeof reworkOutcomes)[number];

export type ObservationValue = string | number | boolean;

export interface ReworkUnit {
  /** 15 digits (AT+GSN). */
  readonly imei?: string;
  /** The chip serial from Sahara command mode, 8 lower-case hex digits. */
  readonly serial?: string;
  /** The kernel USB path the unit was on (a bench slot), e.g. 1-1.2. */
  readonly usbPath?: string;
  /** The tty or TCP address used. */
  readonly port?: string;
}

export interface ReworkVerdict {
  /** A stable cause id (e.g. boot-chain-corrupt) from the diagnosis rules. */
  readonly cause: string;
  /** 0..1. */
  readonly confidence?: number;
  readonly summary?: string;
}

export interface ReworkRecord {
  readonly schema: typeof REWORK_SCHEMA_VERSION;
  /** Unique per record (UUID). */
  readonly id: string;
  /** When the run ended, ISO 8601 UTC. */
  readonly time: string;
  readonly tool: { readonly name: string; readonly version: string };
  /** The command that ran: flash, flash --all, flash --restore-calibration, diagnose. */
  readonly command: string;
  readonly unit: ReworkUnit;
  /** Firmware revision before and after (AT+QGMR form), where known. */
  readonly revision: { readonly before?: string; readonly after?: string };
  /** Bench and host observations (diagnose's --observe keys; flash adds none or a few). */
  readonly observations: Readonly<Record<string, ObservationValue>>;
  readonly verdict?: ReworkVerdict;
  /** What was done, in order, in plain words. */
  readonly actions: readonly string[];
  readonly outcome: ReworkOutcome;
  /** Why it did not end well: the MedicError's code, message and hint. */
  readonly error?: { readonly code: string; readonly message: string; readonly hint?: string };
  /** What should happen next to this unit, when anything should. */
  readonly next?: string;
  readonly backupDirectory?: string;
  readonly logFile?: string;
  readonly seconds?: number;
  /** Shared by the records of one `medic flash --all` run. */
  readonly batch?: string;
}

/** What a caller gives; the store fills in schema, id, time and (by default) the tool. */
export type ReworkRecordInput = Omit<ReworkRecord, 'schema' | 'id' | 'time' | 'tool' | 'observations' | 'actions' | 'revision' | 'unit'> & {
  readonly tool?: ReworkRecord['tool'];
  readonly time?: Date;
  readonly unit?: ReworkUnit;
  readonly revision?: ReworkRecord['revision'];
  readonly observations?: ReworkRecord['observations'];
  readonly actions?: readonly string[];
};

export type RecordCheck = { readonly ok: true; readonly record: ReworkRecord } | { readonly ok: false; readonly reason: string };

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const optionalString = (value: unknown): boolean => value === undefined || typeof value === 'string';

/** Checks a parsed line against the schema (what a reader needs to trust the fields it shows). */
export function checkReworkRecord(value: unknown): RecordCheck {
  if (!isObject(value)) return { ok: false, reason: 'not a JSON object' };
  if (value['schema'] !== REWORK_SCHEMA_VERSION) return { ok: false, reason: `schema ${JSON.stringify(value['schema'])}, this medic reads ${REWORK_SCHEMA_VERSION}` };
  for (const key of ['id', 'time', 'command'] as const) if (typeof value[key] !== 'string') return { ok: false, reason: `${key} is not a string` };
  if (Number.isNaN(Date.parse(value['time'] as string))) return { ok: false, reason: 'time is not a date' };
  const tool = value['tool'];
  if (!isObject(tool) || typeof tool['name'] !== 'string' || typeof tool['version'] !== 'string') return { ok: false, reason: 'tool needs name and version' };
  const unit = value['unit'];
  if (!isObject(unit) || !['imei', 'serial', 'usbPath', 'port'].every((key) => optionalString(unit[key]))) return { ok: false, reason: 'unit is not {imei?, serial?, usbPath?, port?}' };
  const revision = value['revision'];
  if (!isObject(revision) || !optionalString(revision['before']) || !optionalString(revision['after'])) return { ok: false, reason: 'revision is not {before?, after?}' };
  const observations = value['observations'];
  if (!isObject(observations) || !Object.values(observations).every((entry) => ['string', 'number', 'boolean'].includes(typeof entry))) return { ok: false, reason: 'observations must map names to strings, numbers or booleans' };
  const actions = value['actions'];
  if (!Array.isArray(actions) || !actions.every((entry) => typeof entry === 'string')) return { ok: false, reason: 'actions is not a list of strings' };
  if (!(reworkOutcomes as readonly unknown[]).includes(value['outcome'])) return { ok: false, reason: `outcome ${JSON.stringify(value['outcome'])} is not one of ${reworkOutcomes.join(', ')}` };
  const verdict = value['verdict'];
  if (verdict !== undefined && (!isObject(verdict) || typeof verdict['cause'] !== 'string')) return { ok: false, reason: 'verdict needs a cause' };
  const error = value['error'];
  if (error !== undefined && (!isObject(error) || typeof error['code'] !== 'string' || typeof error['message'] !== 'string')) return { ok: false, reason: 'error needs code and message' };
  for (const key of ['next', 'backupDirectory', 'logFile', 'batch'] as const) if (!optionalString(value[key])) return { ok: false, reason: `${key} is not a string` };
  if (value['seconds'] !== undefined && typeof value['seconds'] !== 'number') return { ok: false, reason: 'seconds is not a number' };
  return { ok: true, record: value as unknown as ReworkRecord };
}
