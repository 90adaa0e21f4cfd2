import type { Logger } from '../../core/logger.js';
import { silentLogger } from '../../core/logger.js';
import type { ByteTransport } from '../../transport/byte-transport.js';
import { DiagCommand, diagRejection, EXTENDED_BUILD_ID_FRAME, EXTENDED_BUILD_ID_REQUEST } from './commands.js';
import { DiagRejectedError } from './errors.js';
import { parseExtendedBuildId, type ExtendedBuildId } from './ext-build-id.js';
import { DiagFrameReader } from './frame-reader.js';
import { writeRequest } from './write.js';

export interface ReadBuildIdOptions {
  /** QFirehose waits 3 s for this answer (quectel-ec25.md §2.4 source, stream_download_protocol.c). */
  readonly timeoutMs?: number;
  readonly logger?: Logger;
  readonly signal?: AbortSignal;
}

/** Asks the module for its firmware build string over DIAG (the DM port, normal mode). */
export async function readExtendedBuildId(transport: ByteTransport, options: ReadBuildIdOptions = {}): Promise<ExtendedBuildId> {
  const reader = new DiagFrameReader(transport, options.logger ?? silentLogger);
  const timeoutMs = options.timeoutMs ?? 3000;
  await writeRequest(transport, EXTENDED_BUILD_ID_FRAME, 'extended build id', { ms: timeoutMs, signal: options.signal });
  const until = Date.now() + timeoutMs;
  for (;;) {
    // Frames that are not ours (unsolicited DIAG traffic) are skipped within the same deadline.
    const payload = await reader.next(Math.max(1, until - Date.now()), 'extended build id', options.signal);
    const rejected = diagRejection(payload, EXTENDED_BUILD_ID_REQUEST);
    if (rejected !== undefined) {
      throw new DiagRejectedError(`the module refused the extended build-id request (${rejected})`, {
        hint: 'This firmware does not offer the build id over DIAG; read the revision with AT+QGMR on the AT port instead.',
      });
    }
    if (payload[0] === DiagCommand.ExtendedBuildId) return parseExtendedBuildId(payload);
  }
}
