// Observations that cannot all be true of one module at one time. A contradiction that involves
// something a person typed is a usage error (measure again); one between readings medic took
// itself at slightly different moments is a note — a module that restarts while we look (a
// brown-out, §4.1) produces exactly that.
import { UsageError } from '../../core/errors.js';
import { matches, type Test } from './match.js';
import type { Observation, Observations } from './types.js';

interface Contradiction {
  readonly when: readonly { readonly key: string; readonly test: Test }[];
  readonly says: string;
  readonly hint: string;
}

const onUsb: Test = { is: ['normal', '9008', 'fastboot'] };

export const contradictions: readonly Contradiction[] = [
  {
    when: [{ key: 'usb', test: onUsb }, { key: 'vdd_ext', test: { below: 1.0 } }],
    says: 'the module is on USB, which means it started, but VDD_EXT reads ~0 V — a started module always drives VDD_EXT to 1.8 V, also in 9008 (§8.7)',
    hint: 'Measure VDD_EXT again on pin 7 against the module\'s own GND, and make sure the host and the meter are on the same unit.',
  },
  {
    when: [{ key: 'usb', test: onUsb }, { key: 'vbat', test: { below: 2.5 } }],
    says: 'the module is on USB but VBAT reads below 2.5 V — it cannot run without VBAT',
    hint: 'Measure VBAT at the module pins (57–60), not at a connector that might be switched off.',
  },
  {
    when: [{ key: 'usb', test: onUsb }, { key: 'current_ma', test: { below: 1 } }],
    says: 'the module is on USB but draws no current from VBAT — even 9008 draws ~42 mA (§8.2)',
    hint: 'Check the current meter is in series with VBAT and on the mA range.',
  },
  {
    when: [{ key: 'at_answers', test: { is: ['yes'] } }, { key: 'usb', test: { is: ['none', '9008'] } }],
    says: 'the AT port answers, but the host sees no module in normal mode — AT needs the normal-mode ports',
    hint: 'Run `medic scan` again: the module may have just changed mode.',
  },
  {
    when: [{ key: 'net_status', test: { is: ['slow-blink', 'fast-blink'] } }, { key: 'vdd_ext', test: { below: 1.0 } }],
    says: 'NET_STATUS blinks, which only running firmware does, but VDD_EXT reads ~0 V (§4.6, §8.7)',
    hint: 'Measure VDD_EXT again on pin 7; check the LED you watch belongs to this module.',
  },
  {
    when: [{ key: 'vdd_ext', test: { atLeast: 1.0 } }, { key: 'vbat', test: { below: 2.5 } }],
    says: 'VDD_EXT is present but VBAT reads below 2.5 V — the module makes VDD_EXT from VBAT',
    hint: 'Measure VBAT again at the module pins.',
  },
];

export interface ContradictionNote {
  readonly message: string;
  readonly keys: readonly string[];
}

/**
 * Throws a UsageError for a contradiction that involves a typed observation; returns the others
 * (between automatic readings) as notes.
 */
export function checkContradictions(observations: Observations): ContradictionNote[] {
  const notes: ContradictionNote[] = [];
  const found: { message: string; hint: string; involved: Observation[] }[] = [];
  for (const rule of contradictions) {
    const involved = rule.when.map((cond) => {
      const observation = observations.get(cond.key);
      return observation !== undefined && matches(cond.test, observation.value) ? observation : undefined;
    });
    if (involved.some((o) => o === undefined)) continue;
    found.push({ message: rule.says, hint: rule.hint, involved: involved.filter((o): o is Observation => o !== undefined) });
  }
  const supply = supplyBelowPins(observations);
  if (supply !== undefined) found.push(supply);
  for (const item of found) {
    const readings = item.involved.map((o) => `${o.key}=${o.text} (${originWords[o.origin]})`).join(', ');
    if (item.involved.some((o) => o.origin === 'user')) {
      throw new UsageError(`contradictory observations: ${readings}: ${item.message}`, {
        hint: item.hint,
        details: { reason: 'contradiction', keys: item.involved.map((o) => o.key) },
      });
    }
    notes.push({ message: `readings disagree (${readings}): ${item.message}; the module may be restarting while we look`, keys: item.involved.map((o) => o.key) });
  }
  return notes;
}

function supplyBelowPins(observations: Observations): { message: string; hint: string; involved: Observation[] } | undefined {
  const supply = observations.get('supply_v');
  const vbat = observations.get('vbat');
  if (supply?.value.kind !== 'number' || vbat?.value.kind !== 'number') return undefined;
  if (vbat.value.min <= supply.value.max + 0.05) return undefined;
  return {
    message: 'VBAT at the module pins is higher than the supply feeding it — the wiring can only lose voltage',
    hint: 'Check both readings: the supply\'s display may be off, or the meter measures another rail.',
    involved: [supply, vbat],
  };
}

const originWords: Record<Observation['origin'], string> = {
  user: 'you said',
  bench: 'bench reading',
  scan: 'the host sees',
  at: 'the module says',
  derived: 'computed',
};
