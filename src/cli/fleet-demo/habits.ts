// The demo fleet's habits (issue #6, "a seeded demo fleet"): how each product treats its module,
// as data. Who gets which is drawn from the demo's seed, so a seed names one whole fleet.
import { createRng } from '../../core/rng.js';

export const HABITS = {
  'cuts-power': 'at the end of the day the product loses power: VBAT cut behind the guard (battery pulled, hard reset switch)',
  'cycles-cfun': 'an application toggles AT+CFUN many times a day through the guard\'s AT proxy',
  'weak-supply': 'the supply\'s source resistance is too high on some days: VBAT sags, the module browns out and reboots',
  behaves: 'the guard powers the module down in order at the end of every day',
} as const;

export type Habit = keyof typeof HABITS;

/**
 * Habits for `count` units: every habit at least once when there are four units or more (so the
 * analysis has both sides of each comparison), the rest drawn from the seed, then shuffled.
 */
export function assignHabits(count: number, seed: number): Habit[] {
  const rng = createRng(seed ^ 0x5eed);
  const names = Object.keys(HABITS) as Habit[];
  // Weights: most products behave, as in a real fleet.
  const weighted: Habit[] = ['behaves', 'behaves', 'cuts-power', 'cycles-cfun', 'weak-supply'];
  const habits: Habit[] = [];
  for (let index = 0; index < count; index++) habits.push(index < names.length ? (names[index] as Habit) : (weighted[rng.int(0, weighted.length - 1)] as Habit));
  for (let index = habits.length - 1; index > 0; index--) {
    const other = rng.int(0, index);
    [habits[index], habits[other]] = [habits[other] as Habit, habits[index] as Habit];
  }
  return habits;
}
