// A small seeded PRNG (mulberry32): the simulator replays the same faults with `--seed N` (which
// power cut damaged the module, which bytes the garbage fault sent), the fleet's generated data the
// same fleet.

export interface Rng {
  readonly seed: number;
  /** Uniform in [0, 1). */
  next(): number;
  /** Integer in [min, max], both included. */
  int(min: number, max: number): number;
  /** A duration in [min, max] (module ms). */
  between(min: number, max: number): number;
  bytes(count: number): Uint8Array;
}

export function createRng(seed: number): Rng {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    seed: seed >>> 0,
    next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    between: (min, max) => min + next() * (max - min),
    bytes: (count) => Uint8Array.from({ length: count }, () => Math.floor(next() * 256)),
  };
}

/** A seed for runs that did not ask for one; reported in sim.json so the run can be replayed. */
export function randomSeed(): number {
  return Math.floor(Math.random() * 0x7fffffff);
}
