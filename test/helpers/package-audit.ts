// What a careful user (or the host's package validator) checks in a Quectel firmware package,
// written here from the fact sheets alone and not from src/ (quectel sheet §2.6–2.7, edl sheet
// §1.6): every md5.txt line matches its file, every listed or referenced file exists, the XML is
// well-formed, program filenames stay inside the package, images fit their partitions,
// contents.xml names the expected module, and the programmer is a 32-bit ELF.
import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { posix } from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { xmlProblem } from './xml-well-formed.js';

export type DefectKind = 'md5-mismatch' | 'missing-file' | 'truncated-xml' | 'path-traversal' | 'wrong-model' | 'oversized-image' | 'not-elf-programmer';

export interface Defect {
  readonly kind: DefectKind;
  /** Package path ('/'-separated), or the offending filename for path-traversal. */
  readonly file: string;
}

export interface AuditExpectation {
  readonly model: string;
  readonly revision: string;
  readonly geometry: string;
}

export interface ProgramElement {
  readonly filename: string;
  readonly sectorSize: number;
  readonly sectors: number;
  readonly startSector: number;
}

const MD5_LINE = /^([A-Za-z]):\\(.+):([0-9A-Fa-f]{32})$/;

export async function readText(dir: string, path: string): Promise<string | undefined> {
  return readFile(posix.join(dir, path), 'utf8').catch(() => undefined);
}

export async function exists(dir: string, path: string): Promise<boolean> {
  return stat(posix.join(dir, path)).then(
    () => true,
    () => false,
  );
}

/** md5.txt lines as [package path, md5]; a line that is not of Quectel's form is a test failure. */
export function parseMd5Text(text: string): [string, string][] {
  return text
    .split(/\r?\n/)
    .filter((line) => line.length > 0)
    .map((line) => {
      const match = MD5_LINE.exec(line);
      if (match?.[2] === undefined || match[3] === undefined) throw new Error(`md5.txt line not of the form <drive>:\\<path>:<md5>: ${line}`);
      return [match[2].split('\\').join('/'), match[3].toLowerCase()];
    });
}

export function programElements(xml: string): ProgramElement[] {
  const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' });
  const data = (parser.parse(xml) as { data?: { program?: unknown } }).data;
  const raw = data?.program;
  const list = (Array.isArray(raw) ? raw : raw === undefined ? [] : [raw]) as Record<string, string>[];
  return list.map((attrs) => ({
    filename: attrs.filename ?? '',
    sectorSize: Number(attrs.SECTOR_SIZE_IN_BYTES),
    sectors: Number(attrs.num_partition_sectors),
    startSector: Number(attrs.start_sector),
  }));
}

/** A program filename (relative to update/firehose, Windows separators) as a package path, or undefined when it leaves the package. */
export function resolveProgramFile(filename: string): string | undefined {
  const joined = posix.normalize(posix.join('update/firehose', filename.split('\\').join('/')));
  return joined.startsWith('../') || joined === '..' ? undefined : joined;
}

export async function md5Of(dir: string, path: string): Promise<string> {
  return createHash('md5').update(await readFile(posix.join(dir, path))).digest('hex');
}

export async function auditPackage(dir: string, expected: AuditExpectation): Promise<Defect[]> {
  const defects = new Map<string, Defect>();
  const add = (kind: DefectKind, file: string): void => {
    defects.set(`${kind} ${file}`, { kind, file });
  };
  const md5Text = await readText(dir, 'md5.txt');
  if (md5Text === undefined) add('missing-file', 'md5.txt');
  for (const [path, md5] of md5Text === undefined ? [] : parseMd5Text(md5Text)) {
    if (!(await exists(dir, path))) add('missing-file', path);
    else if ((await md5Of(dir, path)) !== md5) add('md5-mismatch', path);
  }
  const xmlFiles = ['contents.xml', 'update/partition_nand.xml', `update/firehose/rawprogram_nand_${expected.geometry}_update.xml`, `update/firehose/patch_${expected.geometry}.xml`];
  const parsed = new Map<string, string>();
  for (const path of xmlFiles) {
    const text = await readText(dir, path);
    if (text === undefined) add('missing-file', path);
    else if (xmlProblem(text) !== undefined) add('truncated-xml', path);
    else parsed.set(path, text);
  }
  const rawprogram = parsed.get(`update/firehose/rawprogram_nand_${expected.geometry}_update.xml`);
  for (const program of rawprogram === undefined ? [] : programElements(rawprogram)) {
    const path = resolveProgramFile(program.filename);
    if (path === undefined) {
      add('path-traversal', program.filename);
      continue;
    }
    const size = await stat(posix.join(dir, path)).then(
      (info) => info.size,
      () => undefined,
    );
    if (size === undefined) add('missing-file', path);
    else if (size > program.sectors * program.sectorSize) add('oversized-image', path);
  }
  const contents = parsed.get('contents.xml');
  if (contents !== undefined) {
    const info = (new XMLParser().parse(contents) as { contents?: { quectel_info?: { model?: string; revision?: string } } }).contents?.quectel_info;
    if (info?.model !== expected.model || info.revision !== expected.revision) add('wrong-model', 'contents.xml');
  }
  const programmer = await readFile(posix.join(dir, 'update/firehose/prog_nand_firehose_9x07.mbn')).catch(() => undefined);
  if (programmer === undefined) add('missing-file', 'update/firehose/prog_nand_firehose_9x07.mbn');
  else if (!(programmer[0] === 0x7f && programmer.subarray(1, 4).toString('latin1') === 'ELF' && programmer[4] === 1)) add('not-elf-programmer', 'update/firehose/prog_nand_firehose_9x07.mbn');
  return [...defects.values()];
}
