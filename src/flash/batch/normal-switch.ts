import { MedicError } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import { sleep } from '../../core/time.js';
import { scanUsb } from '../../detect/sysfs-scan.js';
import { AtClient } from '../../protocols/at/client.js';
import { getExtendedRevision, getImei } from '../../protocols/at/commands/index.js';
import { switchToEdl } from '../../protocols/diag/index.js';
import type { ByteTransport } from '../../transport/byte-transport.js';
import type { BatchUnit } from './types.js';

// A unit still running normal firmware joins the batch the way `medic flash --at-port` handles
// one: revision and IMEI over AT first (the baseline check needs them, §2.9), then the DIAG EDL
// switch on the DM port (quectel-ec25.md §2.4). The module drops off USB and comes back as
// 05c6:9008 after ~1–3 s; on a bench of many units its new tty need not have the old number, so
// the 9008 port is found again by the unit's USB path, not by reopening the DM port's path.

export interface SwitchedUnit {
  readonly unit: BatchUnit;
  readonly imei: string;
  readonly revision: string;
}

export interface SwitchDeps {
  readonly logger: Logger;
  readonly signal: AbortSignal | undefined;
  readonly openTransport: (path: string) => Promise<ByteTransport>;
  /** How long to wait for 9008 to appear, real ms; default 30 000. */
  readonly reappearMs?: number | undefined;
}

export async function switchUnitToEdl(unit: BatchUnit, deps: SwitchDeps): Promise<SwitchedUnit> {
  const identity = await readIdentity(unit.atPort ?? '', deps);
  const dm = await deps.openTransport(unit.port);
  try {
    await switchToEdl(dm, { logger: deps.logger, ...(deps.signal === undefined ? {} : { signal: deps.signal }) });
  } finally {
    await dm.close();
  }
  const port = await waitForEdl(unit, deps);
  return { unit: { ...unit, mode: 'edl', port, atPort: undefined }, ...identity };
}

async function readIdentity(atPort: string, deps: SwitchDeps): Promise<{ imei: string; revision: string }> {
  const client = new AtClient(await deps.openTransport(atPort), { logger: deps.logger });
  try {
    await client.sync();
    const revision = (await client.run(getExtendedRevision())).full;
    const { imei } = await client.run(getImei());
    return { imei, revision };
  } finally {
    await client.close();
  }
}

async function waitForEdl(unit: BatchUnit, deps: SwitchDeps): Promise<string> {
  const until = Date.now() + (deps.reappearMs ?? 30_000);
  while (Date.now() < until) {
    const device = (await scanUsb(unit.view).catch(() => [])).find((entry) => entry.usbPath === unit.usbPath);
    const port = device?.identity.mode === 'edl' ? device.ports.edl : undefined;
    if (port !== undefined) return port;
    await sleep(200, deps.signal);
  }
  throw new MedicError('PORT_NO_EDL', `${unit.usbPath} did not come back in download mode (05c6:9008) after the DIAG switch`, {
    hint: 'Check `medic scan`: if the module rebooted to normal mode, its firmware ignores the switch; force EDL by strapping USB_BOOT to VDD_EXT at power-on, then run the batch again.',
  });
}
