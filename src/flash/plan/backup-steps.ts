import { join } from 'node:path';
import type { ModuleStorage } from '../package/check-geometry.js';
import type { NandGeometry } from '../package/geometry.js';
import type { PerUnitPartition } from '../package/per-unit.js';
import { FlashPlanError } from './errors.js';
import { perUnitSectors, type PartitionLayout } from './partition-layout.js';
import { SKIP_BAD_BLOCKS, type BackupStep } from './steps.js';

// The first steps of every flash: read each per-unit partition (per-unit.ts) into the backup
// folder, several times, and stop unless the reads agree (DESIGN.md "Nothing is lost"). A
// required partition (efs2) missing from the table stops the plan here.

export interface BackupInputs {
  readonly geometry: Pick<NandGeometry, 'pageSize' | 'pagesPerBlock'>;
  readonly layout: PartitionLayout;
  readonly storage: ModuleStorage;
  readonly perUnit: readonly PerUnitPartition[];
  readonly directory: string;
  readonly reads: number;
}

export function backupSteps(inputs: BackupInputs): BackupStep[] {
  const { geometry } = inputs;
  const steps: BackupStep[] = [];
  for (const partition of inputs.perUnit) {
    const sectors = perUnitSectors(inputs.layout, partition.name, geometry, inputs.storage);
    if (sectors === undefined) {
      if (!partition.required) continue;
      throw new FlashPlanError('PLAN_PER_UNIT_PARTITION_NOT_FOUND', `the ${inputs.layout.source}'s partition table has no ${partition.name}`, {
        hint: `${partition.name} holds ${partition.why}; without a backup of it nothing may be erased. Check the module's partition table (the MIBIB at sector 640, 1024 or 2048) — the module may need Quectel's help.`,
      });
    }
    steps.push({
      kind: 'backup',
      phase: 'backup',
      description: `back up ${partition.name} (${sectors.numSectors * geometry.pageSize} bytes, read ${inputs.reads}×)`,
      bytes: sectors.numSectors * geometry.pageSize * inputs.reads,
      partition: partition.name,
      region: {
        startSector: sectors.startSector,
        numSectors: sectors.numSectors,
        sectorSize: geometry.pageSize,
        pagesPerBlock: geometry.pagesPerBlock,
        physicalPartitionNumber: 0,
        extraAttributes: SKIP_BAD_BLOCKS,
      },
      file: join(inputs.directory, `${partition.name}.bin`),
      reads: inputs.reads,
      required: partition.required,
      why: `${partition.why}${partition.certainty === 'UNVERIFIED' ? ' (per-unit: UNVERIFIED)' : ''}`,
    });
  }
  return steps;
}
