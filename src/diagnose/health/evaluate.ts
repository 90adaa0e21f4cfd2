import { luhnValid } from '../../protocols/at/commands/identity.js';
import { describeFunctionLevel } from '../../modem/functionality.js';
import { persistentSettings } from '../../modem/persistent-settings.js';
import { parseRevision, type FirmwareRevision } from '../../modem/revision.js';
import { rsrpQuality, rsrqQuality, rssiQuality, sinrQuality, worseOf, type Quality } from '../../modem/signal-quality.js';
import { vbatBand, vbatLimits } from '../../modem/supply.js';
import type { HealthReadings } from './readings.js';

export type Severity = 'ok' | 'info' | 'warning' | 'fault';

export interface Finding {
  readonly severity: Severity;
  readonly topic: 'identity' | 'function' | 'sim' | 'registration' | 'signal' | 'supply' | 'temperature' | 'settings' | 'report';
  readonly summary: string;
  readonly why?: string;
  readonly next?: string;
}

export interface HealthReport {
  readonly readings: HealthReadings;
  readonly revision?: FirmwareRevision;
  readonly signalQuality?: Quality;
  readonly findings: readonly Finding[];
  readonly verdict: { readonly severity: Severity; readonly text: string };
}

const rank: Record<Severity, number> = { ok: 0, info: 1, warning: 2, fault: 3 };

/** EC25 operating range −35…+75 °C, from our memory of the HD — not in the fact sheets (UNVERIFIED). */
const maxOperatingCelsius = 75;

export function evaluateHealth(readings: HealthReadings): HealthReport {
  const findings: Finding[] = [];
  const revision = readings.identity.revision === undefined ? undefined : parseRevision(readings.identity.revision);
  checkIdentity(readings, revision, findings);
  const calibrationLost = checkFunction(readings, findings);
  const simMissing = checkSim(readings, findings);
  const signalQuality = signalOf(readings);
  checkRegistration(readings, { simMissing, calibrationLost, signalQuality }, findings);
  checkSignal(signalQuality, calibrationLost, findings);
  checkSupply(readings, findings);
  checkTemperature(readings, findings);
  checkSettings(readings, findings);
  if (readings.unavailable.length > 0) {
    findings.push({
      severity: 'info',
      topic: 'report',
      summary: `${readings.unavailable.length} ${readings.unavailable.length === 1 ? 'query' : 'queries'} unanswered: ${readings.unavailable.map((u) => u.query).join(', ')}`,
    });
  }
  findings.sort((a, b) => rank[b.severity] - rank[a.severity]);
  return {
    readings,
    ...(revision === undefined ? {} : { revision }),
    ...(signalQuality === undefined ? {} : { signalQuality }),
    findings,
    verdict: verdictOf(readings, findings, signalQuality),
  };
}

function checkIdentity(readings: HealthReadings, revision: FirmwareRevision | undefined, findings: Finding[]): void {
  const { imei } = readings.identity;
  if (imei !== undefined && !isValidImei(imei)) {
    findings.push({
      severity: 'warning',
      topic: 'identity',
      summary: `IMEI "${imei}" is not a valid 15-digit IMEI`,
      why: 'The IMEI lives in EFS; a module that cannot read its EFS reports none or a wrong one (PinePhone EG25-G reports, §5.1).',
      next: 'Compare with the label; if EFS is damaged, restore the unit\'s calibration/EFS backup.',
    });
  }
  if (readings.identity.revision !== undefined && revision === undefined) {
    findings.push({ severity: 'info', topic: 'identity', summary: `revision "${readings.identity.revision}" does not follow Quectel's naming; baseline checks are not possible` });
  }
}

function checkFunction(readings: HealthReadings, findings: Finding[]): boolean {
  if (readings.functionLevel === undefined) return false;
  const level = describeFunctionLevel(readings.functionLevel);
  if (level.severity !== 'ok') {
    findings.push({
      severity: level.severity,
      topic: 'function',
      summary: `+CFUN: ${level.level} — ${level.meaning}`,
      ...(level.why === undefined ? {} : { why: level.why }),
      ...(level.next === undefined ? {} : { next: level.next }),
    });
  }
  return level.level === 5 || level.level === 7;
}

