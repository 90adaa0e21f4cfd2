// rawprogram_nand_<geometry>_update.xml and patch_<geometry>.xml in Quectel's form. The one real
// NAND rawprogram we have (DEFC, EC25EFAR06A01M4G):
//   <?xml version="1.0" ?>
//   <data>
//     <erase PAGES_PER_BLOCK="64" SECTOR_SIZE_IN_BYTES="4096" num_partition_sectors="640" physical_partition_number="0" start_sector="640"/>
//     <program PAGES_PER_BLOCK="64" SECTOR_SIZE_IN_BYTES="4096" filename="partition_complete_p4K_b256K.mbn" num_partition_sectors="640" physical_partition_number="0" start_sector="640"/>
//   </data>
// — two-space indent, one element per line (QFirehose reads it line by line and forwards each
// line verbatim, quectel sheet §2.7, edl sheet §2.9), attributes in ASCII order, sectors = NAND
// pages, num_partition_sectors = the whole partition (QFirehose recomputes it from the file size
// when it sends the program), filenames relative to update/firehose with Windows `..\`. No
// `label` attribute in that sample, so none here, though QFirehose would accept one.
// Each partition gets its erase line, then its program line(s), in partition order; sbl is at
// start_sector 0 and QFirehose reorders so it is programmed last (§2.9).
import { asciiSorted, emptyElement, escapeXml, type XmlAttributes } from './xml-text.js';
import { PAGES_PER_BLOCK, type PackagePlan, type ProgramLine } from './package-plan.js';

const DECLARATION = '<?xml version="1.0" ?>';
const INDENT = '  ';

export interface RawprogramOptions {
  /** Filenames to write instead of the relative path, by package path (the path-traversal defect). */
  readonly filenameOverrides?: ReadonlyMap<string, string>;
}

/** `update/NON-HLOS.ubi` → `..\NON-HLOS.ubi`; files in update/firehose stand alone. */
export function firehoseRelative(path: string): string {
  const parts = path.split('/');
  if (parts[0] === 'update' && parts[1] === 'firehose') return parts.slice(2).join('\\');
  if (parts[0] === 'update') return ['..', ...parts.slice(1)].join('\\');
  return ['..', '..', ...parts].join('\\');
}

export function rawprogramXml(plan: PackagePlan, options: RawprogramOptions = {}): string {
  const lines: string[] = [DECLARATION, '<data>'];
  const seen = new Set<string>();
  for (const program of plan.programs) {
    if (!seen.has(program.partition.name)) {
      seen.add(program.partition.name);
      lines.push(INDENT + emptyElement('erase', eraseAttributes(plan, program)));
    }
    const filename = options.filenameOverrides?.get(program.image.path) ?? firehoseRelative(program.image.path);
    lines.push(INDENT + emptyElement('program', asciiSorted([...common(plan, program), ['filename', filename]])));
  }
  lines.push('</data>');
  return `${lines.join('\n')}\n`;
}

/**
 * NAND needs no GPT fix-ups, and QFirehose sends only filename="DISK" patch lines — which the
 * boot.bf NAND programmer would NAK, having no <patch> (edl sheet §2.2, §2.7). So the file holds
 * no patch element; what real Quectel NAND patch files contain is not in our sources (GAP).
 */
export function patchXml(plan: PackagePlan): string {
  const note = `NAND ${plan.geometry}: no patches are needed, none are sent`;
  return `${[DECLARATION, '<data>', `${INDENT}<!--${escapeXml(note)}-->`, '</data>'].join('\n')}\n`;
}

function eraseAttributes(plan: PackagePlan, program: ProgramLine): XmlAttributes {
  return asciiSorted(common(plan, program));
}

function common(plan: PackagePlan, program: ProgramLine): XmlAttributes {
  return [
    ['PAGES_PER_BLOCK', PAGES_PER_BLOCK],
    ['SECTOR_SIZE_IN_BYTES', plan.pageSize],
    ['num_partition_sectors', program.partition.blockCount * PAGES_PER_BLOCK],
    ['physical_partition_number', 0],
    ['start_sector', program.partition.startBlock * PAGES_PER_BLOCK],
  ];
}
