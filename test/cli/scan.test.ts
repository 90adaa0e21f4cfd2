import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { bootedSimulator } from '../helpers/booted-sim.js';
import { startTestSim, type TestSim } from '../helpers/sim-fixture.js';
import { medicBin, runMedic } from '../helpers/medic.js';
import { tempDir, waitFor } from '../helpers/wait.js';


const edlSims: TestSim[] = [];
after(async () => {
  await Promise.all(edlSims.splice(0).map((sim) => sim.close()));
});

/** The edl-corrupt scenario: the boot ROM finds no valid SBL and enumerates as 9008. */
async function bootedSimulatorInEdl(): Promise<TestSim['sim']> {
  const test = await startTestSim({ scenario: 'edl-corrupt', timeScale: 0.01 });
  edlSims.push(test);
  await test.sim.waitFor((state) => state.mode === 'edl', 20_000, 'the module to enumerate as 9008');
  return test.sim;
}

describe('medic scan on the simulator\'s sysfs tree', () => {
  it('finds the module, its mode and each port by role, and checks that the AT port answers', async () => {
    const sim = await bootedSimulator();
    const result = await runMedic(['scan', '--sysfs-root', sim.info.sysfs]);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /^1-1 {2}2c7c:0125 {2}EC25\/EG25-G\/EC20 R2\.x {2}\[normal\]/m);
    assert.match(result.stdout, /if2 {2}ff\/00\/00 {2}3 ep {2}at {7}option {5}\S+\/dev\/ttyUSB2/);
    assert.match(result.stdout, /if4 {2}ff\/ff\/ff {2}3 ep {2}qmi/);
    assert.match(result.stdout, /AT port answers/);
  });

  it('gives the ports as JSON, the same paths the simulator published', async () => {
    const sim = await bootedSimulator();
    const result = await runMedic(['scan', '--sysfs-root', sim.info.sysfs, '--json', '--no-probe']);
    assert.equal(result.code, 0, result.stderr);
    const body = JSON.parse(result.stdout) as { devices: { id: string; mode: string; ports: Record<string, string>; probe?: unknown }[] };
    assert.equal(body.devices.length, 1);
    assert.equal(body.devices[0]?.id, '2c7c:0125');
    assert.equal(body.devices[0].ports['at'], sim.info.ports.at);
    assert.equal(body.devices[0].ports['dm'], sim.info.ports.dm);
    assert.equal(body.devices[0].probe, undefined, '--no-probe sends nothing');
  });

  it('shows the field report\'s first case as QDLoader 9008 with its one port, and warns about qcserial', async () => {
    const sim = await bootedSimulatorInEdl();
    const result = await runMedic(['scan', '--sysfs-root', sim.info.sysfs, '--json', '--no-probe']);
    assert.equal(result.code, 0, result.stderr);
    const body = JSON.parse(result.stdout) as { devices: { id: string; mode: string; ports: Record<string, string>; interfaces: { role: string; driver?: string }[] }[] };
    assert.equal(body.devices.length, 1);
    assert.equal(body.devices[0]?.id, '05c6:9008');
    assert.equal(body.devices[0].mode, 'edl');
    assert.deepEqual(body.devices[0].ports, { edl: sim.info.ports.edl });
    assert.deepEqual(body.devices[0].interfaces.map((iface) => [iface.role, iface.driver]), [['edl', 'qcserial']]);
    const human = await runMedic(['scan', '--sysfs-root', sim.info.sysfs, '--no-probe']);
    assert.match(human.stdout, /05c6:9008 .*\[edl\]/);
  });

  it('says what no USB device at all means, and exits 1', async () => {
    await using dir = await tempDir();
    await mkdir(join(dir.path, 'sys', 'bus', 'usb', 'devices'), { recursive: true });
    const result = await runMedic(['scan', '--sysfs-root', join(dir.path, 'sys')]);
    assert.equal(result.code, 1);
    assert.match(result.stdout, /No Quectel or Qualcomm module on USB/);
    assert.match(result.stdout, /VBAT, PWRKEY, STATUS, VDD_EXT/);
  });

  it('--watch reports the module leaving USB when it powers off and coming back when it powers on', async () => {
    const sim = await bootedSimulator();
    const child = spawn(process.execPath, [medicBin, 'scan', '--watch', '--json', '--interval', '50', '--sysfs-root', sim.info.sysfs], { stdio: ['ignore', 'pipe', 'inherit'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    try {
      await waitFor(() => output.includes('"plugged"'), 10_000, 'the module to be reported');
      await sim.control.pressPwrkey(700);
      await waitFor(() => output.includes('"unplugged"'), 30_000, 'the power-off to be reported');
      await sim.waitFor((state) => state.mode === 'off', 30_000, 'off');
      await sim.control.pressPwrkey(600);
      await waitFor(() => output.split('"plugged"').length > 2, 30_000, 'the module to come back');
      const events = output.trim().split('\n').map((line) => (JSON.parse(line) as { event: string }).event);
      assert.deepEqual(events, ['plugged', 'unplugged', 'plugged']);
    } finally {
      child.kill('SIGTERM');
    }
  });
});
