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
import { startSimulator, type RunningSimulator } from '../../sim/simulator.js';
import { openSerial } from '../../transport/serial.js';
import { withAtSession } from '../at-session.js';
import type { CliIo } from '../io.js';
import { renderHealth } from '../render/health.js';
import { progressOutput } from '../render/progress.js';
import { diagnoseAtTheBench } from './demo-bench.js';

const revision = 'EC25AFAR05A04M4G';

/** The field report's two cases (quectel-ec25.md §4.9, §5.1), in the order a bench meets them. */
export const FIELD_CASES = {
  'no-usb': { intro: 'The second unit of the field report: no USB device at all, the current wandering', seed: 2 },
  'edl-corrupt': { intro: 'The first unit of the field report: it "seems to have everything the module needs but isn\'t working"', seed: 3 },
} as const;
export type FieldCase = keyof typeof FIELD_CASES;

export interface RecoveryOutcome {
  readonly scenario: FieldCase;
  /** The cause `medic diagnose` put first. */
  readonly cause: string;
  readonly questions: number;
  readonly flash: FlashResult;
  readonly report: HealthReport;
  /** The story's last step number in this act. */
  readonly lastStep: number;
}

export interface RecoveryActOptions {
  readonly timeScale: number;
  readonly json: boolean;
  readonly scenario: FieldCase;
  /** The number of the act's first step in the story. */
  readonly step: number;
}

/** One dead unit: seen from the host, diagnosed at the bench, brought back through EDL, read again. */
export async function recoveryAct(io: CliIo, say: (text: string) => void, options: RecoveryActOptions): Promise<RecoveryOutcome> {
  const work = await mkdtemp(join(tmpdir(), 'medic-demo-'));
  const sim = await startSimulator({ scenario: options.scenario, timeScale: options.timeScale, seed: FIELD_CASES[options.scenario].seed, revision, logger: silentLogger });
  let step = options.step;
  try {
    say(`\n${step++}. ${FIELD_CASES[options.scenario].intro}.`);
    // The scenario's module settles first (a hung boot stage, or the boot ROM's 9008).
    await sim.waitFor((state) => state.mode === 'edl' || state.moduleTimeMs > 20_000, 60_000, 'the unit to settle');
    const [device] = await scanUsb({ sysfsRoot: sim.info.sysfs, devRoot: join(sim.info.stateDir, 'dev') });
    say(device === undefined ? '   `medic scan`: the host sees no Quectel or Qualcomm device at all.' : `   \`medic scan\`: the host sees ${formatUsbId(device.vendorId, device.productId)} — ${device.identity.note}.`);
    say(`\n${step++}. \`medic diagnose\` asks for the bench measurements that separate the causes; the technician reads them off the module:`);
    const conclusion = await diagnoseAtTheBench(sim, say);

    if (sim.state().usb.id !== '05c6:9008') {
      say(`\n${step++}. Forcing download mode: USB_BOOT strapped to VDD_EXT, VBAT off and on (the boot ROM samples USB_BOOT at power-on).`);
      await strapIntoEdl(sim);
      say(`   The host now sees ${sim.state().usb.id ?? '?'} (QDLoader 9008). The strap comes off again: only the next power-on reads it.`);
    }

    say(`\n${step++}. Reflashing through EDL (what \`medic flash PACKAGE --port <9008 port>\` does): validate the package,`);
    say('   back up the calibration (efs2) twice and compare, erase SBL first, program SBL last, verify, reset.');
    const flash = await reflash(io, sim, work, options.json);
    say(`   ${flash.outcome}: ${(flash.bytes.written / 1e6).toFixed(1)} MB written; the calibration backup went to ${flash.backupDirectory} (a temporary folder, removed when the demo ends).`);

    const up = await sim.waitFor((state) => state.firmware.registration === 1 || state.firmware.registration === 5, 120_000, 'the module to come back and register');
    say(`\n${step}. It boots: ${up.usb.id ?? '?'}, STATUS running, registered on ${up.firmware.operator ?? 'the network'}. Its health now:\n`);
    const port = sim.info.ports.at;
    if (port === undefined) throw new Error('no AT port after the flash');
    const report = evaluateHealth(await withAtSession(port, silentLogger, false, (client) => readHealth(client, port)));
    if (!options.json) io.stdout.write(renderHealth(report));
    return { scenario: options.scenario, cause: conclusion.top.cause.id, questions: conclusion.questions, flash, report, lastStep: step };
  } finally {
    await sim.stop();
    await rm(work, { recursive: true, force: true });
  }
}

async function strapIntoEdl(sim: RunningSimulator): Promise<void> {
  await sim.control.setUsbBoot('high');
  await sim.control.setVbat(0);
  await sim.waitFor((state) => state.mode === 'off', 20_000, 'the module to lose power');
  await sim.control.setVbat(3.8);
  await sim.waitFor((state) => state.usb.id === '05c6:9008' && state.usb.ports.edl !== undefined, 60_000, '9008 with the strap');
  await sim.control.setUsbBoot('low');
}

async function reflash(io: CliIo, sim: RunningSimulator, work: string, json: boolean): Promise<FlashResult> {
  const packageDir = join(work, revision);
  await makePackage(packageDir, { revision, size: 'small' });
  const edl = sim.info.ports.edl;
  if (edl === undefined) throw new Error('no 9008 port');
  const transport = await openSerial({ path: edl });
  const progress = progressOutput(io, false);
  try {
    return await flashModule(transport, {
      package: packageDir,
      moduleRevision: revision,
      backup: { root: join(work, 'backups') },
      // --json prints the demo's own steps; a bar would only be noise in it.
      ...(json ? {} : { onProgress: progress.update }),
    });
  } finally {
    progress.done();
    await transport.close();
  }
}
