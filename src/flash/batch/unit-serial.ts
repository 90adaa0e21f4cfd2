import type { Logger } from '../../core/logger.js';
import { SaharaHost } from '../../protocols/sahara/index.js';
import type { ByteTransport } from '../../transport/byte-transport.js';
import { normaliseSerial } from '../plan/unit-identity.js';

// A unit in 9008 cannot say its IMEI, but its boot ROM tells the chip serial in Sahara command
// mode (edl-protocols.md §1.4, §1.6). The batch asks before the flash, so it can give every unit
// a backup folder of its own before anything is read. readChipInfo leaves the target waiting with
// a fresh HELLO, which the executor's own Sahara host picks up (it answers a HELLO it missed with
// an unsolicited HELLO_RESP, sahara/host.ts).

export async function readUnitSerial(transport: ByteTransport, logger: Logger, signal: AbortSignal | undefined): Promise<string | undefined> {
  try {
    const info = await new SaharaHost(transport, { logger }).readChipInfo({ serialNumber: true, hwId: false, pkHash: false, ...(signal === undefined ? {} : { signal }) });
    return normaliseSerial(info.serialNumber);
  } catch (error) {
    // A programmer already running, or a boot ROM that does not answer: named by USB path instead.
    logger.log({ level: 'warn', message: `batch: the chip serial could not be read (${error instanceof Error ? error.message : String(error)}); the unit is named by its USB path` });
    return undefined;
  }
}
