import { stat } from 'node:fs/promises';
import { UsageError } from '../core/errors.js';
import { sleep } from '../core/time.js';
import { findFirehoseFiles, openPackage, readPackageFile } from '../flash/package/index.js';
import type { ByteTransport } from '../transport/byte-transport.js';
import { openSerial } from '../transport/serial.js';
import { EDL_PRODUCT_ID, EDL_VENDOR_ID, openUsbEdl } from '../transport/usb.js';
import { connectUsb2Tcp } from '../transport/usb2tcp.js';

// What `medic flash` and `medic backup` share: reaching a module in download mode, and finding the
// programmer in a package.

export interface EdlTarget {
  readonly port?: string | undefined;
  readonly tcp?: string | undefined;
  /** `--usb` (true: the first 05c6:9008) or `--usb VID:PID`. */
  readonly usb?: string | boolean | undefined;
}

/** --port, --tcp and --usb each name the module: exactly one of them. */
export function requireOneEdlTarget(options: EdlTarget): void {
  const given = [options.port, options.tcp, options.usb].filter((value) => value !== undefined).length;
  if (given !== 1) throw new UsageError('give exactly one of --port or --tcp, or --usb');
}

function usbIds(value: string | boolean): { vendorId: number; productId: number } {
  if (typeof value === 'boolean') return { vendorId: EDL_VENDOR_ID, productId: EDL_PRODUCT_ID };
  const match = /^(?<vid>[0-9a-f]{4}):(?<pid>[0-9a-f]{4})$/i.exec(value);
  if (match?.groups?.['vid'] === undefined || match.groups['pid'] === undefined) throw new UsageError(`--usb ${value}: expected VID:PID in hex, e.g. 05c6:9008`);
  return { vendorId: Number.parseInt(match.groups['vid'], 16), productId: Number.parseInt(match.groups['pid'], 16) };
}

/** The Firehose programmer inside a package (the restore needs only that of it). */
export async function programmerOf(path: string): Promise<Uint8Array> {
  const pkg = await openPackage(path);
  try {
    const { programmer } = findFirehoseFiles(pkg);
    if (programmer === undefined) throw new UsageError(`${path} has no update/firehose/prog_nand_firehose_*.mbn programmer`);
    return await readPackageFile(pkg, programmer);
  } finally {
    await pkg.close();
  }
}

export async function openEdlTransport(options: EdlTarget, afterSwitch: boolean): Promise<ByteTransport> {
  // After a DIAG switch the module needs ~1–3 s to come back as 9008 (§2.4).
  if (options.usb !== undefined) return openUsbEdl({ ...usbIds(options.usb), timeoutMs: afterSwitch ? 30_000 : 0 });
  if (options.tcp !== undefined) {
    const match = /^(?<host>[^:]+):(?<port>\d+)$/.exec(options.tcp);
    if (match?.groups?.['host'] === undefined || match.groups['port'] === undefined) throw new UsageError(`--tcp ${options.tcp}: expected HOST:PORT, e.g. 127.0.0.1:9008`);
    return connectUsb2Tcp(match.groups['host'], Number(match.groups['port']));
  }
  const path = options.port ?? '';
  if (!afterSwitch) return openSerial({ path });
  // The module drops off USB and comes back as 05c6:9008 after ~1–3 s (QFirehose's logs, §2.4):
  // wait for the DM port's node to go, then for the 9008 port to appear in its place.
  const gone = Date.now() + 5_000;
  while (Date.now() < gone && (await stat(path).then(() => true, () => false))) await sleep(50);
  const until = Date.now() + 30_000;
  for (;;) {
    try {
      return await openSerial({ path });
    } catch (error) {
      if (Date.now() > until) throw error;
      await sleep(200);
    }
  }
}
