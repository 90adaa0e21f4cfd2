import { matchMd5Entry, parseMd5List, type Md5Entry } from './md5-list.js';
import { md5OfPackageFile, type Md5Progress } from './md5-stream.js';
import type { FirmwarePackage } from './package-source.js';
import { readPackageFile } from './package-read.js';
import { problem, type PackageProblem } from './problems.js';

// Hashes every file the flash will use (images and programmer) and every file md5.txt lists, by
// streaming, and compares the hashes md5.txt gives (quectel-ec25.md §2.7). QFirehose compares the first 16 hex digits only; we
// compare all 32 when md5.txt has them and say when it had only a prefix. No md5.txt: a warning,
// not an error — QFirehose skips the check then, and so must we be able to.

export const MD5_LIST_PATH = 'md5.txt';

export interface Md5CheckInputs {
  readonly pkg: FirmwarePackage;
  /** Package paths the flash uses; each is hashed once. */
  readonly paths: readonly string[];
  readonly signal?: AbortSignal | undefined;
  readonly onProgress?: ((progress: Md5Progress) => void) | undefined;
}

export interface Md5CheckResult {
  /** path → lower-case hex MD5, for every path that could be read. */
  readonly md5s: ReadonlyMap<string, string>;
  readonly problems: readonly PackageProblem[];
}

export async function checkMd5s(inputs: Md5CheckInputs): Promise<Md5CheckResult> {
  const { pkg } = inputs;
  const problems: PackageProblem[] = [];
  const listPath = pkg.files.find((file) => file.path.toLowerCase() === MD5_LIST_PATH)?.path;
  const listed = new Map<string, Md5Entry>();
  if (listPath === undefined) {
    problems.push(problem('MD5_TXT_MISSING', 'the package has no md5.txt; image contents are not checked'));
  } else {
    const text = new TextDecoder().decode(await readPackageFile(pkg, listPath, { signal: inputs.signal }));
    const parsed = parseMd5List(text, listPath);
    problems.push(...parsed.problems);
    const paths = pkg.files.map((file) => file.path);
    for (const entry of parsed.entries) {
      const path = matchMd5Entry(entry, paths);
      if (path === undefined) problems.push(problem('MD5_LISTED_FILE_MISSING', `${entry.listedPath} is listed but not in the package`, { file: listPath, line: entry.line }));
      else listed.set(path, entry);
    }
  }

  const md5s = new Map<string, string>();
  let full = 0;
  let prefix = 0;
  // Every file the flash uses, and every other file md5.txt lists (the XML the plan is made from).
  for (const path of [...new Set([...inputs.paths, ...listed.keys()])]) {
    let md5: string;
    try {
      ({ md5 } = await md5OfPackageFile(pkg, path, { signal: inputs.signal, onProgress: inputs.onProgress }));
    } catch (error) {
      if (inputs.signal?.aborted === true) throw error;
      problems.push(problem('FILE_UNREADABLE', `${path} could not be read: ${error instanceof Error ? error.message : String(error)}`, { file: path }));
      continue;
    }
    md5s.set(path, md5);
    const entry = listed.get(path);
    if (entry === undefined) {
      if (listPath !== undefined) problems.push(problem('MD5_NOT_LISTED', `${path} has no line in md5.txt`, { file: path }));
      continue;
    }
    const where = { file: path, details: { listed: entry.md5, actual: md5, md5TxtLine: entry.line } };
    if (entry.md5.length < 32) {
      prefix += 1;
      problems.push(problem('MD5_PREFIX_ONLY', `md5.txt line ${entry.line} lists only ${entry.md5.length} hex digits for ${path}`, where));
    } else {
      full += 1;
    }
    if (!md5.startsWith(entry.md5)) problems.push(problem('MD5_MISMATCH', `MD5 is ${md5}; md5.txt line ${entry.line} says ${entry.md5}`, where));
  }
  if (full + prefix > 0) {
    problems.push(problem('MD5_COMPARED', `${full} file(s) compared on all 32 hex digits${prefix > 0 ? `, ${prefix} on the prefix md5.txt gives` : ''} (QFirehose compares 16)`));
  }
  return { md5s, problems };
}