function checkSim(readings: HealthReadings, findings: Finding[]): boolean {
  const state = readings.sim.state;
  if (state === undefined || state === 'READY') return false;
  if (state === 'NOT INSERTED') {
    findings.push({
      severity: 'warning',
      topic: 'sim',
      summary: 'no SIM card detected',
      why: 'AT+CPIN? answers +CME ERROR: 10 (SIM not inserted); without a SIM the module cannot register.',
      next: 'Insert a SIM, check the holder and its card-detect wiring, then `AT+CFUN=1,1` or a power cycle.',
    });
    return true;
  }
  const puk = state.includes('PUK');
  findings.push({
    severity: puk ? 'fault' : 'warning',
    topic: 'sim',
    summary: `SIM is locked: ${state}`,
    next: puk ? 'The SIM is blocked; unblock it with its PUK from the operator.' : 'Enter the PIN with AT+CPIN="…", or disable the PIN on the SIM.',
  });
  return true;
}

function signalOf(readings: HealthReadings): Quality | undefined {
  const cell = readings.servingCell;
  if (cell?.rsrp !== undefined) {
    let quality = rsrpQuality(cell.rsrp);
    if (cell.rsrq !== undefined) quality = worseOf(quality, rsrqQuality(cell.rsrq));
    if (cell.sinr !== undefined) quality = worseOf(quality, sinrQuality(cell.sinr));
    return quality;
  }
  if (readings.csq !== undefined) return readings.csq.rssiDbm === undefined ? 'no signal' : rssiQuality(readings.csq.rssiDbm);
  return undefined;
}

function checkRegistration(
  readings: HealthReadings,
  context: { simMissing: boolean; calibrationLost: boolean; signalQuality: Quality | undefined },
  findings: Finding[],
): void {
  const { stat, statName } = readings.registration;
  if (stat === undefined || stat === 1 || stat === 5) return;
  if (context.simMissing || context.calibrationLost || (readings.functionLevel !== undefined && readings.functionLevel !== 1)) return;
  const scanMode = readings.settings['nwscanmode']?.[0];
  const scanRestricted = scanMode !== undefined && scanMode !== '0';
  if (stat === 3) {
    findings.push({
      severity: 'warning',
      topic: 'registration',
      summary: 'the network denied registration',
      why: 'The module is healthy and sees the network, but the network refuses it: SIM not provisioned or out of credit, or the IMEI is blocked.',
      next: 'Check the SIM\'s subscription with the operator.',
    });
    return;
  }
  const noSignal = context.signalQuality === undefined || context.signalQuality === 'no signal';
  findings.push({
    severity: 'warning',
    topic: 'registration',
    summary: `not registered (${statName ?? `stat ${stat}`})${noSignal ? ', no network found' : ''}`,
    why: noSignal
      ? 'The module is up and the SIM is ready, but it hears no cell it may use.'
      : 'A cell is heard but the module has not registered (yet).',
    next: [
      noSignal ? 'Check the antenna and its cable, and that there is coverage for this variant\'s bands here.' : 'Give it a minute; if it stays so, check the SIM\'s subscription.',
      scanRestricted ? `The module only scans in nwscanmode ${scanMode}: see the settings below.` : '',
    ].filter((part) => part !== '').join(' '),
  });
}

function checkSignal(quality: Quality | undefined, calibrationLost: boolean, findings: Finding[]): void {
  if (quality === undefined || calibrationLost) return;
  if (quality === 'poor') {
    findings.push({ severity: 'warning', topic: 'signal', summary: 'poor signal', next: 'Check the antenna placement and cable; expect retries and higher current draw.' });
  }
}

