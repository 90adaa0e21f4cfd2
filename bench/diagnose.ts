// bench/diagnose: how often `medic diagnose` names the right cause when the readings are noisy
// and incomplete. 200 units, each from a simulator scenario (src/sim/scenarios.ts) with a random
// seed: the observations a technician and the host would get are generated from the scenario's
// definition and the simulator's electrical figures (src/sim/electrical.ts), then disturbed —
// current ±20 %, VBAT and supply ±5 mV and VDD_EXT ±2 % meter error, each bench reading missing with probability 0.25,
// and timing jitter (where in its boot / brown-out cycle a weak-supply unit is caught, how much of
// a hung unit's current wander the technician saw, whether a brown-out already cost calibration).
// Prints top-1 and top-3 accuracy (target ≥ 95 % top-1), the top-1 once the wizard has asked its
// questions (answered from the unit's true readings), and the misses. Run by hand:
//   npm run build && node dist/bench/diagnose.js [count] [seed]
import { createRng } from '../src/core/rng.js';
import { interview, rankCauses } from '../src/diagnose/inference/index.js';
import { collectObservations, parseObservation, type Observation } from '../src/diagnose/observations/index.js';
import { HUNG_CURRENT_MA } from '../src/sim/boot-chain.js';
import { CURRENT_MA, VDD_EXT_V } from '../src/sim/electrical.js';
import { SCENARIOS, type ScenarioName } from '../src/sim/scenarios.js';

const count = Number(process.argv[2] ?? 200);
const rng = createRng(Number(process.argv[3] ?? 20261124));
const random = (): number => rng.next();
const chance = (p: number): boolean => random() < p;
const jitter = (value: number, fraction: number): number => value * (1 + (random() * 2 - 1) * fraction);
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;

const truth: Record<ScenarioName, string> = {
  healthy: 'healthy',
  'no-sim': 'sim-missing',
  'no-signal': 'no-network',
  'weak-supply': 'weak-supply',
  'edl-corrupt': 'boot-chain-corrupt',
  'no-usb': 'boot-hang-no-usb',
  'usb-boot-stuck': 'usb-boot-held',
  'calibration-lost': 'calibration-lost',
  'wrong-baseline': 'baseline-mismatch',
};

type Readings = Record<string, string>;

interface Unit {
  readonly host: Readings;
  readonly bench: Readings;
}

/** The module as the host and a meter would see it, before the noise on what is missing. */
function unitOf(name: ScenarioName): Unit {
  const scenario = SCENARIOS[name];
  const volts = scenario.supply.volts;
  const ohms = scenario.supply.sourceOhms;
  const meter = (currentMa: number, extra: Readings): Readings => {
    const current = jitter(currentMa, 0.2);
    return {
      supply_v: (volts + (random() * 2 - 1) * 0.005).toFixed(3),
      vbat: (volts - (ohms * currentMa) / 1000 + (random() * 2 - 1) * 0.005).toFixed(3),
      current_ma: current.toFixed(0),
      vdd_ext: jitter(VDD_EXT_V, 0.02).toFixed(2),
      usb_boot: scenario.usbBootStrapped === true ? 'high' : 'low',
      ...extra,
    };
  };
  const running = (cfun: string, more: Readings): Readings => ({ usb: 'normal', at_answers: 'yes', cfun, sim: scenario.sim === null ? 'missing' : 'ready', port_holder: 'none', risky_settings: 'no', composition: 'standard', ...more });
  switch (name) {
    case 'healthy':
      return { host: running('1', { registration: 'registered', signal: pick(['good', 'fair']) }), bench: meter(CURRENT_MA.idle, { status: 'low', net_status: 'slow-blink' }) };
    case 'no-sim':
      return { host: running('1', { registration: 'not-registered' }), bench: meter(pick([CURRENT_MA.idle, CURRENT_MA.searching]), { status: 'low', net_status: pick(['off', 'slow-blink']) }) };
    case 'no-signal':
      return { host: running('1', { registration: pick(['searching', 'not-registered']), signal: 'none' }), bench: meter(CURRENT_MA.searching, { status: 'low', net_status: 'slow-blink' }) };
    case 'weak-supply':
      return weakSupplyUnit(meter, running);
    case 'edl-corrupt':
    case 'usb-boot-stuck':
      return { host: { usb: '9008', port_holder: 'none' }, bench: meter(CURRENT_MA.edl, { status: 'high', net_status: 'off' }) };
    case 'no-usb': {
      // How much of the wander the technician saw depends on how long they watched.
      const low = HUNG_CURRENT_MA.min + random() * 35;
      const high = HUNG_CURRENT_MA.max - random() * 35;
      const readings = meter((low + high) / 2, { status: 'high', net_status: 'off' });
      return { host: { usb: 'none' }, bench: { ...readings, current_ma: chance(0.8) ? `${jitter(low, 0.2).toFixed(0)}-${Math.min(220, jitter(high, 0.2)).toFixed(0)}` : jitter(low + (high - low) * random(), 0.2).toFixed(0) } };
    }
    case 'calibration-lost':
    case 'wrong-baseline':
      return { host: running(name === 'calibration-lost' ? '5' : '7', { registration: 'not-registered', signal: 'none' }), bench: meter(CURRENT_MA.ftm, { status: 'low', net_status: 'off' }) };
  }
}

