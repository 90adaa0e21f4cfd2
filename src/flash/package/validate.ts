import { posix } from 'node:path';
import type { FirmwareRevision } from '../../modem/revision.js';
import { checkGeometry, type ModuleStorage } from './check-geometry.js';
import { resolveImages } from './check-images.js';
import { checkMd5s } from './check-md5.js';
import { checkRegions, type SizedImage } from './check-regions.js';
import { checkProgrammerElf, ELF32_HEADER_SIZE } from './elf-check.js';
import { PackageInvalidError } from './errors.js';
import { FIREHOSE_DIR, findFirehoseFiles } from './firehose-files.js';
import type { NandGeometry } from './geometry.js';
import type { Md5Progress } from './md5-stream.js';
import type { FirmwarePackage, PackageFileEntry } from './package-source.js';
import { readPackageFile, readPackageHead } from './package-read.js';
import { identifyPackageRevision } from './package-revision.js';
import { MIBIB_START_SECTOR, parseNandPartitionTable, type NandPartitionTable } from './partition-table.js';
import { parsePatchXml, type DiskPatch } from './patch.js';
import { PER_UNIT_PARTITIONS, type PerUnitPartition } from './per-unit.js';
import { errorsOf, problem, type PackageProblem } from './problems.js';
import { parseRawprogram, type Rawprogram, type RawprogramErase, type VendorCommand } from './rawprogram.js';
import { checkRevisionFit } from './revision-check.js';

// validatePackage: everything DESIGN.md asks before the first byte is written — files present,
// sizes within their partitions, MD5s, the programmer, the NAND geometry, and model / region /
// baseline against the module — collected into one list, so a user sees every problem at once.
// Reads the package (hashing ~90 MB by streaming); never touches the module.

export interface ValidationContext {
  /** The module's revision (ATI / AT+GMR / AT+QGMR, or the user's record when it is in EDL). */
  readonly moduleRevision?: string | undefined;
  /** The package's revision as the user knows it; must agree with what the package says. */
  readonly packageRevision?: string | undefined;
  /** What getstorageinfo reported, once the programmer runs. */
  readonly storage?: ModuleStorage | undefined;
  /** Let a package of another baseline through (a warning instead of BASELINE_CHANGE). */
  readonly allowBaselineChange?: boolean | undefined;
  /** Let other variant letters with the same region letter through (UNVERIFIED meaning, §2.9). */
  readonly allowVariantChange?: boolean | undefined;
  /** Flash without knowing the module's revision (model, region, baseline unchecked). */
  readonly allowUnknownModuleRevision?: boolean | undefined;
  /** Partitions the package must not write; default PER_UNIT_PARTITIONS. */
  readonly perUnit?: readonly PerUnitPartition[] | undefined;
  readonly signal?: AbortSignal | undefined;
  /** Hashing progress, file by file. */
  readonly onProgress?: ((progress: Md5Progress) => void) | undefined;
}

/** An image the flash will write: its line, file, size, MD5 and the partition size it fits in. */
export interface ValidatedImage extends SizedImage {
  readonly md5: string;
}

export interface ValidatedPackage {
  readonly package: FirmwarePackage;
  readonly revision: FirmwareRevision;
  readonly moduleRevision: FirmwareRevision | undefined;
  readonly geometry: NandGeometry;
  /** Served over Sahara (image 13, quectel-ec25.md §2.5). */
  readonly programmer: PackageFileEntry;
  readonly rawprogramFile: string;
  readonly erases: readonly RawprogramErase[];
  readonly vendor: readonly VendorCommand[];
  readonly images: readonly ValidatedImage[];
  readonly patchFile: string | undefined;
  readonly diskPatches: readonly DiskPatch[];
  /** The package's partition table (partition_complete_*.mbn), when readable. */
  readonly partitionTable: NandPartitionTable | undefined;
  /** What the module reported when this was validated. */
  readonly storage: ModuleStorage | undefined;
  readonly perUnit: readonly PerUnitPartition[];
  /** Warnings and notes (no errors: then there is no ValidatedPackage). */
  readonly problems: readonly PackageProblem[];
}

