// Everything the package validator can find wrong, declared once: a stable code, how bad it is
// and what to do next. DESIGN.md "Principles": a package is fully validated before the first byte
// is written, so the validator reports every problem it finds (not just the first), and a user
// fixes them all in one go.

export type ProblemSeverity = 'error' | 'warning' | 'info';

export const packageProblemCatalogue = {
  // Layout (quectel-ec25.md §2.6, §2.7)
  RAWPROGRAM_MISSING: { severity: 'error', hint: 'The package needs update/firehose/rawprogram_*.xml (e.g. rawprogram_nand_p4K_b256K_update.xml). Use the complete package as Quectel ships it.' },
  RAWPROGRAM_AMBIGUOUS: { severity: 'error', hint: 'More than one rawprogram file fits this module. Remove the ones that do not belong, or connect the module first so its page size picks one.' },
  PATCH_AMBIGUOUS: { severity: 'error', hint: 'More than one patch file fits this package. Remove the ones that do not belong.' },
  PROGRAMMER_MISSING: { severity: 'error', hint: 'The package needs update/firehose/prog_nand_firehose_9x07.mbn (the Firehose programmer). Use the complete package as Quectel ships it.' },
  PROGRAMMER_AMBIGUOUS: { severity: 'error', hint: 'More than one prog_nand_firehose_*.mbn is in update/firehose. Keep only the one of this package.' },
  PROGRAMMER_NOT_NAND: { severity: 'error', hint: 'Only an eMMC/UFS programmer was found; the EC25 family is NAND (quectel-ec25.md §2.2). This package is for another module.' },
  PROGRAMMER_NOT_ELF32_ARM: { severity: 'error', hint: 'The 9x07 boot ROM loads only a 32-bit ARM ELF programmer (edl-protocols.md §1.7). The file is damaged or from another platform: get the package again.' },
  // XML (§2.7)
  XML_MALFORMED: { severity: 'error', hint: 'Quectel\'s XML files hold one element per line (QFirehose parses them line by line). Get the package again; do not edit these files by hand.' },
  XML_TRUNCATED: { severity: 'error', hint: 'The file ends early (no closing </data>). The download or the unpacking was cut short: get the package again.' },
  XML_BAD_ATTRIBUTE: { severity: 'error', hint: 'A numeric attribute is not a whole number (expressions are for eMMC/UFS only, edl-protocols.md §2.1). Get the package again.' },
  XML_UNKNOWN_ELEMENT: { severity: 'warning', hint: 'QFirehose forwards only erase, program and patch lines; this one is ignored as it would be.' },
  ERASE_SKIPPED: { severity: 'info', hint: 'QFirehose skips erase lines without SECTOR_SIZE_IN_BYTES (edl-protocols.md §2.9); so do we.' },
  SPARSE_NOT_SUPPORTED: { severity: 'error', hint: 'sparse / file_sector_offset are eMMC/UFS features (edl-protocols.md §2.4); the NAND programmer cannot take them. This package is for another module.' },
  PATH_TRAVERSAL: { severity: 'error', hint: 'A file name points outside the package (absolute, or `..` above its root). Refusing it: a package must only name its own files. Get the package from Quectel again.' },
  // Files and sizes
  FILE_MISSING: { severity: 'error', hint: 'A file the rawprogram XML names is not in the package. Get the complete package again.' },
  FILE_NAME_CASE: { severity: 'warning', hint: 'The file exists with different upper/lower case (a package unpacked on Windows); it is used as found.' },
  FILE_UNREADABLE: { severity: 'error', hint: 'The file could not be read to the end (a damaged zip or disk). Get the package again.' },
  FILE_EMPTY: { severity: 'error', hint: 'An image is 0 bytes long. Get the package again.' },
  FILE_TOO_LARGE: { severity: 'error', hint: 'The image is larger than the partition it is written to; it would overwrite the next one. This package does not fit this module\'s layout.' },
  PARTITION_SIZE_UNKNOWN: { severity: 'error', hint: 'Neither the program line, an erase line nor the partition table gives the partition size, so we cannot check the image fits. Get the package again.' },
  // MD5 (§2.7)
  MD5_TXT_MISSING: { severity: 'warning', hint: 'The package has no md5.txt, so image contents cannot be checked (QFirehose skips the check too). Prefer a package that has one.' },
  MD5_TXT_MALFORMED: { severity: 'error', hint: 'md5.txt lines are `<drive>:\\<path>\\<file>:<MD5>`. Get the package again.' },
  MD5_MISMATCH: { severity: 'error', hint: 'The file is not what the package says it is (damaged download or unpacking). Get the package again.' },
  MD5_PREFIX_ONLY: { severity: 'warning', hint: 'md5.txt lists a shortened hash; only that prefix was compared (QFirehose compares 16 hex characters).' },
  MD5_NOT_LISTED: { severity: 'warning', hint: 'md5.txt has no line for this file, so its contents are not checked.' },
  MD5_LISTED_FILE_MISSING: { severity: 'warning', hint: 'md5.txt lists a file that is not in the package; it is not written to the module, so this is only noted.' },
  MD5_COMPARED: { severity: 'info', hint: 'Full 32-digit MD5s are compared where md5.txt has them (QFirehose compares only the first 16 hex characters).' },
  // Geometry (edl-protocols.md §2.4, §2.9)
  GEOMETRY_UNKNOWN: { severity: 'error', hint: 'Neither the file names (p4K_b256K / p2K_b128K) nor the XML give page size and pages per block. Get the package again.' },
  GEOMETRY_INCONSISTENT: { severity: 'error', hint: 'The package contradicts itself about page size or pages per block. Get the package again.' },
  GEOMETRY_MISMATCH: { severity: 'error', hint: 'The package is built for another NAND geometry than this module\'s; the programmer would refuse every line (edl-protocols.md §2.4). Use the package for this module\'s flash (p4K_b256K or p2K_b128K).' },
  GEOMETRY_NOT_CHECKED: { severity: 'info', hint: 'The module\'s NAND was not read yet (getstorageinfo); the geometry is checked again when the flash plan is built.' },
  REGION_UNALIGNED: { severity: 'error', hint: 'NAND erases whole blocks: start and length must be multiples of the pages per block (edl-protocols.md §2.6). Get the package again.' },
  REGION_BEYOND_DEVICE: { severity: 'error', hint: 'A line writes past the end of this module\'s NAND. This package is for a module with a larger flash.' },
  REGIONS_OVERLAP: { severity: 'error', hint: 'Two program lines write the same pages; one would destroy the other. Get the package again.' },
  WHOLE_CHIP_ERASE: { severity: 'error', hint: 'An erase of the whole chip wipes the calibration (QFirehose -e, quectel-ec25.md §5.1). Never use it on a production unit; use the update package.' },
  WRITES_PER_UNIT_DATA: { severity: 'error', hint: 'The package erases or writes a per-unit partition (efs2 calibration/NV). That is a factory package; it would wipe this unit\'s calibration (§5.1). Use the update package.' },
  BAD_BLOCKS_OVERFLOW: { severity: 'error', hint: 'With the bad blocks in this partition the image would spill into the next one (the programmer skips bad blocks, edl-protocols.md §2.4). This module needs a smaller image or a repair by Quectel.' },
  PARTITION_TABLE_UNREADABLE: { severity: 'warning', hint: 'The package\'s partition table (partition_complete_*.mbn) could not be read; the flash plan will need the module\'s own table to find efs2.' },
  SBL_NOT_IN_PACKAGE: { severity: 'warning', hint: 'The package does not write SBL at sector 0, so an interrupted flash may not fall back to EDL (quectel-ec25.md §2.5). Flash on a stable supply and do not interrupt.' },
  PATCH_ON_NAND: { severity: 'info', hint: 'The boot.bf NAND programmer has no <patch> (edl-protocols.md §2.2, §2.7); the flash sends the DISK patch lines only if the programmer lists patch.' },
  // Revision (quectel-ec25.md §2.9, §5.1)
  PACKAGE_REVISION_UNKNOWN: { severity: 'error', hint: 'The package\'s firmware revision could not be found (package name, zip or folder name, contents.xml), so the baseline cannot be checked. Keep the folder or zip named as Quectel ships it (e.g. EC25EFAR06A01M4G), or give the revision explicitly.' },
  PACKAGE_REVISION_CONFLICT: { severity: 'error', hint: 'The package names two different revisions (e.g. the folder was renamed). Find out which firmware this really is before flashing.' },
  MODULE_REVISION_UNKNOWN: { severity: 'error', hint: 'The module\'s current revision is not known, so model, region and baseline cannot be checked. Give it (ATI / AT+QGMR before it failed, the label, your records), or accept the risk explicitly.' },
  MODULE_REVISION_UNPARSEABLE: { severity: 'error', hint: 'The module revision given does not look like a Quectel revision (e.g. EC25EFAR06A01M4G). Check what was typed.' },
  MODEL_MISMATCH: { severity: 'error', hint: 'The package is for another module model. Get the package for this model.' },
  REGION_MISMATCH: { severity: 'error', hint: 'The package is for another region variant (the first variant letter differs). Get the package with this module\'s variant letters.' },
  VARIANT_MISMATCH: { severity: 'error', hint: 'The variant letters differ. Quectel does not publish their meaning (UNVERIFIED, §2.9), so any difference is refused. Get the package with exactly this module\'s letters, or accept the difference explicitly if Quectel told you it is compatible.' },
  MEMORY_CODE_MISMATCH: { severity: 'error', hint: 'The memory code (M4G/M2G/M1G…) differs; Quectel\'s staff allow only the same code (§2.9). Get the package for this module\'s memory code.' },
  BASELINE_CHANGE: { severity: 'error', hint: 'Crossing release baselines (e.g. R06 → R08) is what bricks modules (perpetual EDL, +CFUN: 7, lost RF NV — quectel-ec25.md §5.1). Get a package of the module\'s own baseline; allow the change only if Quectel told you to.' },
  BASELINE_CHANGE_ALLOWED: { severity: 'warning', hint: 'You allowed a baseline change. Expect to restore calibration from the backup if the module comes up with +CFUN: 7 or +CME ERROR: 0 (§5.1).' },
  MODULE_REVISION_UNCHECKED: { severity: 'warning', hint: 'You chose to flash without knowing the module\'s revision: model, region and baseline were not checked.' },
  SUFFIX_FAMILY_DIFFERS: { severity: 'warning', hint: 'The AT+QGMR sub-version families differ (e.g. 20.2xx vs 30.2xx). Quectel\'s staff allow flashing only within the same family (§2.9; UNVERIFIED how strict).' },
  DOWNGRADE: { severity: 'info', hint: 'The package is an older minor release of the same baseline; allowed within a baseline (§2.9).' },
} as const satisfies Readonly<Record<string, { readonly severity: ProblemSeverity; readonly hint: string }>>;