/** Caught somewhere in its boot → register → brown-out cycle; sometimes a brown-out already cost it its calibration. */
function weakSupplyUnit(meter: (ma: number, extra: Readings) => Readings, running: (cfun: string, more: Readings) => Readings): Unit {
  const watchedReset = chance(0.6);
  const status = watchedReset ? 'toggling' : pick(['low', 'high']);
  const phase = pick(['booting', 'searching', 'damaged'] as const);
  if (phase === 'booting') return { host: { usb: 'none' }, bench: meter(CURRENT_MA.booting, { status, net_status: 'off' }) };
  if (phase === 'searching') return { host: running('1', { registration: 'searching', signal: 'good' }), bench: meter(CURRENT_MA.searching, { status, net_status: 'slow-blink' }) };
  return { host: running('5', { registration: 'not-registered', signal: 'none' }), bench: meter(CURRENT_MA.ftm, { status: 'low', net_status: 'off' }) };
}

const names = Object.keys(SCENARIOS) as ScenarioName[];
let top1 = 0;
let top3 = 0;
let wizardTop1 = 0;
let questions = 0;
const misses: string[] = [];
const started = performance.now();
for (let i = 0; i < count; i += 1) {
  const name = pick(names);
  const unit = unitOf(name);
  const list: Observation[] = [
    ...Object.entries(unit.host).map(([key, value]) => parseObservation({ key, value }, 'scan')),
    // Missing observations: the technician did not (or could not) measure it.
    ...Object.entries(unit.bench).filter(() => !chance(0.25)).map(([key, value]) => parseObservation({ key, value }, 'bench')),
  ];
  const { observations } = collectObservations(list);
  const ranked = rankCauses(observations).ranked.map((entry) => entry.cause.id);
  const expected = truth[name];
  // The same unit through the wizard: up to 3 questions, answered from what the unit really shows
  // when the technician can measure it (a skip otherwise).
  const wizard = await interview(list, (question) => {
    const value = unit.bench[question.spec.key];
    return value === undefined ? 'skip' : parseObservation({ key: question.spec.key, value }, 'user');
  }, 3);
  questions += wizard.asked;
  if (wizard.diagnosis.ranked[0]?.cause.id === expected) wizardTop1 += 1;
  if (ranked[0] === expected) top1 += 1;
  else misses.push(`${name}: got ${ranked.slice(0, 3).join(', ')} from ${[...observations.values()].map((o) => `${o.key}=${o.text}`).join(' ')}`);
  if (ranked.slice(0, 3).includes(expected)) top3 += 1;
}
const ms = performance.now() - started;
console.log(`diagnose: ${String(count)} noisy units, top-1 ${((100 * top1) / count).toFixed(1)} %, top-3 ${((100 * top3) / count).toFixed(1)} % (${(ms / count).toFixed(2)} ms per unit)`);
console.log(`  after the wizard's questions (≤ 3, ${(questions / count).toFixed(2)} asked per unit on average): top-1 ${((100 * wizardTop1) / count).toFixed(1)} %`);
for (const miss of misses) console.log(`  miss ${miss}`);
