// contents.xml, the build manifest at the package root. Real ones are Qualcomm meta-build
// manifests (build IDs, paths) that QFirehose does not read (quectel sheet §2.7, UNVERIFIED for
// other tools). Ours keeps that shape — <contents>, <product_info>, <builds_flat> with one
// <build> per Qualcomm build and its <download_file>s — and adds the one thing a host needs to
// check a package against a module, which we found no real source for, so it is ours:
//   <quectel_info>
//     <model>EC25</model>
//     <revision>EC25AFAR05A04M4G</revision>     ATI / AT+GMR string (§2.9)
//     <sub_version>01.001.01.001</sub_version>   AT+QGMR suffix
//     <storage_type>nand</storage_type>
//     <nand_geometry>p4K_b256K</nand_geometry>
//   </quectel_info>
// The build_id branches are of the MDM9x07 era (boot.bf 3.1.2 is the edl sheet's QC-FH-NAND
// tree; the others are our guess) with the revision appended; nothing reads them.
import { baseName, type BuildName, type PackageGeometry } from './package-layout.js';
import { textElement } from './xml-text.js';

const BUILD_BRANCHES: Readonly<Record<BuildName, string>> = {
  boot: 'BOOT.BF.3.1.2.c2.2',
  rpm: 'RPM.BF.2.2',
  tz: 'TZ.BF.4.0.1',
  modem: 'MPSS.JO.2.0.c1.4',
  apps: 'LE.UM.1.2',
  common: 'MDM9607.LE.2.0',
};

export interface ContentsOptions {
  readonly model: string;
  readonly revision: string;
  readonly subVersion: string;
  readonly geometry: PackageGeometry;
  /** Package paths of the files each build contributes. */
  readonly files: readonly { readonly path: string; readonly build: BuildName }[];
}

export function contentsXml(options: ContentsOptions): string {
  const lines = [
    '<?xml version="1.0" encoding="utf-8"?>',
    '<contents>',
    '  <product_info>',
    `    ${textElement('product_name', BUILD_BRANCHES.common)}`,
    `    ${textElement('hlos_type', 'LE', [['cmm_var', 'HLOS_TYPE']])}`,
    `    ${textElement('chipid', 'MDM9607', [['flavor', 'default'], ['cmm_var', 'CHIPID']])}`,
    '  </product_info>',
    '  <quectel_info>',
    `    ${textElement('model', options.model)}`,
    `    ${textElement('revision', options.revision)}`,
    `    ${textElement('sub_version', options.subVersion)}`,
    `    ${textElement('storage_type', 'nand')}`,
    `    ${textElement('nand_geometry', options.geometry)}`,
    '  </quectel_info>',
    '  <builds_flat>',
  ];
  for (const build of Object.keys(BUILD_BRANCHES) as BuildName[]) {
    const files = options.files.filter((file) => file.build === build);
    lines.push(
      '    <build>',
      `      ${textElement('name', build)}`,
      `      ${textElement('role', build)}`,
      `      ${textElement('chipset', 'mdm9607')}`,
      `      ${textElement('build_id', `${BUILD_BRANCHES[build]}-${options.revision}`)}`,
    );
    for (const file of files) {
      const folder = file.path.slice(0, file.path.length - baseName(file.path).length);
      lines.push('      <download_file>', `        ${textElement('file_name', baseName(file.path))}`, `        ${textElement('file_path', folder)}`, '      </download_file>');
    }
    lines.push('    </build>');
  }
  lines.push('  </builds_flat>', '</contents>');
  return `${lines.join('\n')}\n`;
}
