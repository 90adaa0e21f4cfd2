import { posix } from 'node:path';
import type { FirehoseRegion } from '../../protocols/firehose/region.js';
import type { ModuleStorage } from '../package/check-geometry.js';
import { partitionAtSector, type NandPartitionTable } from '../package/partition-table.js';
import type { RawprogramErase } from '../package/rawprogram.js';
import type { ValidatedImage, ValidatedPackage } from '../package/validate.js';
import { FlashPlanError } from './errors.js';
import { isCovered, physicalSpan, roundUpToBlocks, type SectorRange } from './extents.js';
import { planNote, SKIP_BAD_BLOCKS, type EraseStep, type PlanNote, type ProgramStep, type VerifyStep } from './steps.js';

// The steps that write: program lines become program steps (the sectors recomputed from the file
// size as QFirehose does, §2.7), images no erase line covers get an erase, and each program gets
// its read-back.

/** The NAND erased value; the client pads the last sector with it. */
const PAD_BYTE = 0xff;

export type RegionFields = Pick<RawprogramErase, 'startSector' | 'numSectors' | 'sectorSize' | 'pagesPerBlock' | 'physicalPartitionNumber' | 'lastSector'>;

export function regionFor(fields: RegionFields, validated: ValidatedPackage): FirehoseRegion {
  return {
    startSector: fields.startSector,
    ...(fields.numSectors === undefined ? {} : { numSectors: fields.numSectors }),
    sectorSize: fields.sectorSize ?? validated.geometry.pageSize,
    // NAND lines must carry PAGES_PER_BLOCK (edl-protocols.md §2.4, §5).
    pagesPerBlock: fields.pagesPerBlock ?? validated.geometry.pagesPerBlock,
    ...(fields.physicalPartitionNumber === undefined ? {} : { physicalPartitionNumber: fields.physicalPartitionNumber }),
    ...(fields.lastSector === undefined ? {} : { lastSector: fields.lastSector }),
  };
}

export function programStep(image: ValidatedImage, validated: ValidatedPackage, table: NandPartitionTable): ProgramStep {
  const { program, entry } = image;
  const partition = partitionAtSector(table, program.startSector, validated.geometry.pagesPerBlock)?.name ?? program.label;
  const region: FirehoseRegion = {
    ...regionFor({ ...program, numSectors: image.sectors, lastSector: undefined }, validated),
    physicalPartitionNumber: program.physicalPartitionNumber ?? 0,
    ...(program.label === undefined ? {} : { label: program.label }),
    // Informational (§2.4) and at most 80 characters (§2.1).
    filename: program.filename.length <= 80 ? program.filename : posix.basename(entry.path),
    ...(Object.keys(program.extra).length === 0 ? {} : { extraAttributes: program.extra }),
  };
  return {
    kind: 'program',
    phase: 'program',
    description: `program ${entry.path} at sector ${program.startSector}${partition === undefined ? '' : ` (${partition})`}`,
    bytes: image.sectors * validated.geometry.pageSize,
    region,
    source: { kind: 'package', path: entry.path },
    byteLength: entry.size,
    md5: image.md5,
    partition,
    origin: { file: validated.rawprogramFile, line: program.line },
  };
}

/** NAND must be erased before it is programmed (§2.4): an erase for any image no erase line covers. */
export function missingErases(validated: ValidatedPackage, storage: ModuleStorage, notes: PlanNote[]): EraseStep[] {
  const { pagesPerBlock, pageSize } = validated.geometry;
  const covers: SectorRange[] = validated.erases.map((erase) => ({ start: erase.startSector, end: erase.startSector + (erase.numSectors ?? 0) }));
  const added: EraseStep[] = [];
  for (const image of validated.images) {
    const start = image.program.startSector;
    const span = roundUpToBlocks(physicalSpan(start, image.sectors, storage.badBlocks, pagesPerBlock), pagesPerBlock);
    if (isCovered({ start, end: start + span }, covers)) continue;
    if (start % pagesPerBlock !== 0) {
      throw new FlashPlanError('PLAN_UNALIGNED_PROGRAM', `${image.entry.path} starts at sector ${start}, inside a block, and no erase line covers it`, {
        hint: 'An erase for it cannot be made without touching the block before. The package is damaged: get it again.',
      });
    }
    notes.push(planNote('PROGRAM_NOT_ERASED', `${image.entry.path}, line ${image.program.line}`));
    added.push({
      kind: 'erase',
      phase: start === 0 ? 'erase-sbl' : 'erase',
      description: `erase sectors ${start}+${span} (added: no erase line for ${image.entry.path})`,
      bytes: 0,
      region: { startSector: start, numSectors: span, sectorSize: pageSize, pagesPerBlock },
      origin: { synthesized: `no erase line covers ${image.entry.path} (line ${image.program.line})` },
    });
  }
  return added;
}

export function verifyStep(step: ProgramStep, storage: ModuleStorage, pagesPerBlock: number): VerifyStep {
  const sectors = step.region.numSectors ?? 0;
  const sectorSize = step.region.sectorSize ?? 0;
  const span = physicalSpan(Number(step.region.startSector), sectors, storage.badBlocks, pagesPerBlock);
  const { startSector, sectorSize: size, pagesPerBlock: blockPages, physicalPartitionNumber } = step.region;
  const addressing: FirehoseRegion = { startSector, ...(size === undefined ? {} : { sectorSize: size }), ...(blockPages === undefined ? {} : { pagesPerBlock: blockPages }), ...(physicalPartitionNumber === undefined ? {} : { physicalPartitionNumber }) };
  return {
    kind: 'verify',
    phase: 'verify',
    description: `read back ${step.source.path}`,
    bytes: span * sectorSize,
    region: { ...addressing, numSectors: span, extraAttributes: SKIP_BAD_BLOCKS },
    source: step.source,
    byteLength: step.byteLength,
    paddedLength: sectors * sectorSize,
    padByte: PAD_BYTE,
    md5: step.md5,
    partition: step.partition,
  };
}

