import { logWarn, type Logger } from '../../core/logger.js';
import type { AtClient } from '../../protocols/at/client.js';
import { getBatteryCharge } from '../../protocols/at/commands/power.js';
import type { VbatConfig } from '../config/config.js';
import type { RiskJournal } from '../journal/risk-journal.js';

/**
 * One VBAT sample as the module measures it (AT+CBC): a vbat-sample event when samples are kept,
 * a vbat-dip under the threshold. Returns the millivolts, or undefined when AT+CBC failed.
 */
export async function sampleVbat(client: AtClient, journal: RiskJournal, vbat: VbatConfig, logger: Logger): Promise<number | undefined> {
  let mV: number;
  let percent: number;
  try {
    const charge = await client.run(getBatteryCharge());
    mV = charge.voltageMv;
    percent = charge.bcl;
  } catch (error) {
    logWarn(logger, `guard: AT+CBC failed: ${error instanceof Error ? error.message : String(error)}`);
    return undefined;
  }
  if (vbat.recordSamples) await journal.append({ type: 'vbat-sample', data: { mV, ...(percent >= 0 && percent <= 100 ? { percent } : {}) } });
  if (mV < vbat.dipThresholdMv) await journal.append({ type: 'vbat-dip', data: { mV, thresholdMv: vbat.dipThresholdMv } });
  return mV;
}
