import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { SimState } from '../../src/sim/control/api.js';
import { runMedic } from '../helpers/medic.js';
import { startTestSim } from '../helpers/sim-fixture.js';

// The proof of issue #4 §2: for every simulator scenario, `medic diagnose --bench sim:…` against
// the simulated module ranks the scenario's true cause first. The bench values are read from the
// simulator's control interface as a meter would (src/cli/bench-sim.ts); the rest comes from the
// simulated sysfs tree and, where an AT port answers, the health report.
const truth: Record<string, { cause: string; ready: (state: SimState) => boolean }> = {
  healthy: { cause: 'healthy', ready: (s) => s.firmware.registration === 1 },
  'no-sim': { cause: 'sim-missing', ready: (s) => s.mode === 'normal' && s.firmware.rdy },
  'no-signal': { cause: 'no-network', ready: (s) => s.mode === 'normal' && s.firmware.rdy },
  // Module time for a few boot / burst / brown-out cycles.
  'weak-supply': { cause: 'weak-supply', ready: (s) => s.moduleTimeMs > 40_000 },
  'edl-corrupt': { cause: 'boot-chain-corrupt', ready: (s) => s.usb.id === '05c6:9008' },
  'no-usb': { cause: 'boot-hang-no-usb', ready: (s) => s.mode === 'booting' && s.moduleTimeMs > 20_000 },
  'usb-boot-stuck': { cause: 'usb-boot-held', ready: (s) => s.usb.id === '05c6:9008' },
  'calibration-lost': { cause: 'calibration-lost', ready: (s) => s.mode === 'normal' && s.firmware.rdy },
  'wrong-baseline': { cause: 'baseline-mismatch', ready: (s) => s.mode === 'normal' && s.firmware.rdy },
};

interface Body {
  verdict: { cause: string };
  causes: { id: string; next: { text: string }[] }[];
  observations: { key: string; text: string; origin: string }[];
}

describe('medic diagnose ranks each simulator scenario\'s true cause first', () => {
  for (const [scenario, expected] of Object.entries(truth)) {
    it(`${scenario} → ${expected.cause}`, async () => {
      const test = await startTestSim({ scenario, timeScale: 0.01 });
      try {
        await test.sim.waitFor(expected.ready, 60_000, `the ${scenario} module to settle`);
        const result = await runMedic(['diagnose', '--bench', `sim:${test.dir}`, '--sysfs-root', test.sim.info.sysfs, '--dev-root', join(test.dir, 'dev'), '--json'], { timeoutMs: 60_000 });
        assert.equal(result.code, expected.cause === 'healthy' ? 0 : 1, result.stderr);
        const body = JSON.parse(result.stdout) as Body;
        const ranking = body.causes.map((cause) => cause.id).join(', ');
        assert.equal(body.verdict.cause, expected.cause, `ranked: ${ranking}\nobserved: ${body.observations.map((o) => `${o.key}=${o.text} (${o.origin})`).join(', ')}`);
        assert.ok(body.observations.some((o) => o.origin === 'bench'), 'bench readings were used');
        if (scenario === 'edl-corrupt') {
          // The next step names the 9008 port the host sees, ready to paste.
          assert.match(body.causes[0]?.next[0]?.text ?? '', new RegExp(`medic flash PACKAGE --port ${join(test.dir, 'dev')}/ttyUSB\\d`));
        }
      } finally {
        await test.close();
      }
    });
  }
});
