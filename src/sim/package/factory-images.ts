// The images a module leaves the factory with, built in memory for the simulator's NAND: the same
// files makePackage writes for that revision (same seed, same bytes), at the `small` size so a new
// module costs a few hundred KiB, plus the unit's calibration in efs2 — which no update package
// carries (package-layout.ts) and whose descriptor names the firmware it was made for.
import { buildElfImage } from './elf-image.js';
import { sealImage } from './image-format.js';
import { encodeDescriptor, type ImageIdentity } from './image-descriptor.js';
import { buildMibib, buildPartitionMbn } from './mibib.js';
import { DEFAULT_PACKAGE } from './package-options.js';
import type { PackageGeometry } from './package-layout.js';
import { planPackage } from './package-plan.js';
import { SeededBytes } from './seeded-bytes.js';

export interface FactoryFirmware {
  /** As ATI names it (EC25), not the variant (EC25-A). */
  readonly model: string;
  readonly revision: string;
  readonly subVersion: string;
  readonly geometry: PackageGeometry;
  readonly seed?: number;
}

export interface PartitionImage {
  readonly partition: string;
  readonly bytes: Uint8Array;
}

/** Every image the rawprogram writes, one entry per target partition, in partition order. */
export function factoryImages(firmware: FactoryFirmware): PartitionImage[] {
  const plan = planPackage({ geometry: firmware.geometry, size: 'small' });
  const seed = firmware.seed ?? DEFAULT_PACKAGE.seed;
  const built = new Map<string, Uint8Array>();
  for (const image of plan.images) {
    if (image.partitions.length === 0) continue;
    const identity: ImageIdentity = { image: image.name, partition: image.partitions[0]?.name ?? '', model: firmware.model, revision: firmware.revision, subVersion: firmware.subVersion };
    const content = new SeededBytes(`modem-medic package|${seed}|${firmware.model}|${firmware.revision}|${image.path}`);
    const bytes =
      image.spec.container === 'elf'
        ? buildElfImage({ size: image.size, loadAddress: image.spec.loadAddress ?? 0, identity, content })
        : image.spec.container === 'mibib'
          ? buildMibib(plan.layout, plan.pageSize, identity)
          : image.spec.container === 'partition-table'
            ? buildPartitionMbn(plan.layout, identity)
            : buildPlainImage(image.size, identity, content);
    built.set(image.path, bytes);
  }
  return plan.programs.map(({ image, partition }) => ({ partition: partition.name, bytes: built.get(image.path) ?? new Uint8Array() }));
}

/** Bytes of the calibration image (our stand-in for the unit's EFS2 / QCN). */
export const CALIBRATION_BYTES = 0x6000;

/**
 * The unit's RF calibration as efs2 holds it: a plain self-describing image whose revision is the
 * firmware it was calibrated with — what decides `+CFUN: 7` after a cross-baseline flash (quectel
 * sheet §5.1, QFORUM/58100). Content is per IMEI, as calibration is per unit.
 */
export function calibrationImage(firmware: FactoryFirmware, imei: string): Uint8Array {
  const identity: ImageIdentity = { image: 'efs2.qcn', partition: 'efs2', model: firmware.model, revision: firmware.revision, subVersion: firmware.subVersion };
  return buildPlainImage(CALIBRATION_BYTES, identity, new SeededBytes(`modem-medic calibration|${imei}`));
}

/** A sealed plain image held in memory (plain-image.ts streams big ones to disk instead). */
export function buildPlainImage(size: number, identity: ImageIdentity, content: SeededBytes): Uint8Array {
  const bytes = new Uint8Array(size);
  const descriptor = encodeDescriptor(identity, size);
  bytes.set(descriptor, 0);
  content.fill(bytes.subarray(descriptor.length));
  sealImage(bytes);
  return bytes;
}
