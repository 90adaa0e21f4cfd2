import { PackageError } from './errors.js';

// Where the package starts: the folder that holds `update/` (QFirehose's `-f <dir>`,
// quectel-ec25.md §2.2). A zip may hold it at its top or inside one folder named after the
// firmware (EC25EFAR06A01M4G/update/…, §2.6); anything else (e.g. __MACOSX/) is not the package.

/** The prefix ('' or 'name/') under which `update/` sits, from the file paths of a zip. */
export function findRootPrefix(paths: readonly string[], where: string): string {
  const prefixes = new Set<string>();
  for (const path of paths) {
    const parts = path.split('/');
    if (parts.length >= 2 && parts[0] === 'update') prefixes.add('');
    else if (parts.length >= 3 && parts[1] === 'update') prefixes.add(`${parts[0] ?? ''}/`);
  }
  if (prefixes.size === 1) return [...prefixes][0] ?? '';
  if (prefixes.size === 0) {
    throw new PackageError('PACKAGE_LAYOUT', `${where} has no update/ folder at its top or one folder down`, {
      hint: 'A Quectel package holds update/ (images) and update/firehose/ (programmer and XML) (quectel-ec25.md §2.6). Check this is the firmware package.',
    });
  }
  throw new PackageError('PACKAGE_LAYOUT', `${where} holds several packages (${[...prefixes].map((p) => `${p}update/`).join(', ')})`, {
    hint: 'Give one package at a time: unpack the one you want, or point at its folder.',
  });
}
