// update/partition_nand.xml: the human-readable source of the MIBIB, which Qualcomm's NAND tools
// compile into partition.mbn / partition_complete_*.mbn; QFirehose never reads it (quectel sheet
// §2.7). The element names are our recollection of Qualcomm's nandboot format (magic_numbers,
// partition_version, partitions/partition with name, size_kb, pad_kb, which_flash, attr,
// attr2, attr3, img_name) — UNVERIFIED; the values are the MIBIB's (mibib.ts), sizes in KiB of
// this package's geometry.
import { mibibName } from './mibib.js';
import { baseName } from './package-layout.js';
import type { PackagePlan } from './package-plan.js';
import { textElement } from './xml-text.js';

export function partitionNandXml(plan: PackagePlan): string {
  const images = new Map<string, string>();
  for (const program of plan.programs) if (!images.has(program.partition.name)) images.set(program.partition.name, baseName(program.image.path));
  const lines = [
    '<?xml version="1.0" encoding="utf-8"?>',
    '<nandboot>',
    '  <magic_numbers>',
    `    ${textElement('usr_part_magic1', '0xAA7D1B9A')}`,
    `    ${textElement('usr_part_magic2', '0x1F7D48BC')}`,
    '  </magic_numbers>',
    `  ${textElement('partition_version', '0x4', [['length', 4]])}`,
    '  <partitions>',
  ];
  for (const spec of plan.layout) {
    const third = spec.name === 'mibib' || spec.name === 'efs2' ? '0xFF' : '0x00';
    lines.push(
      '    <partition>',
      `      ${textElement('name', mibibName(spec.name), [['length', 16], ['type', 'string']])}`,
      `      ${textElement('size_kb', String((spec.blockCount * plan.blockBytes) / 1024), [['length', 4]])}`,
      `      ${textElement('pad_kb', '0', [['length', 4]])}`,
      `      ${textElement('which_flash', '0')}`,
      `      ${textElement('attr', '0xFF')}`,
      `      ${textElement('attr2', '0x01')}`,
      `      ${textElement('attr3', third)}`,
      `      ${textElement('img_name', images.get(spec.name) ?? '', [['type', 'string']])}`,
      '    </partition>',
    );
  }
  lines.push('  </partitions>', '</nandboot>');
  return `${lines.join('\n')}\n`;
}
