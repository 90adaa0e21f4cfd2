import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger } from '../../core/logger.js';
import { evaluateHealth, type HealthReport } from '../../diagnose/health/evaluate.js';
import { readHealth } from '../../diagnose/health/read.js';
import { scanUsb } from '../../detect/sysfs-scan.js';
import { formatUsbId } from '../../modem/usb-identities.js';
import { flashModule, type FlashResult } from '../../flash/execute/index.js';
import { makePackage } from '../../sim/package/index.js';
import { startSimulator } from '../../sim/simulator.js';
import { openSerial } from '../../transport/serial.js';
import { withAtSession } from '../at-session.js';
import type { CliIo } from '../io.js';
import { renderHealth } from '../render/health.js';
import { progressPrinter } from '../render/progress.js';

const revision = 'EC25AFAR05A04M4G';

/**
 * The demo's second act: the field report's first case — a unit that shows only "QDLoader 9008"
 * (quectel-ec25.md §4.9, §5.1) — found, explained and brought back with a reflash.
 */
export async function recoveryAct(io: CliIo, say: (text: string) => void, timeScale: number, json: boolean): Promise<{ flash: FlashResult; report: HealthReport }> {
  const work = await mkdtemp(join(tmpdir(), 'medic-demo-'));
  const sim = await startSimulator({ scenario: 'edl-corrupt', timeScale, revision, logger: silentLogger });
  try {
    say('\n5. A unit from the field report: it "seems to have everything the module needs but isn\'t working".');
    const [device] = await scanUsb({ sysfsRoot: sim.info.sysfs, devRoot: join(sim.info.stateDir, 'dev') });
    if (device === undefined) throw new Error('the edl-corrupt module shows no USB device');
    say(`   The host sees ${formatUsbId(device.vendorId, device.productId)} — ${device.identity.note}.`);
    const bench = await sim.control.state();
    say(`   On the bench: ${bench.currentMa.toFixed(0)} mA at ${bench.vbat.volts.toFixed(1)} V, STATUS ${bench.pins.status.running ? 'running' : 'not running'}, NET_STATUS ${bench.pins.netStatus.pattern}, VDD_EXT ${bench.pins.vddExt.volts.toFixed(1)} V, USB_BOOT ${bench.pins.usbBoot.level}.`);
    say('   9008 with USB_BOOT low means the boot ROM found no bootable SBL: the boot chain is corrupt. Reflash it.');

    say('\n6. Reflashing through EDL (what `medic flash PACKAGE --port <9008 port>` does): validate the package,');
    say('   back up the calibration (efs2) twice and compare, erase SBL first, program SBL last, verify, reset.');
    const packageDir = join(work, revision);
    await makePackage(packageDir, { revision, size: 'small' });
    const edl = sim.info.ports.edl;
    if (edl === undefined) throw new Error('no 9008 port');
    const transport = await openSerial({ path: edl });
    const progress = progressPrinter(io);
    let flash: FlashResult;
    try {
      flash = await flashModule(transport, {
        package: packageDir,
        moduleRevision: revision,
        backup: { root: join(work, 'backups') },
        onProgress: (p) => { if (!json) progress.update(p); },
      });
    } finally {
      progress.done();
      await transport.close();
    }
    say(`   ${flash.outcome}: ${(flash.bytes.written / 1e6).toFixed(1)} MB written; the calibration backup went to ${flash.backupDirectory} (a temporary folder, removed when the demo ends).`);

    const up = await sim.waitFor((state) => state.firmware.registration === 1 || state.firmware.registration === 5, 120_000, 'the module to come back and register');
    say(`\n7. It boots: ${up.usb.id ?? '?'}, STATUS running, registered on ${up.firmware.operator ?? 'the network'}. Its health now:\n`);
    const port = sim.info.ports.at;
    if (port === undefined) throw new Error('no AT port after the flash');
    const report = evaluateHealth(await withAtSession(port, silentLogger, false, (client) => readHealth(client, port)));
    if (!json) io.stdout.write(renderHealth(report));
    return { flash, report };
  } finally {
    await sim.stop();
    await rm(work, { recursive: true, force: true });
  }
}
