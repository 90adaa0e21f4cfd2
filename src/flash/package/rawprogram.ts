import { posix } from 'node:path';
import { attributeOf, parseLineXml, type XmlLineElement } from './line-xml.js';
import { packagePathsFor } from './package-path.js';
import { problem, type PackageProblem } from './problems.js';
import { NumberReader } from './xml-numbers.js';

// rawprogram_*.xml as Quectel writes it (quectel-ec25.md §2.7, edl-protocols.md §2.4, §2.6, §2.9):
// <erase/> and <program/> lines with sparse attributes (each line carries only what it needs),
// Windows `..\` file names relative to update/firehose/, empty-filename program lines that QFirehose
// skips, and lines with vendor="quectel" that QFirehose forwards verbatim as vendor commands.

/** The addressing attributes of a line; units are sectors (= NAND pages, edl-protocols.md §2.9). */
export interface RegionFields {
  readonly startSector: number;
  readonly numSectors: number | undefined;
  readonly sectorSize: number | undefined;
  readonly pagesPerBlock: number | undefined;
  readonly physicalPartitionNumber: number | undefined;
  readonly lastSector: number | undefined;
}

export interface RawprogramErase extends RegionFields {
  readonly line: number;
  /** Attributes we do not interpret, forwarded as they are. */
  readonly extra: Readonly<Record<string, string>>;
}

export interface RawprogramProgram extends RegionFields {
  readonly line: number;
  /** As written, e.g. `..\NON-HLOS.ubi`. */
  readonly filename: string;
  /** Package paths to look for the file in, first match wins (update/firehose/…, then update/…). */
  readonly candidates: readonly string[];
  readonly label: string | undefined;
  /** sparse="true" (eMMC/UFS only, §2.4). */
  readonly sparse: boolean;
  readonly fileSectorOffset: number | undefined;
  readonly extra: Readonly<Record<string, string>>;
}

/** A line QFirehose forwards verbatim (vendor="quectel", §2.7); its meaning is Quectel's. */
export interface VendorCommand {
  readonly line: number;
  readonly tag: string;
  readonly attributes: Readonly<Record<string, string>>;
}

export interface Rawprogram {
  readonly file: string;
  readonly erases: readonly RawprogramErase[];
  readonly programs: readonly RawprogramProgram[];
  readonly vendor: readonly VendorCommand[];
  /** Lines of program elements without a file name, skipped as QFirehose does. */
  readonly skippedLines: readonly number[];
}

export interface RawprogramResult {
  readonly rawprogram: Rawprogram;
  readonly problems: readonly PackageProblem[];
}

const REGION_ATTRIBUTES = ['start_sector', 'num_partition_sectors', 'sector_size_in_bytes', 'pages_per_block', 'physical_partition_number', 'last_sector'];
const PROGRAM_ATTRIBUTES = [...REGION_ATTRIBUTES, 'filename', 'label', 'sparse', 'file_sector_offset'];

export function parseRawprogram(text: string, file: string): RawprogramResult {
  const parsed = parseLineXml(text, file);
  const problems: PackageProblem[] = [...parsed.problems];
  const numbers = new NumberReader(file);
  const erases: RawprogramErase[] = [];
  const programs: RawprogramProgram[] = [];
  const vendor: VendorCommand[] = [];
  const skippedLines: number[] = [];
  const xmlDir = posix.dirname(file);
  for (const element of parsed.elements) {
    const where = { file, line: element.line };
    if (attributeOf(element, 'vendor')?.toLowerCase() === 'quectel') {
      vendor.push({ line: element.line, tag: element.tag, attributes: Object.fromEntries(element.attributes.map((a) => [a.name, a.value])) });
      continue;
    }
    const tag = element.tag.toLowerCase();
    if (tag === 'erase') {
      // §2.9: QFirehose skips erase lines without SECTOR_SIZE_IN_BYTES.
      if (attributeOf(element, 'SECTOR_SIZE_IN_BYTES') === undefined) {
        problems.push(problem('ERASE_SKIPPED', 'erase line without SECTOR_SIZE_IN_BYTES skipped', where));
        continue;
      }
      const region = readRegion(element, numbers, true);
      if (region !== undefined) erases.push({ ...region, line: element.line, extra: extraAttributes(element, REGION_ATTRIBUTES) });
    } else if (tag === 'program') {
      const filename = attributeOf(element, 'filename') ?? '';
      if (filename.trim() === '') {
        skippedLines.push(element.line);
        continue;
      }
      const paths = packagePathsFor(filename, xmlDir);
      if (!paths.ok) {
        problems.push(problem('PATH_TRAVERSAL', `filename "${filename}" ${paths.reason}`, where));
        continue;
      }
      const region = readRegion(element, numbers, false);
      const offset = numbers.optional(element, 'file_sector_offset');
      if (region === undefined || !offset.ok) continue;
      programs.push({
        ...region,
        line: element.line,
        filename,
        candidates: paths.candidates,
        label: attributeOf(element, 'label'),
        sparse: attributeOf(element, 'sparse')?.toLowerCase() === 'true',
        fileSectorOffset: offset.value,
        extra: extraAttributes(element, PROGRAM_ATTRIBUTES),
      });
    } else {
      problems.push(problem('XML_UNKNOWN_ELEMENT', `<${element.tag}> is not an erase or program line; ignored`, where));
    }
  }
  problems.push(...numbers.problems);
  return { rawprogram: { file, erases, programs, vendor, skippedLines }, problems };
}

function readRegion(element: XmlLineElement, numbers: NumberReader, isErase: boolean): RegionFields | undefined {
  const start = numbers.required(element, 'start_sector');
  const count = isErase ? numbers.required(element, 'num_partition_sectors') : numbers.optional(element, 'num_partition_sectors');
  const sectorSize = numbers.optional(element, 'SECTOR_SIZE_IN_BYTES');
  const pagesPerBlock = numbers.optional(element, 'PAGES_PER_BLOCK');
  const physical = numbers.optional(element, 'physical_partition_number');
  const last = numbers.optional(element, 'last_sector');
  if (!start.ok || !count.ok || !sectorSize.ok || !pagesPerBlock.ok || !physical.ok || !last.ok || start.value === undefined) return undefined;
  return {
    startSector: start.value,
    numSectors: count.value,
    sectorSize: sectorSize.value,
    pagesPerBlock: pagesPerBlock.value,
    physicalPartitionNumber: physical.value,
    lastSector: last.value,
  };
}

function extraAttributes(element: XmlLineElement, known: readonly string[]): Record<string, string> {
  return Object.fromEntries(element.attributes.filter((a) => !known.includes(a.name.toLowerCase())).map((a) => [a.name, a.value]));
}
