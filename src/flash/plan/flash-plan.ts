import { join } from 'node:path';
import type { FirehoseRegion } from '../../protocols/firehose/region.js';
import type { ModuleStorage } from '../package/check-geometry.js';
import type { NandPartitionTable } from '../package/partition-table.js';
import type { PerUnitPartition } from '../package/per-unit.js';
import type { RawprogramErase } from '../package/rawprogram.js';
import type { ValidatedPackage } from '../package/validate.js';
import { backupSteps } from './backup-steps.js';
import { FlashPlanError } from './errors.js';
import { recheckAgainstModule } from './module-recheck.js';
import { choosePartitionLayout, type PartitionTableSource } from './partition-layout.js';
import { planNote, type EraseStep, type FlashStep, type PlanNote, type ProgramStep } from './steps.js';
import { planTotals, type PlanTotals } from './totals.js';
import { backupDirectoryFor, type BackupLocation, type UnitIdentity } from './unit-identity.js';
import { missingErases, programStep, regionFor, verifyStep, type RegionFields } from './write-steps.js';

// The flash plan for one module: a validated package, what the module's programmer reported
// (getstorageinfo) and where to keep the backup, turned into the ordered steps of steps.ts. The
// cheap checks of the validator that depend on the module (geometry, chip size, bad blocks, per-unit
// partitions under the module's own table) run again here, so a package validated before the
// module was connected cannot slip past them.

export interface FlashPlanOptions {
  /** From getstorageinfo; pageSize is required. */
  readonly storage: ModuleStorage;
  readonly unit: UnitIdentity;
  readonly backup: BackupLocation;
  /** The module's partition table (the MIBIB's 4 pages, read at connect), parsed; preferred over the package's. */
  readonly moduleTable?: NandPartitionTable | undefined;
  readonly assumeReferenceLayout?: boolean | undefined;
  /** Partitions to back up; default the validated package's per-unit list (efs2, sys_rev, rawdata). */
  readonly backupPartitions?: readonly PerUnitPartition[] | undefined;
  /** Reads per backup, all compared; default and minimum 2. */
  readonly backupReads?: number | undefined;
  readonly noVerify?: boolean | undefined;
  /** For the backup folder's name; default now. */
  readonly now?: Date | undefined;
}

export interface FlashPlan {
  readonly kind: 'flash';
  readonly packageLocation: string;
  readonly revision: string;
  readonly moduleRevision: string | undefined;
  /** Sent over Sahara first (image 13). */
  readonly programmer: { readonly path: string; readonly size: number };
  /** For FirehoseClient.configure. */
  readonly configure: { readonly memoryName: 'nand'; readonly pagesPerBlock: number };
  readonly geometry: { readonly pageSize: number; readonly pagesPerBlock: number; readonly token: string };
  readonly backup: { readonly directory: string; readonly manifestFile: string; readonly partitions: readonly string[] };
  readonly partitionTableSource: PartitionTableSource;
  readonly steps: readonly FlashStep[];
  readonly totals: PlanTotals;
  readonly notes: readonly PlanNote[];
}

export const BACKUP_MANIFEST_FILE = 'backup.json';
const DEFAULT_READS = 2;
const RESET_DELAY_SECONDS = 10;

