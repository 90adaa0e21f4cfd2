import { posix } from 'node:path';
import { geometryFromName } from './geometry.js';
import type { FirmwarePackage } from './package-source.js';
import { problem, type PackageProblem } from './problems.js';

// Which files in update/firehose/ are the rawprogram XML, the patch XML and the programmer —
// QFirehose's globbing (quectel-ec25.md §2.7): rawprogram_*.xml, firehose-rawprogram*.xml or
// rawprogram<N>*.xml; patch_*.xml, patch-*.xml or patch<N>.xml; prog_nand_firehose_*.mbn (eMMC/UFS
// programmers exist for other modules). Matched without regard to case (packages pass through
// Windows).

export const FIREHOSE_DIR = 'update/firehose';

export const firehoseFilePatterns = {
  rawprogram: [/^rawprogram_.*\.xml$/i, /^firehose-rawprogram.*\.xml$/i, /^rawprogram\d.*\.xml$/i],
  patch: [/^patch_.*\.xml$/i, /^patch-.*\.xml$/i, /^patch\d+\.xml$/i],
  nandProgrammer: [/^prog_nand_firehose_.*\.mbn$/i],
  otherProgrammer: [/^prog_.*firehose.*\.(?:mbn|elf|melf)$/i],
} as const;

export interface FirehoseFiles {
  readonly rawprogram: string | undefined;
  readonly patch: string | undefined;
  readonly programmer: string | undefined;
  readonly problems: readonly PackageProblem[];
}

export interface FirehoseFileChoice {
  /** The module's page size, when known: picks between p2K and p4K files. */
  readonly pageSize?: number | undefined;
}

export function findFirehoseFiles(pkg: FirmwarePackage, choice: FirehoseFileChoice = {}): FirehoseFiles {
  const problems: PackageProblem[] = [];
  const inDir = pkg.files.filter((file) => posix.dirname(file.path) === FIREHOSE_DIR).map((file) => file.path);
  const matching = (patterns: readonly RegExp[]): string[] => inDir.filter((path) => patterns.some((pattern) => pattern.test(posix.basename(path))));

  const rawprograms = matching(firehoseFilePatterns.rawprogram);
  const rawprogram = pickOne(rawprograms, choice.pageSize);
  if (rawprograms.length === 0) problems.push(problem('RAWPROGRAM_MISSING', `no rawprogram_*.xml in ${FIREHOSE_DIR}/`));
  else if (rawprogram === undefined) problems.push(problem('RAWPROGRAM_AMBIGUOUS', `${rawprograms.length} rawprogram files fit: ${rawprograms.join(', ')}`));

  // The patch file goes with the rawprogram file of the same geometry.
  const patches = matching(firehoseFilePatterns.patch);
  const patchPage = (rawprogram === undefined ? undefined : geometryFromName(posix.basename(rawprogram))?.pageSize) ?? choice.pageSize;
  const patch = pickOne(patches, patchPage);
  if (patches.length > 0 && patch === undefined) problems.push(problem('PATCH_AMBIGUOUS', `${patches.length} patch files fit: ${patches.join(', ')}`));

  const nand = matching(firehoseFilePatterns.nandProgrammer);
  const others = matching(firehoseFilePatterns.otherProgrammer).filter((path) => !nand.includes(path));
  if (nand.length === 0) {
    if (others.length > 0) problems.push(problem('PROGRAMMER_NOT_NAND', `only ${others.join(', ')}; no prog_nand_firehose_*.mbn`));
    else problems.push(problem('PROGRAMMER_MISSING', `no prog_nand_firehose_*.mbn in ${FIREHOSE_DIR}/`));
  } else if (nand.length > 1) {
    problems.push(problem('PROGRAMMER_AMBIGUOUS', `${nand.length} programmers: ${nand.join(', ')}`));
  }
  return { rawprogram, patch, programmer: nand.length === 1 ? nand[0] : undefined, problems };
}

/**
 * One of several candidates: a `_factory` file loses to the others (it also writes the EFS
 * region, edl-protocols.md §2.9), then the module's page size decides.
 */
function pickOne(candidates: readonly string[], pageSize: number | undefined): string | undefined {
  let left = [...candidates];
  if (left.length > 1) {
    const notFactory = left.filter((path) => !/factory/i.test(posix.basename(path)));
    if (notFactory.length > 0) left = notFactory;
  }
  if (left.length > 1 && pageSize !== undefined) left = left.filter((path) => geometryFromName(posix.basename(path))?.pageSize === pageSize);
  return left.length === 1 ? left[0] : undefined;
}