function checkSupply(readings: HealthReadings, findings: Finding[]): void {
  if (readings.vbatMv === undefined) return;
  const band = vbatBand(readings.vbatMv);
  const volts = (readings.vbatMv / 1000).toFixed(2);
  const range = `${(vbatLimits.minMv / 1000).toFixed(1)}–${(vbatLimits.maxMv / 1000).toFixed(1)} V`;
  if (band === 'under' || band === 'low') {
    findings.push({
      severity: band === 'under' ? 'fault' : 'warning',
      topic: 'supply',
      summary: `VBAT ${volts} V is ${band === 'under' ? 'below' : 'near the bottom of'} the module's ${range} range`,
      why: 'An unstable or weak supply is the first of the vendor\'s root causes for modules that need a reflash: transmit bursts pull VBAT down further and brown-outs reset the module mid-write.',
      next: 'Measure VBAT at the module pins during transmit; the supply must hold ~2 A bursts with bulk capacitance near the pins (§8.1).',
    });
  } else if (band === 'high' || band === 'over') {
    findings.push({
      severity: band === 'over' ? 'fault' : 'warning',
      topic: 'supply',
      summary: `VBAT ${volts} V is ${band === 'over' ? 'above' : 'near the top of'} the module's ${range} range`,
      next: 'Check the regulator feeding VBAT.',
    });
  }
}

function checkTemperature(readings: HealthReadings, findings: Finding[]): void {
  const hottest = readings.temperatures?.reduce((max, t) => (t.celsius > max.celsius ? t : max));
  if (hottest !== undefined && hottest.celsius > maxOperatingCelsius) {
    findings.push({
      severity: 'warning',
      topic: 'temperature',
      summary: `${hottest.name} at ${hottest.celsius} °C, above the ${maxOperatingCelsius} °C operating limit`,
      why: 'The limit is the EC25 hardware design\'s operating range as we remember it (not in our sheets, UNVERIFIED).',
      next: 'Check airflow and heat sinking; a hot module throttles and drops off the network.',
    });
  }
}

function checkSettings(readings: HealthReadings, findings: Finding[]): void {
  for (const setting of persistentSettings) {
    const values = readings.settings[setting.key];
    if (values === undefined) continue;
    const assessment = setting.assess(values);
    if (assessment === undefined) continue;
    findings.push({
      severity: assessment.severity,
      topic: 'settings',
      summary: `${setting.label} (${setting.key}) = ${values.join(',')}`,
      why: assessment.why,
      ...(assessment.next === undefined ? {} : { next: assessment.next }),
    });
  }
}

function verdictOf(readings: HealthReadings, findings: readonly Finding[], quality: Quality | undefined): HealthReport['verdict'] {
  const worst = findings[0];
  if (worst === undefined || rank[worst.severity] < rank.warning) {
    const where = readings.registration.operator ?? readings.networkInfo?.operator;
    const rat = readings.networkInfo?.act ?? readings.servingCell?.rat;
    const parts = [
      readings.registration.stat === 1 || readings.registration.stat === 5
        ? `registered${where === undefined ? '' : ` on ${where}`}${rat === undefined ? '' : ` (${rat})`}`
        : undefined,
      quality === undefined ? undefined : `signal ${quality}`,
      readings.vbatMv === undefined ? undefined : `VBAT ${(readings.vbatMv / 1000).toFixed(2)} V`,
    ].filter((part): part is string => part !== undefined);
    return { severity: 'ok', text: `healthy${parts.length > 0 ? ` — ${parts.join(', ')}` : ''}` };
  }
  const label = worst.severity === 'fault' ? 'FAULT' : 'WARNING';
  const more = findings.filter((f) => rank[f.severity] >= rank.warning).length - 1;
  return {
    severity: worst.severity,
    text: `${label} — ${worst.summary}${worst.next === undefined ? '' : `. Next: ${worst.next}`}${more > 0 ? ` (+${more} more)` : ''}`,
  };
}

/** 15 digits with a valid Luhn check digit (3GPP TS 23.003). */
export function isValidImei(imei: string): boolean {
  return /^\d{15}$/.test(imei) && luhnValid(imei);
}
