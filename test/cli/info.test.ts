import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { startSimulator } from '../../src/sim/simulator.js';
import { atPortOf, bootedSimulator } from '../helpers/booted-sim.js';
import { openSerial } from '../../src/transport/serial.js';
import { runMedic } from '../helpers/medic.js';
import { tempDir } from '../helpers/wait.js';

const simulator = bootedSimulator;
const atPort = atPortOf;

describe('medic info against the simulated module', () => {
  it('reports a healthy module: identity, revision parts, registration, signal words, supply, verdict', async () => {
    const sim = await simulator({ imei: '866758040000008' });
    const result = await runMedic(['info', '--port', atPort(sim)]);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /IMEI\s+866758040000008/);
    assert.match(result.stdout, /revision\s+EC25AFAR05A04M4G\S*\s+\(model EC25, variant AFA, baseline R05A04\)/);
    assert.match(result.stdout, /SIM\n\s+state\s+READY/);
    assert.match(result.stdout, /RSRP\s+-\d+ dBm \((excellent|good|fair)\)/);
    assert.match(result.stdout, /VBAT\s+3\.\d{3} V/);
    assert.match(result.stdout, /usbnet\s+0/);
    assert.match(result.stdout, /^verdict: healthy — registered on /m);
  });

  it('gives machines the same report as one JSON object', async () => {
    const sim = await simulator({ imei: '866758040000008' });
    const result = await runMedic(['info', '--port', atPort(sim), '--json']);
    assert.equal(result.code, 0, result.stderr);
    const lines = result.stdout.trim().split('\n');
    assert.equal(lines.length, 1, 'exactly one JSON line on stdout');
    const body = JSON.parse(lines[0] ?? '') as { ok: boolean; report: { verdict: { severity: string }; readings: { identity: { imei: string }; functionLevel: number; registration: { stat: number } } } };
    assert.equal(body.ok, true);
    assert.equal(body.report.verdict.severity, 'ok');
    assert.equal(body.report.readings.identity.imei, '866758040000008');
    assert.equal(body.report.readings.functionLevel, 1);
    assert.ok([1, 5].includes(body.report.readings.registration.stat));
  });

  it('says the SIM is missing when there is none', async () => {
    const sim = await simulator({ scenario: 'no-sim' });
    const result = await runMedic(['info', '--port', atPort(sim)]);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /state\s+NOT INSERTED/);
    assert.match(result.stdout, /^verdict: WARNING — no SIM card detected/m);
  });

  it('tells "no network here" apart from a sick module', async () => {
    const sim = await simulator({ scenario: 'no-signal' });
    const result = await runMedic(['info', '--port', atPort(sim)]);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /^verdict: WARNING — not registered \(searching\), no network found/m);
    assert.match(result.stdout, /antenna/);
  });

  it('names lost calibration (+CFUN: 5) as a fault with the way back, and exits 1', async () => {
    await using state = await tempDir();
    // A module's NV lives in its state directory: mark its EFS the way the damage model does after
    // a power cut during an NV write, and boot it again.
    const first = await startSimulator({ stateDir: state.path, timeScale: 0.01, off: true });
    await first.stop();
    const stored = JSON.parse(await readFile(join(state.path, 'module.json'), 'utf8')) as { health: { efs: string } };
    stored.health.efs = 'calibration-lost';
    await writeFile(join(state.path, 'module.json'), JSON.stringify(stored));
    const sim = await simulator({ stateDir: state.path });
    const result = await runMedic(['info', '--port', atPort(sim)]);
    assert.equal(result.code, 1, result.stderr);
    assert.match(result.stdout, /function\s+\+CFUN: 5/);
    assert.match(result.stdout, /^verdict: FAULT — \+CFUN: 5 — factory test mode: RF calibration .*restore-calibration/m);
  });
});

describe('medic info on the wrong port, a busy one, a missing one, a silent module', () => {
  it('explains a port that does not exist (exit 3)', async () => {
    const result = await runMedic(['info', '--port', '/dev/ttyUSB-not-here']);
    assert.equal(result.code, 3);
    assert.match(result.stderr, /does not exist/);
    assert.match(result.stderr, /what to do: .*medic scan/);
  });

  it('explains a port another program holds (exit 3)', async () => {
    const sim = await simulator();
    const holder = await openSerial({ path: atPort(sim) });
    try {
      const result = await runMedic(['info', '--port', atPort(sim)]);
      assert.equal(result.code, 3);
      assert.match(result.stderr, /in use by another program/);
      assert.match(result.stderr, /ModemManager/);
    } finally {
      await holder.close();
    }
  });

  it('explains that the DM port is not the AT port', async () => {
    const sim = await simulator();
    const dm = sim.info.ports.dm;
    assert.ok(dm);
    const result = await runMedic(['info', '--port', dm], { timeoutMs: 90_000 });
    assert.equal(result.code, 3);
    assert.match(result.stderr, /AT port|DM/);
  });

  it('stops with a clear error when the module goes silent, instead of hanging', async () => {
    const sim = await simulator();
    await sim.control.addFault('at-silent');
    const result = await runMedic(['info', '--port', atPort(sim)], { timeoutMs: 90_000 });
    assert.equal(result.code, 3);
    assert.match(result.stderr, /medic: AT: no OK/);
    assert.match(result.stderr, /what to do:/);
  });
});
