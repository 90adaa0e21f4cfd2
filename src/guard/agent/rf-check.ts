import { logWarn, type Logger } from '../../core/logger.js';
import type { AtClient } from '../../protocols/at/client.js';
import { getFunctionality } from '../../protocols/at/commands/functionality.js';
import { describeFunctionLevel } from '../../modem/functionality.js';
import type { RiskJournal } from '../journal/risk-journal.js';

// A module that lost its RF calibration (efs2 erased, +CFUN: 5) or runs a firmware baseline its
// calibration was not made for (+CFUN: 7) still boots and answers AT: no probe the guard makes
// notices it, the unit is simply never online again. So every boot is followed by one AT+CFUN?.

const DISABLED = { 5: 'calibration-lost', 7: 'wrong-baseline' } as const;

/** AT+CFUN? once; an rf-disabled event for level 5 or 7. Returns the level, or undefined when the query failed. */
export async function checkRadio(client: AtClient, journal: RiskJournal, logger: Logger): Promise<number | undefined> {
  let level: number;
  try {
    level = (await client.run(getFunctionality())).fun;
  } catch (error) {
    logWarn(logger, `guard: AT+CFUN? failed: ${error instanceof Error ? error.message : String(error)}`);
    return undefined;
  }
  if (level !== 5 && level !== 7) return level;
  const { meaning, next } = describeFunctionLevel(level);
  logWarn(logger, `guard: +CFUN: ${level}, ${meaning}`);
  await journal.append({ type: 'rf-disabled', data: { level, reason: DISABLED[level], detail: `${meaning}${next === undefined ? '' : `. ${next}`}`.slice(0, 300) } });
  return level;
}
