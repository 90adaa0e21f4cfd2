import type { ModuleStorage } from '../package/check-geometry.js';
import { checkRegions } from '../package/check-regions.js';
import { PackageInvalidError } from '../package/errors.js';
import { formatGeometry } from '../package/geometry.js';
import type { NandPartitionTable } from '../package/partition-table.js';
import type { PerUnitPartition } from '../package/per-unit.js';
import { errorsOf, problem, type PackageProblem } from '../package/problems.js';
import type { ValidatedPackage } from '../package/validate.js';
import { FlashPlanError } from './errors.js';

// A package may have been validated before the module was connected (GEOMETRY_NOT_CHECKED): the
// checks that depend on the module — page size and pages per block, chip size, bad blocks, and
// per-unit partitions under the module's own partition table — run again when the plan is made.

/** The validator's module-dependent checks, against what the module reports now. */
export function recheckAgainstModule(validated: ValidatedPackage, storage: ModuleStorage, table: NandPartitionTable, perUnit: readonly PerUnitPartition[]): void {
  const { geometry } = validated;
  const problems: PackageProblem[] = [];
  if (storage.pageSize !== geometry.pageSize || (storage.pagesPerBlock !== undefined && storage.pagesPerBlock !== geometry.pagesPerBlock)) {
    problems.push(problem('GEOMETRY_MISMATCH', `the package is for ${formatGeometry(geometry)} (${geometry.token}); the module reports ${storage.pageSize ?? '?'}-byte pages × ${storage.pagesPerBlock ?? '?'}`));
  }
  const rawprogram = { file: validated.rawprogramFile, erases: validated.erases, programs: validated.images.map((image) => image.program), vendor: validated.vendor, skippedLines: [] };
  const regions = checkRegions({ rawprogram, images: validated.images, geometry, table, storage, perUnit });
  problems.push(...regions.problems);
  const errors = errorsOf(problems);
  if (errors.length > 0) {
    throw new FlashPlanError('PLAN_PACKAGE_REFUSED', new PackageInvalidError(errors).message, { hint: `${errors[0]?.message ?? ''} — ${errors[0]?.hint ?? ''}`, details: { problems: errors } });
  }
}

