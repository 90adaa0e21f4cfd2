import { TimeoutError } from '../../core/errors.js';
import { deadline } from '../../core/time.js';
import type { ByteTransport } from '../../transport/byte-transport.js';
import { TransportClosedError } from '../../transport/errors.js';
import { DiagDisconnectedError, DiagTimeoutError, DM_PORT_HINT } from './errors.js';

/** Writes a request; a port that takes nothing for `ms` or has gone away becomes a DIAG error. */
export async function writeRequest(transport: ByteTransport, bytes: Uint8Array, what: string, options: { readonly ms: number; readonly signal?: AbortSignal | undefined }): Promise<void> {
  const limit = deadline(options.ms, what, options.signal);
  try {
    await transport.write(bytes, limit.signal);
  } catch (error) {
    if (options.signal?.aborted === true) throw error;
    if (error instanceof TimeoutError) throw new DiagTimeoutError(`${what}: ${transport.description} took no data for ${options.ms} ms`, { hint: DM_PORT_HINT, cause: error });
    if (error instanceof TransportClosedError) {
      throw new DiagDisconnectedError(`${what}: ${transport.description} is gone`, { hint: 'Open the DM port again (`medic scan` shows it) and retry.', cause: error });
    }
    throw error;
  } finally {
    limit.dispose();
  }
}
