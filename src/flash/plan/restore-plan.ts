import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ModuleStorage } from '../package/check-geometry.js';
import { findPartition, type NandPartitionTable } from '../package/partition-table.js';
import { inspectBackup } from './backup-inspect.js';
import { parseBackupManifest, type BackupManifest, type BackupManifestPartition } from './backup-manifest.js';
import { FlashPlanError } from './errors.js';
import { goodBlocksIn, physicalSpan } from './extents.js';
import { BACKUP_MANIFEST_FILE } from './flash-plan.js';
import { planNote, SKIP_BAD_BLOCKS, type BackupStep, type FlashStep, type PlanNote } from './steps.js';
import { planTotals, type PlanTotals } from './totals.js';
import { backupTimestamp, sameUnit, type UnitIdentity } from './unit-identity.js';

// Putting a saved efs2 (or another per-unit partition) back: what a module needs after lost RF
// calibration (+CFUN: 5, CSQ 99,99 — quectel-ec25.md §5.1). The backup was read with
// bad_block_at_end, so it holds the partition's good blocks in order with 0xFF at the end; program
// lays good blocks down in order the same way (edl-protocols.md §2.4–2.5). Only the blocks up to
// the last one holding data are written, and they must fit the partition's good blocks today, or
// the write would run into the next partition. The current contents are backed up first (into
// the backup folder, under before-restore-<time>/), so the restore loses nothing either.

export interface RestorePlanOptions {
  /** A backup folder made by a flash (holds backup.json). */
  readonly backupDirectory: string;
  readonly storage: ModuleStorage;
  /** The module being restored; must be the unit the backup came from. */
  readonly unit: UnitIdentity;
  /** Default ['efs2']. */
  readonly partitions?: readonly string[] | undefined;
  /** The module's partition table (the MIBIB, read at connect); when given, the partition must still be where it was. */
  readonly moduleTable?: NandPartitionTable | undefined;
  /** Restore another unit's backup (clones its IMEI and calibration — only for a unit's own twin). */
  readonly allowOtherUnit?: boolean | undefined;
  readonly noVerify?: boolean | undefined;
  /** Reset after; default true. */
  readonly reset?: boolean | undefined;
  readonly now?: Date | undefined;
  readonly signal?: AbortSignal | undefined;
}

export interface RestorePlan {
  readonly kind: 'restore';
  readonly backupDirectory: string;
  readonly manifest: BackupManifest;
  readonly configure: { readonly memoryName: 'nand'; readonly pagesPerBlock: number };
  /** Where the current contents are saved before they are overwritten. */
  readonly safetyBackupDirectory: string;
  readonly steps: readonly FlashStep[];
  readonly totals: PlanTotals;
  readonly notes: readonly PlanNote[];
}

