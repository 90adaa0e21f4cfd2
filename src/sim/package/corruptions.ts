// Deliberately bad packages, for tests of the host's package validator (DESIGN.md: "a package
// is fully validated … before the first byte is written"). Each kind makes exactly one defect and
// leaves everything else as a good package has it — md5.txt matches the changed file unless the
// defect is the mismatch itself:
//   md5-mismatch        a byte of FILE (default update/sbl1.mbn) changed after md5.txt was
//                       written, as a download corrupted in transit
//   missing-file        FILE (default update/NON-HLOS.ubi) absent, still listed in md5.txt
//   truncated-xml       FILE (default the rawprogram) cut off in the middle of an element
//   path-traversal      the rawprogram's program lines for FILE (default NON-HLOS.ubi) point
//                       at ..\..\..\<name>, outside the package
//   wrong-model         a consistent package for another module (EC25 → EG25 and back)
//   oversized-image     FILE (default update/rpm.mbn) a page and a bit bigger than its partition
//   not-elf-programmer  prog_nand_firehose_9x07.mbn is not an ELF (the PBL answers 0x14)
import { UsageError } from '../../core/errors.js';
import { MD5_PATH, PACKAGE_IMAGES, PROGRAMMER_PATH, imagePath, rawprogramPath, patchPath, PARTITION_XML_PATH, CONTENTS_PATH, type PackageGeometry } from './package-layout.js';

export const CORRUPTION_KINDS = ['md5-mismatch', 'missing-file', 'truncated-xml', 'path-traversal', 'wrong-model', 'oversized-image', 'not-elf-programmer'] as const;
export type CorruptionKind = (typeof CORRUPTION_KINDS)[number];

export interface PackageCorruption {
  readonly kind: CorruptionKind;
  /** Package path ('/'-separated) of the file to damage, where the kind takes one. */
  readonly file?: string;
}

/** The other module a wrong-model package is built for (revisions from quectel sheet §2.9). */
export const WRONG_MODEL: Readonly<Record<string, { readonly model: string; readonly revision: string }>> = {
  EC25: { model: 'EG25', revision: 'EG25GGBR07A08M2G' },
};
const WRONG_MODEL_FALLBACK = { model: 'EC25', revision: 'EC25AFAR05A04M4G' } as const;

export function wrongModelFor(model: string): { readonly model: string; readonly revision: string } {
  return WRONG_MODEL[model] ?? WRONG_MODEL_FALLBACK;
}

export interface ResolvedCorruption {
  readonly kind: CorruptionKind;
  /** The damaged file, for the kinds that damage one. */
  readonly file: string | undefined;
}

/** Which files each kind may damage, and its default. */
function candidates(kind: CorruptionKind, geometry: PackageGeometry): { readonly files: readonly string[]; readonly fallback: string } | undefined {
  const images = PACKAGE_IMAGES.map((spec) => imagePath(spec, geometry));
  const programmed = PACKAGE_IMAGES.filter((spec) => spec.partitions.length > 0).map((spec) => imagePath(spec, geometry));
  const xml = [rawprogramPath(geometry), patchPath(geometry), PARTITION_XML_PATH, CONTENTS_PATH];
  switch (kind) {
    case 'md5-mismatch':
      return { files: [...images, ...xml], fallback: 'update/sbl1.mbn' };
    case 'missing-file':
      return { files: [...images, ...xml, MD5_PATH], fallback: 'update/NON-HLOS.ubi' };
    case 'truncated-xml':
      return { files: xml, fallback: rawprogramPath(geometry) };
    case 'path-traversal':
      return { files: programmed, fallback: 'update/NON-HLOS.ubi' };
    case 'oversized-image':
      return { files: programmed, fallback: 'update/rpm.mbn' };
    case 'wrong-model':
    case 'not-elf-programmer':
      return undefined;
  }
}

export function resolveCorruption(corruption: PackageCorruption | undefined, geometry: PackageGeometry): ResolvedCorruption | undefined {
  if (corruption === undefined) return undefined;
  const { kind } = corruption;
  if (!(CORRUPTION_KINDS as readonly string[]).includes(kind)) {
    throw new UsageError(`unknown corruption ${kind}`, { hint: `Use one of: ${CORRUPTION_KINDS.join(', ')}.` });
  }
  const allowed = candidates(kind, geometry);
  if (allowed === undefined) {
    if (corruption.file !== undefined) throw new UsageError(`${kind} does not take a file`, { hint: kind === 'not-elf-programmer' ? `It always replaces ${PROGRAMMER_PATH}.` : 'It changes the whole package.' });
    return { kind, file: undefined };
  }
  const file = corruption.file ?? allowed.fallback;
  if (!allowed.files.includes(file)) {
    throw new UsageError(`${kind} cannot damage ${file}`, { hint: `Give a package path, one of: ${allowed.files.join(', ')}.` });
  }
  return { kind, file };
}

/** Where truncated-xml cuts: inside the last program element, or past the middle of other XML — never at a line end. */
export function truncationPoint(text: string): number {
  const lastProgram = text.lastIndexOf('<program ');
  let cut = lastProgram >= 0 ? lastProgram + 40 : Math.floor(text.length * 0.6);
  while (cut > 1 && (text[cut - 1] === '\n' || text[cut - 1] === '>')) cut -= 1;
  return Math.min(cut, text.length - 1);
}

/** The traversal filename for an image: three levels up from update/firehose leaves the package. */
export function traversalFilename(name: string): string {
  return `..\\..\\..\\${name}`;
}
