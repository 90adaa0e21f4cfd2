import type { HealthReport, Severity } from '../../diagnose/health/evaluate.js';
import { describeFunctionLevel } from '../../modem/functionality.js';
import { formatBaseline } from '../../modem/revision.js';
import { rsrpQuality, rsrqQuality, sinrQuality } from '../../modem/signal-quality.js';

const marks: Record<Severity, string> = { ok: '✓', info: 'i', warning: '!', fault: '✗' };

/** The health report as a person reads it on a terminal: sections, then findings, then the verdict. */
export function renderHealth(report: HealthReport): string {
  const { readings } = report;
  const lines: string[] = [];
  const row = (label: string, value: string | undefined): void => {
    if (value !== undefined) lines.push(`  ${label.padEnd(14)}${value}`);
  };

  lines.push(`Module on ${readings.port}`);
  lines.push('Identity');
  row('model', [readings.identity.manufacturer, readings.identity.model].filter(Boolean).join(' ') || undefined);
  row('IMEI', readings.identity.imei);
  if (report.revision !== undefined) {
    const r = report.revision;
    row('revision', `${readings.identity.fullRevision ?? r.raw}  (model ${r.model}, variant ${r.variant}, baseline ${formatBaseline(r)})`);
  } else {
    row('revision', readings.identity.fullRevision ?? readings.identity.revision);
  }

  lines.push('SIM');
  row('state', readings.sim.state);
  row('ICCID', readings.sim.iccid);
  row('IMSI', readings.sim.imsi);

  lines.push('Radio');
  if (readings.functionLevel !== undefined) {
    row('function', `+CFUN: ${readings.functionLevel} (${describeFunctionLevel(readings.functionLevel).meaning})`);
  }
  const reg = readings.registration;
  if (reg.stat !== undefined) row('registration', `${reg.statName ?? `stat ${reg.stat}`}${reg.source === undefined ? '' : ` (${reg.source})`}`);
  row('operator', reg.operator ?? readings.networkInfo?.operator);
  if (readings.networkInfo !== undefined) {
    const ni = readings.networkInfo;
    row('network', [ni.act, ni.band, ni.channel === undefined ? undefined : `channel ${ni.channel}`].filter(Boolean).join(', ') || undefined);
  }
  const cell = readings.servingCell;
  if (cell !== undefined) {
    const where = [cell.state, cell.rat, cell.mcc === undefined ? undefined : `${cell.mcc}-${cell.mnc ?? '?'}`, cell.cellId === undefined ? undefined : `cell ${cell.cellId}`, cell.pci === undefined ? undefined : `PCI ${cell.pci}`]
      .filter(Boolean)
      .join(', ');
    row('serving cell', where || undefined);
    if (cell.rsrp !== undefined) row('RSRP', `${cell.rsrp} dBm (${rsrpQuality(cell.rsrp)})`);
    if (cell.rsrq !== undefined) row('RSRQ', `${cell.rsrq} dB (${rsrqQuality(cell.rsrq)})`);
    if (cell.sinr !== undefined) row('SINR', `${cell.sinr} dB (${sinrQuality(cell.sinr)})`);
  }
  if (readings.csq !== undefined) row('RSSI (CSQ)', readings.csq.rssiDbm === undefined ? 'unknown (99)' : `${readings.csq.rssiDbm} dBm`);
  row('signal', report.signalQuality);

  lines.push('Power');
  row('VBAT', readings.vbatMv === undefined ? undefined : `${(readings.vbatMv / 1000).toFixed(3)} V`);
  row('temperatures', readings.temperatures?.map((t) => `${t.name} ${t.celsius} °C`).join(', '));

  const settings = Object.entries(readings.settings);
  if (settings.length > 0) {
    lines.push('Persistent settings');
    for (const [key, values] of settings) row(key, values.join(','));
  }

  if (report.findings.length > 0) {
    lines.push('Findings');
    for (const finding of report.findings) {
      lines.push(`  ${marks[finding.severity]} ${finding.summary}`);
      if (finding.why !== undefined) lines.push(`      why: ${finding.why}`);
      if (finding.next !== undefined) lines.push(`      next: ${finding.next}`);
    }
  }
  lines.push('');
  lines.push(`verdict: ${report.verdict.text}`);
  return `${lines.join('\n')}\n`;
}
