// VBAT bands for the module's own measurement (AT+CBC, millivolts). quectel-ec25.md §8.1:
// 3.3 V min / 3.8 V typ / 4.3 V max including dips — medium confidence, EC25 HD text not seen
// (UNVERIFIED). The 3.5 V warning threshold is the UC15's under-voltage warning (sibling
// template, §8.1); we use it as an early warning only.

export const vbatLimits = {
  minMv: 3300,
  warnLowMv: 3500,
  typicalMv: 3800,
  warnHighMv: 4200,
  maxMv: 4300,
} as const;

export type SupplyBand = 'ok' | 'low' | 'high' | 'under' | 'over';

export function vbatBand(mv: number): SupplyBand {
  if (mv < vbatLimits.minMv) return 'under';
  if (mv > vbatLimits.maxMv) return 'over';
  if (mv < vbatLimits.warnLowMv) return 'low';
  if (mv > vbatLimits.warnHighMv) return 'high';
  return 'ok';
}
