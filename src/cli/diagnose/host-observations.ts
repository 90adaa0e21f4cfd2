// What medic reads by itself for `medic diagnose`: the USB scan (mode, who holds the ports,
// autosuspend, composition) and, when an AT port answers, the health report (function level, SIM,
// registration, signal, risky settings, VBAT as the module measures it).
import { isMedicError } from '../../core/errors.js';
import { silentLogger } from '../../core/logger.js';
import { findPortHolders, type PortHolder } from '../../detect/port-holders.js';
import { scanUsb, type ScannedDevice } from '../../detect/sysfs-scan.js';
import { scanWarnings } from '../../detect/warnings.js';
import { evaluateHealth, type HealthReport } from '../../diagnose/health/evaluate.js';
import { readHealth } from '../../diagnose/health/read.js';
import { parseObservations, type Observation, type RawObservation } from '../../diagnose/observations/index.js';
import { formatUsbId } from '../../modem/usb-identities.js';
import { withAtSession } from '../at-session.js';

export interface HostOptions {
  readonly sysfsRoot: string;
  readonly devRoot: string;
  /** The AT port to read; default the one the scan finds. */
  readonly port?: string;
  readonly probe: boolean;
  readonly progress: (text: string) => void;
}

export interface HostReading {
  readonly scan: readonly RawObservation[];
  readonly at: readonly RawObservation[];
  readonly device?: ScannedDevice;
  readonly health?: HealthReport;
  /** Ports for the next steps' commands. */
  readonly ports: { readonly at?: string; readonly edl?: string; readonly dm?: string };
  readonly notes: readonly string[];
}

export async function readHost(options: HostOptions): Promise<HostReading> {
  const notes: string[] = [];
  let devices: ScannedDevice[];
  try {
    devices = await scanUsb({ sysfsRoot: options.sysfsRoot, devRoot: options.devRoot });
  } catch (error) {
    if (!isMedicError(error)) throw error;
    notes.push(`USB not scanned: ${error.message}`);
    return { scan: [], at: [], ports: {}, notes };
  }
  const device = devices[0];
  if (devices.length > 1) notes.push(`${String(devices.length)} modules on USB; diagnosing ${device?.usbPath ?? '?'} (${devices.map((d) => d.usbPath).join(', ')})`);
  if (device === undefined) {
    options.progress('The host sees no Quectel or Qualcomm module on USB.');
    return { scan: [{ key: 'usb', value: 'none', note: `scan of ${options.sysfsRoot}` }], at: [], ports: {}, notes };
  }
  options.progress(`The host sees ${formatUsbId(device.vendorId, device.productId)} at ${device.usbPath}: ${device.identity.note}.`);
  const holders: Record<string, readonly PortHolder[]> = {};
  for (const iface of device.interfaces) for (const tty of iface.ttys) holders[tty.node] = await findPortHolders(tty.node);
  const allHolders = Object.values(holders).flat();
  const scan: RawObservation[] = [
    { key: 'usb', value: usbOf(device), note: `${formatUsbId(device.vendorId, device.productId)} at ${device.usbPath}` },
    {
      key: 'port_holder',
      value: allHolders.length === 0 ? 'none' : allHolders.some((h) => h.command === 'ModemManager') ? 'modemmanager' : 'other',
      ...(allHolders.length === 0 ? {} : { note: allHolders.map((h) => `${h.command} (pid ${String(h.pid)})`).join(', ') }),
    },
  ];
  if (device.powerControl !== undefined) scan.push({ key: 'autosuspend', value: device.powerControl === 'auto' ? 'on' : 'off' });
  if (device.identity.mode === 'normal') {
    const changed = scanWarnings(device, holders).some((warning) => warning.code === 'COMPOSITION_CHANGED');
    scan.push({ key: 'composition', value: changed ? 'changed' : 'standard' });
  }
  const atPort = options.port ?? device.ports.at ?? device.ports.modem;
  const ports = {
    ...(atPort === undefined ? {} : { at: atPort }),
    ...(device.ports.edl === undefined ? {} : { edl: device.ports.edl }),
    ...(device.ports.dm === undefined ? {} : { dm: device.ports.dm }),
  };
  if (!options.probe || atPort === undefined || (device.identity.mode !== 'normal' && options.port === undefined)) {
    return { scan, at: [], device, ports, notes };
  }
  if ((holders[atPort]?.length ?? 0) > 0) {
    notes.push(`${atPort} is held by another program: not read over AT`);
    return { scan, at: [], device, ports, notes };
  }
  options.progress(`Reading the module's health over ${atPort}…`);
  try {
    const health = evaluateHealth(await withAtSession(atPort, silentLogger, false, (client) => readHealth(client, atPort)));
    return { scan, at: healthObservations(health, atPort), device, health, ports, notes };
  } catch (error) {
    const why = isMedicError(error) ? error.message : String(error);
    notes.push(`the AT port ${atPort} did not answer: ${why}`);
    return { scan, at: [{ key: 'at_answers', value: 'no', note: why }], device, ports, notes };
  }
}

function usbOf(device: ScannedDevice): string {
  switch (device.identity.mode) {
    case 'normal':
      return 'normal';
    case 'edl':
      return '9008';
    case 'fastboot':
      return 'fastboot';
    case 'sbl-download':
    case 'unknown-qualcomm':
      return 'other';
  }
}

export function healthObservations(health: HealthReport, port: string): RawObservation[] {
  const { readings } = health;
  const out: RawObservation[] = [{ key: 'at_answers', value: 'yes', note: port }];
  if (readings.functionLevel !== undefined) {
    out.push({ key: 'cfun', value: [0, 1, 4, 5, 7].includes(readings.functionLevel) ? String(readings.functionLevel) : 'other', note: `AT+CFUN? → +CFUN: ${String(readings.functionLevel)}` });
  }
  const sim = readings.sim.state;
  if (sim !== undefined) {
    const value = sim === 'READY' ? 'ready' : sim === 'NOT INSERTED' ? 'missing' : /PIN|PUK/.test(sim) ? 'locked' : undefined;
    if (value !== undefined) out.push({ key: 'sim', value, note: `AT+CPIN? → ${sim}` });
  }
  const stat = readings.registration.stat;
  if (stat !== undefined) {
    const value = stat === 1 || stat === 5 ? 'registered' : stat === 2 ? 'searching' : stat === 3 ? 'denied' : 'not-registered';
    out.push({ key: 'registration', value, note: `${readings.registration.source ?? 'CREG'} stat ${String(stat)}` });
  }
  if (health.signalQuality !== undefined) {
    const q = health.signalQuality;
    out.push({ key: 'signal', value: q === 'excellent' || q === 'good' ? 'good' : q === 'no signal' ? 'none' : q });
  }
  if (Object.keys(readings.settings).length > 0) {
    const risky = health.findings.filter((f) => f.topic === 'settings' && (f.severity === 'warning' || f.severity === 'fault'));
    out.push({ key: 'risky_settings', value: risky.length > 0 ? 'yes' : 'no', ...(risky.length > 0 ? { note: risky.map((f) => f.summary).join('; ') } : {}) });
  }
  if (readings.vbatMv !== undefined) out.push({ key: 'vbat', value: (readings.vbatMv / 1000).toFixed(3), note: 'AT+CBC (the module\'s own measurement)' });
  return out;
}

/** What the host read, as observations (the scan's and the AT port's). */
export function hostObservations(host: HostReading): Observation[] {
  return [...parseObservations(host.scan, 'scan'), ...parseObservations(host.at, 'at')];
}
