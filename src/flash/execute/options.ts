import type { Logger } from '../../core/logger.js';
import type { FirehoseTimeouts } from '../../protocols/firehose/index.js';
import type { SaharaTimeouts } from '../../protocols/sahara/index.js';
import type { ProgressListener } from './progress.js';

/** What every executor entry point takes besides its own options. */
export interface ExecutionOptions {
  readonly logger?: Logger | undefined;
  /** Device <log> lines as they arrive (they also go to the logger, at debug level). */
  readonly onDeviceLog?: ((line: string) => void) | undefined;
  readonly onProgress?: ProgressListener | undefined;
  readonly signal?: AbortSignal | undefined;
  readonly saharaTimeouts?: Partial<SaharaTimeouts> | undefined;
  readonly firehoseTimeouts?: Partial<FirehoseTimeouts> | undefined;
  /** Ask the boot ROM for the chip serial when no IMEI or serial is given (default true). */
  readonly readSerial?: boolean | undefined;
  /** For backup folder names and manifests; default now. */
  readonly now?: Date | undefined;
}
