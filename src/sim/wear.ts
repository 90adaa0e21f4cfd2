// What the module's flash remembers of how it was treated, and what that did to it (§5.1, §8.8).
//
// Model assumptions (none of them is a documented Quectel figure; §8.8 is a GAP):
// - NV writes happen on every CFUN transition to or from 0 (RF and SIM state), every persistent AT+QCFG /
//   AT+QURCCFG write — also when the value does not change, which is why eg25-manager queries
//   first (§5.3) — and each takes a short window (NV_WRITE_MS) during which a cut is worse.
// - An ungraceful cut is VBAT removed while STATUS says running or booting, or during an NV write.
//   A cut after POWERED DOWN (STATUS released) or in EDL (PBL only, no NV) is harmless.
// - Each ungraceful cut, and each brown-out, draws once from the seeded PRNG against the
//   scenario's DamageOdds: boot chain corrupt (a torn SBL page → EDL 05c6:9008 at the next
//   power-on) or EFS / calibration lost (efs2 erased → `+CFUN: 5`). The damage is done to the
//   NAND (module-flash.ts), so a reflash through EDL repairs what it rewrites. There is no numeric NV endurance limit (none is documented),
//   so counters are recorded for the host's tools to judge, not turned into wear-out.
import type { Rng } from '../core/rng.js';
import type { DamageOdds } from './scenarios.js';

export interface WearCounters {
  nvWrites: number;
  cfunTransitions: number;
  ungracefulCuts: number;
  cutsDuringNvWrite: number;
  brownouts: number;
  /** Every restart that was not a power-on: RESET_N, AT+CFUN=1,1, crashes, brown-out recovery. */
  resets: number;
  unexpectedResets: number;
  shortPwrkeyPulses: number;
  outOfSpecResetPulses: number;
  boots: number;
  gracefulPowerOffs: number;
}

export type WearCounter = keyof WearCounters;

export function emptyWear(): WearCounters {
  return {
    nvWrites: 0,
    cfunTransitions: 0,
    ungracefulCuts: 0,
    cutsDuringNvWrite: 0,
    brownouts: 0,
    resets: 0,
    unexpectedResets: 0,
    shortPwrkeyPulses: 0,
    outOfSpecResetPulses: 0,
    boots: 0,
    gracefulPowerOffs: 0,
  };
}

/**
 * How the module is, as read from its NAND (module-flash.ts): a view, not a second record. The
 * damage model changes the NAND, and this follows.
 */
export interface ModuleHealth {
  /**
   * EFS2 with the per-unit RF calibration (QCN) (§2.6, §5.1): lost → `+CFUN: 5`; made for another
   * firmware baseline than the one flashed → `+CFUN: 7` (QFORUM/58100).
   */
  efs: 'ok' | 'calibration-lost' | 'wrong-baseline';
  /** SBL unreadable → the PBL stays in EDL (§4.8); a later stage unreadable → it hangs without USB. */
  bootChain: 'ok' | 'corrupt' | 'hangs';
}

export function healthyModule(): ModuleHealth {
  return { efs: 'ok', bootChain: 'ok' };
}

export type Damage = 'boot-chain' | 'calibration';

/** One draw: which damage, if any, this event does. */
export function rollDamage(rng: Rng, odds: DamageOdds): Damage | null {
  const draw = rng.next();
  if (draw < odds.bootChain) return 'boot-chain';
  if (draw < odds.bootChain + odds.calibration) return 'calibration';
  return null;
}

/** What a damage does to the NAND (module-flash.ts): SBL left with a torn page, or EFS2 erased. */
export const DAMAGE_ON_NAND = {
  'boot-chain': { partition: 'sbl', action: 'tear' },
  calibration: { partition: 'efs2', action: 'erase' },
} as const satisfies Record<Damage, { partition: string; action: 'tear' | 'erase' }>;

/** How long one NV write keeps the flash busy (module ms): plausible, UNVERIFIED. */
export const NV_WRITE_MS = 60;
/** The same write under the nv-write-stall fault (a worn or busy NAND). */
export const NV_WRITE_STALLED_MS = 8000;
