import { problem, type PackageProblem } from './problems.js';

// md5.txt as Quectel writes it (quectel-ec25.md §2.7): one `<drive>:\<path>\<file>:<MD5>` per line,
// the path being where the package sat on the build machine. QFirehose compares only the first
// 16 hex digits; we keep the whole hash and compare all of it when it is there (md5-check.ts).

export interface Md5Entry {
  readonly line: number;
  /** As written, e.g. `E:\EC25EFAR06A01M4G\update\NON-HLOS.ubi`. */
  readonly listedPath: string;
  /** Path components without the drive, `\` and `/` both taken as separators. */
  readonly components: readonly string[];
  /** Lower-case hex: 32 digits, or a prefix of at least 16. */
  readonly md5: string;
}

const LINE = /^(.*):([0-9A-Fa-f]{16,32})$/;

export function parseMd5List(text: string, file: string): { readonly entries: readonly Md5Entry[]; readonly problems: readonly PackageProblem[] } {
  const entries: Md5Entry[] = [];
  const problems: PackageProblem[] = [];
  text.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/).forEach((raw, index) => {
    const line = index + 1;
    const trimmed = raw.trim();
    if (trimmed === '') return;
    const match = LINE.exec(trimmed);
    const listedPath = match?.[1]?.trim() ?? '';
    const components = listedPath.replace(/^[A-Za-z]:/, '').split(/[\\/]+/).filter((part) => part !== '' && part !== '.');
    if (match === null || components.length === 0) {
      if (problems.length < 10) problems.push(problem('MD5_TXT_MALFORMED', `not "<path>:<md5>": ${trimmed.length > 80 ? `${trimmed.slice(0, 77)}...` : trimmed}`, { file, line }));
      return;
    }
    entries.push({ line, listedPath, components, md5: (match[2] ?? '').toLowerCase() });
  });
  return { entries, problems };
}

/**
 * The package file an md5.txt line stands for: the longest tail of its path that names exactly one
 * package file (the head is the build machine's folder, which means nothing here).
 */
export function matchMd5Entry(entry: Md5Entry, paths: readonly string[]): string | undefined {
  const lower = paths.map((path) => path.toLowerCase());
  for (let start = 0; start < entry.components.length; start += 1) {
    const tail = entry.components.slice(start).join('/');
    const exact = paths.filter((path) => path === tail || path.endsWith(`/${tail}`));
    if (exact.length === 1) return exact[0];
    if (exact.length > 1) continue;
    const folded = tail.toLowerCase();
    const loose = paths.filter((_, index) => lower[index] === folded || (lower[index] ?? '').endsWith(`/${folded}`));
    if (loose.length === 1) return loose[0];
  }
  return undefined;
}
