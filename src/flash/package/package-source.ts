// A firmware package as the rest of the flash layer sees it: a list of files with their sizes,
// each readable as a stream. A full EC25 package is ~90 MB of images (quectel-ec25.md §2.6), so
// nothing here holds a whole file in memory: MD5s are computed and images are sent to Firehose
// chunk by chunk. The same interface covers a directory and a .zip (QFirehose accepts both since
// 1.4.17, §2.2).

export interface PackageFileEntry {
  /** Relative to the package root (the folder that holds `update/`), `/`-separated. */
  readonly path: string;
  readonly size: number;
}

export interface PackageReadOptions {
  readonly signal?: AbortSignal | undefined;
}

/** A file that was found but not admitted (e.g. a symlink pointing out of the package). */
export interface RejectedPackageEntry {
  readonly path: string;
  readonly reason: string;
}

export interface FirmwarePackage {
  readonly kind: 'directory' | 'zip';
  /** What the caller opened: the directory or the .zip file. */
  readonly location: string;
  /**
   * Names the package goes by, outermost first: the zip's base name, the folder holding
   * `update/`. Quectel names both after the firmware revision (e.g. EC25EFAR06A01M4G, §2.6).
   */
  readonly names: readonly string[];
  /** Every regular file under the root, sorted by path. */
  readonly files: readonly PackageFileEntry[];
  readonly rejected: readonly RejectedPackageEntry[];
  file(path: string): PackageFileEntry | undefined;
  /**
   * The file's bytes, chunk by chunk; reading stops (and the file is closed) when the loop breaks.
   * A chunk may be a view into a buffer that the next chunk fills again: copy what you keep.
   */
  open(path: string, options?: PackageReadOptions): AsyncIterable<Uint8Array>;
  close(): Promise<void>;
}