export async function buildRestorePlan(options: RestorePlanOptions): Promise<RestorePlan> {
  const manifestPath = join(options.backupDirectory, BACKUP_MANIFEST_FILE);
  const text = await readFile(manifestPath, 'utf8').catch((error: unknown) => {
    throw new FlashPlanError('RESTORE_MANIFEST_INVALID', `${manifestPath} cannot be read`, { hint: 'Give the folder of a backup made by medic (it holds backup.json).', cause: error });
  });
  const manifest = parseBackupManifest(text, manifestPath);
  checkUnit(manifest, options);
  const { pageSize, pagesPerBlock } = manifest.geometry;
  if (options.storage.pageSize !== pageSize || (options.storage.pagesPerBlock !== undefined && options.storage.pagesPerBlock !== pagesPerBlock)) {
    throw new FlashPlanError('RESTORE_GEOMETRY_MISMATCH', `the backup is of ${pageSize}-byte pages × ${pagesPerBlock}; the module reports ${options.storage.pageSize ?? '?'} × ${options.storage.pagesPerBlock ?? '?'}`, {
      hint: 'This backup is not from this module\'s flash.',
    });
  }
  const safetyBackupDirectory = join(options.backupDirectory, `before-restore-${backupTimestamp(options.now ?? new Date())}`);
  const region = { sectorSize: pageSize, pagesPerBlock, physicalPartitionNumber: 0 };
  const backups: FlashStep[] = [];
  const writes: FlashStep[] = [];
  const verifies: FlashStep[] = [];
  for (const name of options.partitions ?? ['efs2']) {
    const saved = manifest.partitions.find((entry) => entry.name === name);
    if (saved === undefined) {
      throw new FlashPlanError('RESTORE_PARTITION_NOT_IN_BACKUP', `${manifestPath} has no ${name}`, { hint: `It holds ${manifest.partitions.map((entry) => entry.name).join(', ') || 'nothing'}.` });
    }
    checkStillThere(saved, options.moduleTable, pagesPerBlock);
    const file = join(options.backupDirectory, saved.file);
    const used = await inspectBackup(file, saved, { blockBytes: pageSize * pagesPerBlock, signal: options.signal });
    const usedSectors = used.blocks * pagesPerBlock;
    const good = goodBlocksIn(saved.startSector, saved.numSectors, options.storage.badBlocks, pagesPerBlock);
    if (used.blocks > good) {
      throw new FlashPlanError('RESTORE_DOES_NOT_FIT', `${name} holds data in ${used.blocks} blocks; the partition has ${good} good blocks now`, {
        hint: 'More blocks have gone bad since the backup; writing it would run into the next partition. The module needs Quectel\'s repair.',
      });
    }
    const partitionRegion = { ...region, startSector: saved.startSector, numSectors: saved.numSectors };
    backups.push({
      kind: 'backup',
      phase: 'backup',
      description: `save the current ${name} before overwriting it`,
      bytes: saved.numSectors * pageSize * 2,
      partition: name,
      region: { ...partitionRegion, extraAttributes: SKIP_BAD_BLOCKS },
      file: join(safetyBackupDirectory, `${name}.bin`),
      reads: 2,
      required: true,
      why: 'the contents being replaced',
    } satisfies BackupStep);
    writes.push({ kind: 'erase', phase: 'erase', description: `erase ${name}`, bytes: 0, region: partitionRegion, origin: { synthesized: `restore ${name} from ${saved.file}` } });
    if (used.blocks === 0) continue;
    const source = { kind: 'file', path: file } as const;
    const byteLength = usedSectors * pageSize;
    writes.push({
      kind: 'program',
      phase: 'program',
      description: `write ${saved.file} back to ${name} (${used.blocks} blocks)`,
      bytes: byteLength,
      region: { ...region, startSector: saved.startSector, numSectors: usedSectors, filename: saved.file },
      source,
      byteLength,
      md5: used.md5,
      partition: name,
      origin: undefined,
    });
    const span = physicalSpan(saved.startSector, usedSectors, options.storage.badBlocks, pagesPerBlock);
    verifies.push({
      kind: 'verify',
      phase: 'verify',
      description: `read back ${name}`,
      bytes: span * pageSize,
      region: { ...region, startSector: saved.startSector, numSectors: span, extraAttributes: SKIP_BAD_BLOCKS },
      source,
      byteLength,
      paddedLength: byteLength,
      padByte: 0xff,
      md5: used.md5,
      partition: name,
    });
  }
  const notes: PlanNote[] = [planNote('BAD_BLOCK_READ_MODE')];
  if (options.noVerify === true) notes.push(planNote('NO_VERIFY'));
  const steps: FlashStep[] = [...backups, ...writes, ...(options.noVerify === true ? [] : verifies)];
  if (options.reset !== false) steps.push({ kind: 'power', phase: 'reset', description: 'reset (DelayInSeconds 10)', bytes: 0, value: 'reset', delayInSeconds: 10 });
  return { kind: 'restore', backupDirectory: options.backupDirectory, manifest, configure: { memoryName: 'nand', pagesPerBlock }, safetyBackupDirectory, steps, totals: planTotals(steps), notes };
}

function checkUnit(manifest: BackupManifest, options: RestorePlanOptions): void {
  if (options.allowOtherUnit === true) return;
  const same = sameUnit(manifest.unit, options.unit);
  if (same === false) {
    throw new FlashPlanError('RESTORE_OTHER_UNIT', `the backup is of ${describeUnit(manifest.unit)}, the module is ${describeUnit(options.unit)}`, {
      hint: 'Restoring another unit\'s efs2 clones its IMEI and RF calibration onto this one. Use this unit\'s own backup.',
    });
  }
  if (same === undefined) {
    throw new FlashPlanError('RESTORE_UNIT_UNVERIFIABLE', `cannot tell whether the backup (${describeUnit(manifest.unit)}) is of this module (${describeUnit(options.unit)})`, {
      hint: 'Give the module\'s IMEI or Sahara serial (the one the backup was named by), or accept the risk explicitly.',
    });
  }
}

function describeUnit(unit: UnitIdentity): string {
  const parts = [unit.imei === undefined ? undefined : `IMEI ${unit.imei}`, unit.serial === undefined ? undefined : `serial ${String(unit.serial)}`].filter((part) => part !== undefined);
  return parts.length === 0 ? 'an unknown unit' : parts.join(', ');
}

function checkStillThere(saved: BackupManifestPartition, table: NandPartitionTable | undefined, pagesPerBlock: number): void {
  const partition = table === undefined ? undefined : findPartition(table, saved.name);
  if (table === undefined || partition === undefined) return;
  if (partition.startBlock * pagesPerBlock !== saved.startSector || (partition.blockCount !== undefined && partition.blockCount * pagesPerBlock !== saved.numSectors)) {
    throw new FlashPlanError('PLAN_LAYOUT_CHANGE', `${saved.name} is at sectors ${partition.startBlock * pagesPerBlock}+${(partition.blockCount ?? 0) * pagesPerBlock} now; the backup was read from ${saved.startSector}+${saved.numSectors}`, {
      hint: 'The module\'s partition layout changed since the backup (another baseline was flashed?). Flash the firmware the backup was taken with first.',
    });
  }
}
