import { attributeOf, parseLineXml } from './line-xml.js';
import { problem, type PackageProblem } from './problems.js';

// patch_*.xml (quectel-ec25.md §2.7): <patch/> lines. Only filename="DISK" lines are meant for the
// device; the others patch files on the host (partition images before they are written) and are
// ignored, as QFirehose and qdl ignore them (edl-protocols.md §2.7).

export interface DiskPatch {
  readonly line: number;
  /** Every attribute, in file order, to be forwarded as it is. */
  readonly attributes: Readonly<Record<string, string>>;
}

export interface PatchFile {
  readonly file: string;
  readonly disk: readonly DiskPatch[];
  /** Lines that patch host files; not for the device. */
  readonly hostLines: readonly number[];
}

export function parsePatchXml(text: string, file: string): { readonly patches: PatchFile; readonly problems: readonly PackageProblem[] } {
  const parsed = parseLineXml(text, file);
  const problems: PackageProblem[] = [...parsed.problems];
  const disk: DiskPatch[] = [];
  const hostLines: number[] = [];
  for (const element of parsed.elements) {
    if (element.tag.toLowerCase() !== 'patch') {
      problems.push(problem('XML_UNKNOWN_ELEMENT', `<${element.tag}> is not a patch line; ignored`, { file, line: element.line }));
      continue;
    }
    if (attributeOf(element, 'filename') === 'DISK') disk.push({ line: element.line, attributes: Object.fromEntries(element.attributes.map((a) => [a.name, a.value])) });
    else hostLines.push(element.line);
  }
  return { patches: { file, disk, hostLines }, problems };
}
