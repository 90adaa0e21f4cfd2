import type { Logger } from '../../core/logger.js';
import { logDebug, logInfo, silentLogger } from '../../core/logger.js';
import type { ByteTransport } from '../../transport/byte-transport.js';
import { TransportClosedError } from '../../transport/errors.js';
import { diagRejection, EDL_SWITCH_FRAME, EDL_SWITCH_REQUEST } from './commands.js';
import { DiagDisconnectedError, DiagEdlSwitchError, DiagRejectedError, DiagTimeoutError, DM_PORT_HINT } from './errors.js';
import { DiagFrameReader } from './frame-reader.js';
import { writeRequest } from './write.js';

export interface SwitchToEdlOptions {
  /** How many times to send the request; QFirehose tries up to 30 (quectel-ec25.md §2.4). */
  readonly attempts?: number;
  /** How long to wait for the echo before sending again; QFirehose: 1 s. */
  readonly intervalMs?: number;
  readonly logger?: Logger;
  readonly signal?: AbortSignal;
}

export interface SwitchToEdlResult {
  /** Requests sent until the module confirmed. */
  readonly attempts: number;
  /**
   * `echo`: the module echoed the request, QFirehose's success test. `disconnect`: the port went
   * away right after a request — what a module rebooting into EDL does; the caller should
   * confirm by watching for 05c6:9008 (the module re-enumerates in ~1–3 s, §2.4).
   */
  readonly confirmedBy: 'echo' | 'disconnect';
}

/**
 * Asks a running module to reboot into emergency download (Qualcomm EDL, 05c6:9008) with the DIAG
 * command QFirehose and fwupd use. `transport` must be the DM port.
 */
export async function switchToEdl(transport: ByteTransport, options: SwitchToEdlOptions = {}): Promise<SwitchToEdlResult> {
  const attempts = options.attempts ?? 30;
  const intervalMs = options.intervalMs ?? 1000;
  const logger = options.logger ?? silentLogger;
  const reader = new DiagFrameReader(transport, logger);
  let sent = 0;
  for (let attempt = 1; attempt <= attempts; attempt += 1) {
    logInfo(logger, `diag: asking the module to enter EDL (attempt ${attempt}/${attempts})`);
    try {
      await writeRequest(transport, EDL_SWITCH_FRAME, 'EDL switch', { ms: Math.max(intervalMs, 1000), signal: options.signal });
      sent = attempt;
      if (await awaitEcho(reader, logger, intervalMs, options.signal)) return { attempts: attempt, confirmedBy: 'echo' };
    } catch (error) {
      // Gone after a request went out: the module is rebooting. Gone before: the port was dead.
      if (sent > 0 && wentAway(error)) return { attempts: sent, confirmedBy: 'disconnect' };
      throw error;
    }
  }
  throw new DiagEdlSwitchError(`the module did not confirm the EDL switch after ${attempts} attempts on ${transport.description}`, {
    hint: `${DM_PORT_HINT} If the module does not answer DIAG at all, force EDL in hardware: hold USB_BOOT to VDD_EXT while powering it on.`,
  });
}

/** True once the echo arrives; false when `ms` pass without it. */
async function awaitEcho(reader: DiagFrameReader, logger: Logger, ms: number, signal: AbortSignal | undefined): Promise<boolean> {
  const until = Date.now() + ms;
  for (;;) {
    let payload: Uint8Array;
    try {
      payload = await reader.next(Math.max(1, until - Date.now()), 'EDL switch', signal);
    } catch (error) {
      if (error instanceof DiagTimeoutError) return false;
      throw error;
    }
    if (sameBytes(payload, EDL_SWITCH_REQUEST)) return true;
    const rejected = diagRejection(payload, EDL_SWITCH_REQUEST);
    if (rejected !== undefined) {
      throw new DiagRejectedError(`the module refused the EDL switch command (${rejected})`, {
        hint: 'This firmware does not accept the DIAG download command. Force EDL in hardware instead: hold USB_BOOT to VDD_EXT while powering the module on.',
      });
    }
    logDebug(logger, 'diag: ignored an unrelated frame while waiting for the EDL echo', { command: payload[0] });
  }
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((byte, i) => byte === b[i]);
}

/** The device side went away (not: we closed the port ourselves). */
function wentAway(error: unknown): boolean {
  const closed = error instanceof DiagDisconnectedError ? error.cause : error;
  return closed instanceof TransportClosedError && closed.disconnected;
}
