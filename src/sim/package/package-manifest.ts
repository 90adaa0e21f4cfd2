// What makePackage takes and what it reports back (also the `--json` output of make-package).
import type { Logger } from '../../core/logger.js';
import type { CorruptionKind, PackageCorruption } from './corruptions.js';
import type { DescriptorContainer } from './image-descriptor.js';
import type { PackageGeometry, PackageSize } from './package-layout.js';
import type { PackageIdentityOptions } from './package-options.js';

export interface PackageProgress {
  /** Package path of the file being written. */
  readonly path: string;
  readonly written: number;
  readonly bytes: number;
}

export interface MakePackageOptions extends PackageIdentityOptions {
  readonly corrupt?: PackageCorruption;
  readonly signal?: AbortSignal;
  readonly logger?: Logger;
  readonly onProgress?: (progress: PackageProgress) => void;
}

export interface PackageFile {
  /** Package path, '/'-separated. */
  readonly path: string;
  readonly bytes: number;
  /** Lower-case hex, of the file as written (before a md5-mismatch flip). */
  readonly md5: string;
  /** False only for the file a missing-file package leaves out. */
  readonly present: boolean;
  /** For images: how the file is built and where the rawprogram writes it. */
  readonly image: { readonly container: DescriptorContainer; readonly partitions: readonly string[] } | undefined;
}

export interface PackageManifest {
  readonly dir: string;
  /** What was asked for. */
  readonly model: string;
  readonly revision: string;
  readonly subVersion: string;
  readonly geometry: PackageGeometry;
  readonly size: PackageSize;
  readonly seed: number;
  /** What the package says it is (differs from model/revision only for wrong-model). */
  readonly declared: { readonly model: string; readonly revision: string };
  readonly files: readonly PackageFile[];
  /** Bytes of the files present. */
  readonly totalBytes: number;
  /** Bytes of the image files present (everything but XML and md5.txt). */
  readonly imageBytes: number;
  readonly corrupt: { readonly kind: CorruptionKind; readonly file: string | undefined; readonly detail: string } | undefined;
}