export interface PackageValidation {
  readonly ok: boolean;
  /** Every problem found, errors first. */
  readonly problems: readonly PackageProblem[];
  readonly validated: ValidatedPackage | undefined;
}

const PARTITION_COMPLETE = /^partition_complete_.*\.mbn$/i;

export async function validatePackage(pkg: FirmwarePackage, context: ValidationContext = {}): Promise<PackageValidation> {
  const problems: PackageProblem[] = [];
  const perUnit = context.perUnit ?? PER_UNIT_PARTITIONS;
  for (const rejected of pkg.rejected) problems.push(problem('PATH_TRAVERSAL', `${rejected.path}: ${rejected.reason}`, { file: rejected.path }));

  const located = findFirehoseFiles(pkg, { pageSize: context.storage?.pageSize });
  problems.push(...located.problems);
  const reading: TextRead = { pkg, problems, signal: context.signal };
  const rawprogram = located.rawprogram === undefined ? undefined : await parseText(reading, located.rawprogram, parseRawprogram);
  const patches = located.patch === undefined ? undefined : await parseText(reading, located.patch, parsePatchXml);
  const rawprogramData: Rawprogram | undefined = rawprogram?.rawprogram;
  if (patches !== undefined && patches.patches.disk.length > 0) {
    problems.push(problem('PATCH_ON_NAND', `${patches.patches.disk.length} DISK patch line(s)`, { file: patches.patches.file }));
  }

  const resolved = rawprogramData === undefined ? { images: [], problems: [] } : resolveImages(pkg, rawprogramData);
  problems.push(...resolved.problems);

  const tableFile = findTableFile(pkg, resolved.images);
  const partitionTable = tableFile === undefined ? undefined : await readTable(pkg, tableFile, problems, context.signal);
  const geometryFiles = [located.rawprogram, located.patch, tableFile].filter((path) => path !== undefined);
  const geometry = checkGeometry({ fileNames: geometryFiles, rawprogram: rawprogramData, storage: context.storage });
  problems.push(...geometry.problems);

  const regions = rawprogramData === undefined || geometry.geometry === undefined
    ? { images: [], problems: [] }
    : checkRegions({ rawprogram: rawprogramData, images: resolved.images, geometry: geometry.geometry, table: partitionTable, storage: context.storage, perUnit });
  problems.push(...regions.problems);

  const programmer = located.programmer === undefined ? undefined : pkg.file(located.programmer);
  if (programmer !== undefined) {
    const elf = checkProgrammerElf(await readPackageHead(pkg, programmer.path, ELF32_HEADER_SIZE, { signal: context.signal }));
    if (!elf.ok) problems.push(problem('PROGRAMMER_NOT_ELF32_ARM', `${programmer.path}: ${elf.reason ?? 'not an ELF32 ARM image'}`, { file: programmer.path }));
  }

  const hashed = [...resolved.images.map((image) => image.entry.path), ...(programmer === undefined ? [] : [programmer.path])];
  const md5 = await checkMd5s({ pkg, paths: hashed, signal: context.signal, onProgress: context.onProgress });
  problems.push(...md5.problems);

  const contents = pkg.files.find((file) => file.path.toLowerCase() === 'contents.xml');
  const contentsXml = contents === undefined ? undefined : new TextDecoder().decode(await readPackageFile(pkg, contents.path, { signal: context.signal }));
  const names = pkg.names.map((name, index) => ({ source: pkg.kind === 'zip' && index === 0 ? 'zip name' : 'folder name', name }));
  const revision = identifyPackageRevision({ names, contentsXml, given: context.packageRevision });
  problems.push(...revision.problems);
  const fit = checkRevisionFit(revision.revision, context.moduleRevision, context);
  problems.push(...fit.problems);

  const sorted = sortProblems(problems);
  const ok = errorsOf(sorted).length === 0;
  if (!ok || rawprogramData === undefined || geometry.geometry === undefined || programmer === undefined || revision.revision === undefined) {
    return { ok: false, problems: sorted, validated: undefined };
  }
  const images = regions.images.map((image) => ({ ...image, md5: md5.md5s.get(image.entry.path) ?? '' }));
  return {
    ok,
    problems: sorted,
    validated: {
      package: pkg,
      revision: revision.revision,
      moduleRevision: fit.moduleRevision,
      geometry: geometry.geometry,
      programmer,
      rawprogramFile: rawprogramData.file,
      erases: rawprogramData.erases,
      vendor: rawprogramData.vendor,
      images,
      patchFile: patches?.patches.file,
      diskPatches: patches?.patches.disk ?? [],
      partitionTable,
      storage: context.storage,
      perUnit,
      problems: sorted,
    },
  };
}

