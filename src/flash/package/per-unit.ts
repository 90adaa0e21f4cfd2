// Partitions that belong to one unit, not to a firmware: no package contains them, a reflash must
// not touch them, and they are backed up before anything is erased (DESIGN.md "Nothing is lost").
// Which ones, and how sure we are (quectel-ec25.md §2.6 partition list, §5.1; edl-protocols.md §2.6):
//   efs2    — EFS2: NV items, RF calibration (the QCN), IMEI. Quectel does not supply it; losing it
//             gives +CFUN: 5 / CSQ 99,99 (§5.1 QFORUM/56770). The package has no image for it
//             (§2.6 [DEFC]). Certain. A backup failure stops the flash.
//   sys_rev — no image in the package; the PinePhone EFS recovery rewrites it to make EFS readable
//             again (§5.1). Whether it is per-unit is UNVERIFIED; backed up because it is small and
//             cannot be got back from any package.
//   rawdata — no image in the package; Quectel's vendor erase lines carry a_rawdata_start_sector /
//             b_rawdata_num_sector (edl-protocols.md §2.6), so Quectel's tools treat it specially.
//             Per-unit content UNVERIFIED; backed up for the same reason.
// Not included: image_back, scrub, misc (also without images, but nothing in the sheets ties them
// to the unit — UNVERIFIED either way). A caller may widen the list.

export interface PerUnitPartition {
  readonly name: string;
  readonly certainty: 'sheet' | 'UNVERIFIED';
  /** The flash may not start without this one backed up (it must exist in the table). */
  readonly required: boolean;
  readonly why: string;
}

export const PER_UNIT_PARTITIONS: readonly PerUnitPartition[] = [
  { name: 'efs2', certainty: 'sheet', required: true, why: 'EFS2: NV items, RF calibration (QCN), IMEI — per unit, not in any package (quectel-ec25.md §2.6, §5.1)' },
  { name: 'sys_rev', certainty: 'UNVERIFIED', required: false, why: 'not in the package; tied to EFS readability in the PinePhone recovery (quectel-ec25.md §5.1)' },
  { name: 'rawdata', certainty: 'UNVERIFIED', required: false, why: 'not in the package; Quectel vendor erase lines name it (edl-protocols.md §2.6)' },
];

export function perUnitNames(partitions: readonly PerUnitPartition[] = PER_UNIT_PARTITIONS): string[] {
  return partitions.map((partition) => partition.name);
}