export function buildFlashPlan(validated: ValidatedPackage, options: FlashPlanOptions): FlashPlan {
  const { storage, unit } = options;
  const { geometry } = validated;
  if (storage.pageSize === undefined) {
    throw new FlashPlanError('PLAN_STORAGE_UNKNOWN', 'the module\'s NAND page size is not known', { hint: 'Run getstorageinfo on the programmer first and pass what it reported.' });
  }
  const perUnit = options.backupPartitions ?? validated.perUnit;
  const layout = choosePartitionLayout({ moduleTable: options.moduleTable, packageTable: validated.partitionTable, assumeReferenceLayout: options.assumeReferenceLayout, geometry, perUnit });
  recheckAgainstModule(validated, storage, layout.table, perUnit);

  const directory = backupDirectoryFor(options.backup, unit, options.now ?? new Date());
  const notes: PlanNote[] = [...layout.notes, planNote('BAD_BLOCK_READ_MODE')];
  // At least two reads: a backup is only trusted when two reads agree (a flaky link reads garbage).
  const backups = backupSteps({ geometry, layout, storage, perUnit, directory, reads: Math.max(DEFAULT_READS, options.backupReads ?? DEFAULT_READS) });
  const region = (fields: RegionFields): FirehoseRegion => regionFor(fields, validated);

  const programs = validated.images.map((image) => programStep(image, validated, layout.table));
  const eraseSteps = (erases: readonly RawprogramErase[], phase: 'erase-sbl' | 'erase'): EraseStep[] => erases.map((erase) => ({
    kind: 'erase',
    phase,
    description: `erase sectors ${erase.startSector}+${erase.numSectors ?? 0}${erase.startSector === 0 ? ' (SBL, first)' : ''}`,
    bytes: 0,
    region: region(erase),
    origin: { file: validated.rawprogramFile, line: erase.line },
  }));
  const sblErases = eraseSteps(validated.erases.filter((erase) => erase.startSector === 0), 'erase-sbl');
  const otherErases = eraseSteps(validated.erases.filter((erase) => erase.startSector !== 0), 'erase');
  const added = missingErases(validated, storage, notes);
  const steps: FlashStep[] = [
    ...backups,
    ...sblErases,
    ...added.filter((step) => step.phase === 'erase-sbl'),
    ...validated.vendor.map((command): FlashStep => ({
      kind: 'vendor',
      phase: 'vendor',
      description: `Quectel vendor line <${command.tag}> (line ${command.line})`,
      bytes: 0,
      tag: command.tag,
      attributes: command.attributes,
      origin: { file: validated.rawprogramFile, line: command.line },
    })),
    ...otherErases,
    ...added.filter((step) => step.phase === 'erase'),
    ...programs.filter((step) => step.region.startSector !== 0),
    // SBL last (quectel-ec25.md §2.5): until it is written, a reset falls to EDL.
    ...programs.filter((step) => step.region.startSector === 0).map((step): ProgramStep => ({ ...step, phase: 'program-sbl', description: `${step.description} (SBL, last)` })),
    ...validated.diskPatches.map((patch): FlashStep => ({
      kind: 'patch',
      phase: 'patch',
      description: `DISK patch (line ${patch.line})`,
      bytes: 0,
      attributes: patch.attributes,
      requiresFunction: 'patch',
      origin: { file: validated.patchFile ?? '', line: patch.line },
    })),
  ];
  if (validated.diskPatches.length > 0) notes.push(planNote('PATCH_NEEDS_FUNCTION'));
  if (options.noVerify === true) notes.push(planNote('NO_VERIFY'));
  else {
    const ordered = steps.filter((step): step is ProgramStep => step.kind === 'program');
    steps.push(...ordered.map((step) => verifyStep(step, storage, geometry.pagesPerBlock)));
  }
  steps.push({ kind: 'power', phase: 'reset', description: `reset (DelayInSeconds ${RESET_DELAY_SECONDS})`, bytes: 0, value: 'reset', delayInSeconds: RESET_DELAY_SECONDS });

  return {
    kind: 'flash',
    packageLocation: validated.package.location,
    revision: validated.revision.raw,
    moduleRevision: validated.moduleRevision?.raw,
    programmer: { path: validated.programmer.path, size: validated.programmer.size },
    configure: { memoryName: 'nand', pagesPerBlock: geometry.pagesPerBlock },
    geometry: { pageSize: geometry.pageSize, pagesPerBlock: geometry.pagesPerBlock, token: geometry.token },
    backup: { directory, manifestFile: join(directory, BACKUP_MANIFEST_FILE), partitions: backups.map((step) => step.partition) },
    partitionTableSource: layout.source,
    steps,
    totals: planTotals(steps),
    notes,
  };
}