/** The validated package, or PackageInvalidError listing every problem. */
export function requireValidPackage(validation: PackageValidation): ValidatedPackage {
  if (!validation.ok || validation.validated === undefined) throw new PackageInvalidError(validation.problems);
  return validation.validated;
}

interface TextRead {
  readonly pkg: FirmwarePackage;
  readonly problems: PackageProblem[];
  readonly signal: AbortSignal | undefined;
}

async function parseText<T>(read: TextRead, path: string, parse: (text: string, file: string) => T & { readonly problems: readonly PackageProblem[] }): Promise<T | undefined> {
  const { pkg, problems, signal } = read;
  let bytes: Uint8Array;
  try {
    bytes = await readPackageFile(pkg, path, { signal });
  } catch (error) {
    if (signal?.aborted === true) throw error;
    problems.push(problem('FILE_UNREADABLE', `${path} could not be read: ${error instanceof Error ? error.message : String(error)}`, { file: path }));
    return undefined;
  }
  const result = parse(new TextDecoder().decode(bytes), path);
  problems.push(...result.problems);
  return result;
}

/** The MIBIB image: what the rawprogram writes at sector 640, else partition_complete_*.mbn. */
function findTableFile(pkg: FirmwarePackage, images: readonly { readonly program: { readonly startSector: number }; readonly entry: PackageFileEntry }[]): string | undefined {
  const written = images.find((image) => image.program.startSector === MIBIB_START_SECTOR);
  if (written !== undefined) return written.entry.path;
  return pkg.files.find((file) => posix.dirname(file.path) === FIREHOSE_DIR && PARTITION_COMPLETE.test(posix.basename(file.path)))?.path;
}

async function readTable(pkg: FirmwarePackage, path: string, problems: PackageProblem[], signal: AbortSignal | undefined): Promise<NandPartitionTable | undefined> {
  try {
    const table = parseNandPartitionTable(await readPackageFile(pkg, path, { signal }));
    if (table === undefined) problems.push(problem('PARTITION_TABLE_UNREADABLE', `${path} holds no NAND partition table (magic 55EE73AA E35EBDDB)`, { file: path }));
    return table;
  } catch (error) {
    if (signal?.aborted === true) throw error;
    problems.push(problem('PARTITION_TABLE_UNREADABLE', `${path} could not be read: ${error instanceof Error ? error.message : String(error)}`, { file: path }));
    return undefined;
  }
}

const SEVERITY_ORDER = { error: 0, warning: 1, info: 2 } as const;

function sortProblems(problems: readonly PackageProblem[]): PackageProblem[] {
  return problems.map((entry, index) => ({ entry, index })).sort((a, b) => SEVERITY_ORDER[a.entry.severity] - SEVERITY_ORDER[b.entry.severity] || a.index - b.index).map(({ entry }) => entry);
}
