import { posix } from 'node:path';

// File names in Quectel's XML are Windows paths relative to the XML file (`..\NON-HLOS.ubi` from
// update/firehose/, edl-protocols.md §2.4, §2.9); QFirehose converts the backslashes and looks the
// file up in update/firehose/ or update/ (quectel-ec25.md §2.7). A name that is absolute, or whose
// `..` climbs above the package root, is refused: a package may only name its own files.

export type XmlPathResult =
  | { readonly ok: true; readonly candidates: readonly string[] }
  | { readonly ok: false; readonly reason: string };

export function packagePathsFor(filename: string, xmlDir: string): XmlPathResult {
  const name = filename.trim().replace(/\\/g, '/');
  if (name.includes('\0')) return { ok: false, reason: 'contains a NUL character' };
  if (name.startsWith('/') || /^[A-Za-z]:/.test(name)) return { ok: false, reason: 'is an absolute path' };
  const primary = posix.normalize(posix.join(xmlDir, name));
  if (primary === '..' || primary.startsWith('../')) return { ok: false, reason: 'climbs out of the package with ..' };
  // QFirehose's second place to look: update/ itself, by base name.
  const fallback = posix.join('update', posix.basename(name));
  const candidates = fallback === primary ? [primary] : [primary, fallback];
  return { ok: true, candidates };
}
