import { basename } from 'node:path';
import { FlashPlanError } from './errors.js';
import type { FlashPlan } from './flash-plan.js';
import type { BackupStep } from './steps.js';
import { normaliseImei, normaliseSerial, type UnitIdentity } from './unit-identity.js';

// backup.json, written next to the partition images once every backup read has matched: which
// unit, which pages, which geometry and bad blocks, and the MD5 of each image — what a restore
// needs to put the calibration back where it came from, and to refuse another unit's (restoring a
// foreign efs2 clones its IMEI and RF calibration).

export const BACKUP_MANIFEST_FORMAT = 'modem-medic-backup';
export const BACKUP_MANIFEST_VERSION = 1;

export interface BackupManifestPartition {
  readonly name: string;
  /** File name inside the backup folder. */
  readonly file: string;
  readonly startSector: number;
  readonly numSectors: number;
  readonly bytes: number;
  readonly md5: string;
  /** How many reads were compared equal. */
  readonly reads: number;
}

export interface BackupManifest {
  readonly format: typeof BACKUP_MANIFEST_FORMAT;
  readonly version: typeof BACKUP_MANIFEST_VERSION;
  readonly createdAt: string;
  readonly unit: { readonly imei?: string; readonly serial?: string };
  readonly moduleRevision?: string;
  /** The package the backup was taken before, if any. */
  readonly packageRevision?: string;
  readonly geometry: { readonly pageSize: number; readonly pagesPerBlock: number };
  readonly badBlocks: readonly number[];
  /** bad_block_at_end="1": bad blocks skipped, 0xFF appended (edl-protocols.md §2.5). */
  readonly readMode: 'bad_block_at_end';
  readonly partitions: readonly BackupManifestPartition[];
}

export interface BackupResult {
  readonly partition: string;
  readonly md5: string;
  readonly bytes: number;
}

export interface ManifestInputs {
  readonly unit: UnitIdentity;
  readonly badBlocks?: readonly number[] | undefined;
  readonly now?: Date | undefined;
}

/** The manifest for a flash plan's backups, from what the executor measured. */
export function createBackupManifest(plan: FlashPlan, results: readonly BackupResult[], inputs: ManifestInputs): BackupManifest {
  const steps = plan.steps.filter((step): step is BackupStep => step.kind === 'backup');
  return manifestForBackups(steps, results, { ...inputs, geometry: plan.geometry, moduleRevision: plan.moduleRevision, packageRevision: plan.revision });
}

export interface BackupSetInputs extends ManifestInputs {
  readonly geometry: { readonly pageSize: number; readonly pagesPerBlock: number };
  readonly moduleRevision?: string | undefined;
  readonly packageRevision?: string | undefined;
}

/** The manifest for any set of backup steps (a flash's, `medic backup`'s, a restore's safety copy). */
export function manifestForBackups(steps: readonly BackupStep[], results: readonly BackupResult[], inputs: BackupSetInputs): BackupManifest {
  const partitions = steps.map((step) => {
    const result = results.find((entry) => entry.partition === step.partition);
    if (result === undefined) {
      throw new FlashPlanError('RESTORE_MANIFEST_INVALID', `no backup result for ${step.partition}`, { hint: 'Every backup step must have succeeded before the manifest is written.' });
    }
    return { name: step.partition, file: basename(step.file), startSector: Number(step.region.startSector), numSectors: step.region.numSectors ?? 0, bytes: result.bytes, md5: result.md5, reads: step.reads };
  });
  const imei = normaliseImei(inputs.unit.imei);
  const serial = normaliseSerial(inputs.unit.serial);
  return {
    format: BACKUP_MANIFEST_FORMAT,
    version: BACKUP_MANIFEST_VERSION,
    createdAt: (inputs.now ?? new Date()).toISOString(),
    unit: { ...(imei === undefined ? {} : { imei }), ...(serial === undefined ? {} : { serial }) },
    ...(inputs.moduleRevision === undefined ? {} : { moduleRevision: inputs.moduleRevision }),
    ...(inputs.packageRevision === undefined ? {} : { packageRevision: inputs.packageRevision }),
    geometry: { pageSize: inputs.geometry.pageSize, pagesPerBlock: inputs.geometry.pagesPerBlock },
    badBlocks: [...(inputs.badBlocks ?? [])],
    readMode: 'bad_block_at_end',
    partitions,
  };
}

export function parseBackupManifest(text: string, where: string): BackupManifest {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw invalid(where, 'is not JSON', error);
  }
  const record = asRecord(value);
  if (record?.format !== BACKUP_MANIFEST_FORMAT || record.version !== BACKUP_MANIFEST_VERSION) throw invalid(where, `is not a ${BACKUP_MANIFEST_FORMAT} v${BACKUP_MANIFEST_VERSION} manifest`);
  const geometry = asRecord(record.geometry);
  const unit = asRecord(record.unit);
  const partitions = Array.isArray(record.partitions) ? record.partitions.map(asRecord) : undefined;
  if (geometry === undefined || !isCount(geometry.pageSize) || !isCount(geometry.pagesPerBlock) || unit === undefined || partitions === undefined || typeof record.createdAt !== 'string') {
    throw invalid(where, 'lacks geometry, unit, partitions or createdAt');
  }
  const parsed: BackupManifestPartition[] = [];
  for (const entry of partitions) {
    if (entry === undefined || typeof entry.name !== 'string' || typeof entry.file !== 'string' || basename(entry.file) !== entry.file || !isCount(entry.startSector) || !isCount(entry.numSectors) || !isCount(entry.bytes) || typeof entry.md5 !== 'string' || !/^[0-9a-f]{32}$/.test(entry.md5) || !isCount(entry.reads)) {
      throw invalid(where, 'has a malformed partition entry');
    }
    parsed.push({ name: entry.name, file: entry.file, startSector: entry.startSector, numSectors: entry.numSectors, bytes: entry.bytes, md5: entry.md5, reads: entry.reads });
  }
  const badBlocks = Array.isArray(record.badBlocks) ? record.badBlocks.filter(isCount) : [];
  return {
    format: BACKUP_MANIFEST_FORMAT,
    version: BACKUP_MANIFEST_VERSION,
    createdAt: record.createdAt,
    unit: { ...(typeof unit.imei === 'string' ? { imei: unit.imei } : {}), ...(typeof unit.serial === 'string' ? { serial: unit.serial } : {}) },
    ...(typeof record.moduleRevision === 'string' ? { moduleRevision: record.moduleRevision } : {}),
    ...(typeof record.packageRevision === 'string' ? { packageRevision: record.packageRevision } : {}),
    geometry: { pageSize: geometry.pageSize, pagesPerBlock: geometry.pagesPerBlock },
    badBlocks,
    readMode: 'bad_block_at_end',
    partitions: parsed,
  };
}

export function serializeBackupManifest(manifest: BackupManifest): string {
  return `${JSON.stringify(manifest, null, 2)}\n`;
}

function asRecord(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

function invalid(where: string, what: string, cause?: unknown): FlashPlanError {
  return new FlashPlanError('RESTORE_MANIFEST_INVALID', `${where} ${what}`, {
    hint: 'Give the folder of a backup made by medic (it holds backup.json and the partition images).',
    ...(cause === undefined ? {} : { cause }),
  });
}
