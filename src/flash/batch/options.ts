import type { Logger } from '../../core/logger.js';
import type { FirehoseTimeouts } from '../../protocols/firehose/index.js';
import type { SaharaTimeouts } from '../../protocols/sahara/index.js';
import type { ByteTransport } from '../../transport/byte-transport.js';
import type { BatchEvent, BatchUnit, SysfsView } from './types.js';

export interface BatchOptions {
  /** The package folder or .zip: opened and validated once for every unit. */
  readonly package: string;
  /** Where to look for modules; default the host's /sys with /dev. */
  readonly views?: readonly SysfsView[] | undefined;
  /** Take these units instead of looking (tests, a caller with its own discovery). */
  readonly units?: readonly BatchUnit[] | undefined;
  /** Also take modules in normal mode, switched to EDL over DIAG. */
  readonly includeNormal?: boolean | undefined;
  /** Units flashed at the same time; default min(units, 4). */
  readonly jobs?: number | undefined;
  /** A log file per unit goes here (made if missing). */
  readonly logDir: string;
  /** A backup folder per unit is made under it. */
  readonly backupRoot: string;
  /** The revision of the units in 9008 (they cannot tell); AT's answer wins for normal-mode units. */
  readonly moduleRevision?: string | undefined;
  readonly allowBaselineChange?: boolean | undefined;
  readonly allowUnknownModuleRevision?: boolean | undefined;
  readonly noVerify?: boolean | undefined;
  readonly onEvent?: ((event: BatchEvent) => void) | undefined;
  /** Batch-level messages (the units log to their own files). */
  readonly logger?: Logger | undefined;
  readonly signal?: AbortSignal | undefined;
  /** Default: the serial port at that path. */
  readonly openTransport?: ((path: string) => Promise<ByteTransport>) | undefined;
  readonly now?: (() => Date) | undefined;
  readonly saharaTimeouts?: Partial<SaharaTimeouts> | undefined;
  readonly firehoseTimeouts?: Partial<FirehoseTimeouts> | undefined;
}

/** BatchOptions with the defaults filled in, as the units see them. */
export type BatchRunOptions = Omit<BatchOptions, 'openTransport'> & { readonly openTransport: (path: string) => Promise<ByteTransport> };
