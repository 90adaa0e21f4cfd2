import { posix } from 'node:path';
import type { FirehoseStorageInfo } from '../../protocols/firehose/storage-info.js';
import { EC25_PAGES_PER_BLOCK, formatGeometry, geometryFromName, type NandGeometry } from './geometry.js';
import { problem, type PackageProblem } from './problems.js';
import type { Rawprogram } from './rawprogram.js';

// The package's NAND geometry, from its file names (p4K_b256K…) and the XML lines, which must agree
// with each other, with the EC25 family (64 pages per block, edl-protocols.md §2.9) and with what
// the module reported (getstorageinfo, §2.7). A mismatch would make the programmer NAK every line
// (§2.4) — after the SBL erase, which is the worst moment to find out.

/** What getstorageinfo told about the module; any field may be unknown. */
export type ModuleStorage = Partial<Pick<FirehoseStorageInfo, 'pageSize' | 'pagesPerBlock' | 'totalPages' | 'badBlocks'>>;

export interface GeometryInputs {
  /** Names of the geometry-bearing files: rawprogram, patch, partition_complete_*.mbn. */
  readonly fileNames: readonly string[];
  readonly rawprogram: Rawprogram | undefined;
  readonly storage: ModuleStorage | undefined;
}

export function checkGeometry(inputs: GeometryInputs): { readonly geometry: NandGeometry | undefined; readonly problems: readonly PackageProblem[] } {
  const problems: PackageProblem[] = [];
  const named = inputs.fileNames.map((path) => ({ path, geometry: geometryFromName(posix.basename(path)) }));
  const tokens = named.filter((entry): entry is { path: string; geometry: NandGeometry } => entry.geometry !== undefined);
  const distinct = [...new Set(tokens.map((entry) => `${entry.geometry.pageSize}/${entry.geometry.pagesPerBlock}`))];
  if (distinct.length > 1) {
    problems.push(problem('GEOMETRY_INCONSISTENT', `file names disagree: ${tokens.map((entry) => `${posix.basename(entry.path)} (${entry.geometry.token})`).join(', ')}`));
  }
  let geometry = tokens[0]?.geometry;
  const lines = inputs.rawprogram === undefined ? [] : [...inputs.rawprogram.erases, ...inputs.rawprogram.programs];
  const file = inputs.rawprogram?.file;
  if (geometry === undefined) {
    const sizes = [...new Set(lines.map((line) => line.sectorSize).filter((value) => value !== undefined))];
    const blocks = [...new Set(lines.map((line) => line.pagesPerBlock).filter((value) => value !== undefined))];
    if (sizes.length === 1 && blocks.length === 1 && sizes[0] !== undefined && blocks[0] !== undefined) {
      geometry = { pageSize: sizes[0], pagesPerBlock: blocks[0], token: `p${sizes[0] / 1024}K_b${(sizes[0] * blocks[0]) / 1024}K` };
    } else {
      problems.push(problem('GEOMETRY_UNKNOWN', 'no p<page>K_b<block>K in the file names and no single SECTOR_SIZE_IN_BYTES / PAGES_PER_BLOCK in the XML'));
      return { geometry: undefined, problems };
    }
  } else {
    for (const line of lines) {
      const sizeWrong = line.sectorSize !== undefined && line.sectorSize !== geometry.pageSize;
      const blockWrong = line.pagesPerBlock !== undefined && line.pagesPerBlock !== geometry.pagesPerBlock;
      if (sizeWrong || blockWrong) {
        problems.push(problem('GEOMETRY_INCONSISTENT', `SECTOR_SIZE_IN_BYTES=${line.sectorSize ?? '-'} PAGES_PER_BLOCK=${line.pagesPerBlock ?? '-'} contradicts ${geometry.token} in the file name`, { file, line: line.line }));
      }
    }
  }
  if (geometry.pagesPerBlock !== EC25_PAGES_PER_BLOCK) {
    problems.push(problem('GEOMETRY_MISMATCH', `${geometry.token} means ${geometry.pagesPerBlock} pages per block; the EC25 family has ${EC25_PAGES_PER_BLOCK} (edl-protocols.md §2.9)`));
  }
  const storage = inputs.storage;
  if (storage?.pageSize === undefined) {
    problems.push(problem('GEOMETRY_NOT_CHECKED', `package geometry ${formatGeometry(geometry)}; the module's NAND was not read yet`));
  } else {
    if (storage.pageSize !== geometry.pageSize) {
      problems.push(problem('GEOMETRY_MISMATCH', `the package is for ${geometry.pageSize}-byte pages (${geometry.token}); the module reports ${storage.pageSize}`, { details: { package: geometry, module: storage.pageSize } }));
    }
    if (storage.pagesPerBlock !== undefined && storage.pagesPerBlock !== geometry.pagesPerBlock) {
      problems.push(problem('GEOMETRY_MISMATCH', `the package is for ${geometry.pagesPerBlock} pages per block; the module reports ${storage.pagesPerBlock}`));
    }
  }
  return { geometry, problems };
}
