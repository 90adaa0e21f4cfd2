import type { FirmwarePackage, PackageFileEntry } from './package-source.js';
import { problem, type PackageProblem } from './problems.js';
import type { Rawprogram, RawprogramProgram } from './rawprogram.js';

// Every file a program line names must be in the package (quectel-ec25.md §2.7: looked up in
// update/firehose/, then update/). A name that differs only in case is taken, with a warning —
// packages that passed through Windows come out that way.

export interface ResolvedImage {
  readonly program: RawprogramProgram;
  readonly entry: PackageFileEntry;
}

export function resolveImages(pkg: FirmwarePackage, rawprogram: Rawprogram): { readonly images: readonly ResolvedImage[]; readonly problems: readonly PackageProblem[] } {
  const images: ResolvedImage[] = [];
  const problems: PackageProblem[] = [];
  for (const program of rawprogram.programs) {
    const where = { file: rawprogram.file, line: program.line };
    const exact = program.candidates.map((path) => pkg.file(path)).find((entry) => entry !== undefined);
    let entry = exact;
    if (entry === undefined) {
      const folded = program.candidates.map((path) => path.toLowerCase());
      entry = pkg.files.find((file) => folded.includes(file.path.toLowerCase()));
      if (entry !== undefined) problems.push(problem('FILE_NAME_CASE', `"${program.filename}" found as ${entry.path}`, where));
    }
    if (entry === undefined) {
      problems.push(problem('FILE_MISSING', `"${program.filename}" is not in the package (looked for ${program.candidates.join(', ')})`, where));
      continue;
    }
    if (entry.size === 0) {
      problems.push(problem('FILE_EMPTY', `${entry.path} is empty`, where));
      continue;
    }
    images.push({ program, entry });
  }
  return { images, problems };
}