export type PackageProblemCode = keyof typeof packageProblemCatalogue;

export interface PackageProblem {
  readonly code: PackageProblemCode;
  readonly severity: ProblemSeverity;
  readonly message: string;
  /** What to do next. */
  readonly hint: string;
  /** The package file the problem is in, relative to the package root. */
  readonly file?: string;
  /** 1-based line in that file. */
  readonly line?: number;
  readonly details?: Readonly<Record<string, unknown>>;
}

export interface ProblemWhere {
  readonly file?: string | undefined;
  readonly line?: number | undefined;
  readonly details?: Readonly<Record<string, unknown>> | undefined;
  /** Overrides the catalogue's severity (e.g. a refusal the user allowed becomes a warning). */
  readonly severity?: ProblemSeverity | undefined;
}

export function problem(code: PackageProblemCode, message: string, where: ProblemWhere = {}): PackageProblem {
  const entry = packageProblemCatalogue[code];
  const place = where.file === undefined ? '' : where.line === undefined ? `${where.file}: ` : `${where.file} line ${where.line}: `;
  return {
    code,
    severity: where.severity ?? entry.severity,
    message: `${place}${message}`,
    hint: entry.hint,
    ...(where.file === undefined ? {} : { file: where.file }),
    ...(where.line === undefined ? {} : { line: where.line }),
    ...(where.details === undefined ? {} : { details: where.details }),
  };
}

export function errorsOf(problems: readonly PackageProblem[]): PackageProblem[] {
  return problems.filter((entry) => entry.severity === 'error');
}
