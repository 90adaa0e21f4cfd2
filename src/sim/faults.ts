// Faults a test can inject through the control interface. Conditions stay until cleared (power
// cycles do not clear them: they model a defect, not a glitch); events happen once, now.
import { UsageError } from '../core/errors.js';
import { NV_WRITE_STALLED_MS } from './wear.js';

export const FAULTS = {
  'at-silent': { kind: 'condition', description: 'the AT engine stops answering on both AT ports: no echo, no result code, no URC' },
  garbage: { kind: 'condition', description: 'noise bytes arrive on the AT port every ~300 ms (module time)' },
  'nv-write-stall': { kind: 'condition', description: `every NV write takes ${NV_WRITE_STALLED_MS / 1000} s, widening the window in which a power cut damages the module` },
  'unexpected-reset': { kind: 'event', description: 'the module resets on its own (a firmware crash): USB drops, an unexpected RDY follows' },
  'brown-out': { kind: 'event', description: 'VBAT dips below the brown-out threshold for a moment: the module resets (counted, may damage it)' },
} as const;

export type FaultName = keyof typeof FAULTS;
export type ConditionFault = { [K in FaultName]: (typeof FAULTS)[K]['kind'] extends 'condition' ? K : never }[FaultName];

export function checkFault(name: string): FaultName {
  if (!Object.hasOwn(FAULTS, name)) {
    throw new UsageError(`unknown fault ${name}`, { hint: `Faults: ${Object.keys(FAULTS).join(', ')}.` });
  }
  return name as FaultName;
}

export class FaultSet {
  readonly #active = new Set<ConditionFault>();
  readonly #changed: () => void;

  constructor(changed: () => void) {
    this.#changed = changed;
  }

  has(fault: ConditionFault): boolean {
    return this.#active.has(fault);
  }

  add(fault: ConditionFault): void {
    this.#active.add(fault);
    this.#changed();
  }

  clear(fault?: ConditionFault): void {
    if (fault === undefined) this.#active.clear();
    else this.#active.delete(fault);
    this.#changed();
  }

  list(): ConditionFault[] {
    return [...this.#active];
  }
}
