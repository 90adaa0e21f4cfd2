import { stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { isMedicError } from '../../core/errors.js';
import { silentLogger } from '../../core/logger.js';
import { findPortHolders, type PortHolder } from '../../detect/port-holders.js';
import { scanUsb, type ScannedDevice } from '../../detect/sysfs-scan.js';
import { scanWarnings, type ScanWarning } from '../../detect/warnings.js';
import { formatUsbId } from '../../modem/usb-identities.js';
import { withAtSession } from '../at-session.js';
import { ExitCode } from '../exit-codes.js';
import { printJson, type CliIo } from '../io.js';
import type { RegisterCommand } from './index.js';

interface ScanOptions {
  readonly sysfsRoot?: string;
  readonly devRoot?: string;
  readonly json?: boolean;
  readonly watch?: boolean;
  readonly probe: boolean;
  readonly interval: string;
}

interface ScanEntry {
  readonly device: ScannedDevice;
  readonly probe?: { readonly answers: boolean; readonly error?: string };
  readonly warnings: readonly ScanWarning[];
}

export const registerScan: RegisterCommand = (program, io, setExit) => {
  program
    .command('scan')
    .description('every Quectel/Qualcomm module the host sees: model, mode (normal, 9008, fastboot…), ports by role, what gets in the way')
    .option('--sysfs-root <dir>', 'read this sysfs tree instead of /sys (a simulator\'s <state>/sys)')
    .option('--dev-root <dir>', 'where the tty nodes live (default /dev, or the dev/ beside --sysfs-root)')
    .option('--json', 'print the result as JSON on stdout (JSON lines with --watch)')
    .option('--watch', 'keep watching and report plugging, unplugging and mode changes as they happen')
    .option('--no-probe', 'do not send AT to the AT port')
    .option('--interval <ms>', 'how often --watch looks', '500')
    .addHelpText('after', '\nExit codes: 0 at least one module found, 1 none found.')
    .action(async (options: ScanOptions) => {
      const roots = await resolveRoots(options);
      if (options.watch === true) {
        await watch(io, roots, options);
        setExit(ExitCode.Ok);
        return;
      }
      const entries = await scanOnce(roots, options.probe);
      if (options.json === true) printJson(io, { ok: true, devices: entries.map(toJson) });
      else io.stdout.write(renderScan(entries));
      setExit(entries.length > 0 ? ExitCode.Ok : ExitCode.Findings);
    });
};

async function resolveRoots(options: ScanOptions): Promise<{ sysfsRoot: string; devRoot: string }> {
  const sysfsRoot = options.sysfsRoot ?? '/sys';
  if (options.devRoot !== undefined) return { sysfsRoot, devRoot: options.devRoot };
  const sibling = join(dirname(sysfsRoot), 'dev');
  const useSibling = options.sysfsRoot !== undefined && (await stat(sibling).then((s) => s.isDirectory(), () => false));
  return { sysfsRoot, devRoot: useSibling ? sibling : '/dev' };
}

async function scanOnce(roots: { sysfsRoot: string; devRoot: string }, probe: boolean): Promise<ScanEntry[]> {
  const devices = await scanUsb(roots);
  const entries: ScanEntry[] = [];
  for (const device of devices) {
    const holders: Record<string, readonly PortHolder[]> = {};
    for (const iface of device.interfaces) {
      for (const tty of iface.ttys) holders[tty.node] = await findPortHolders(tty.node);
    }
    const at = device.ports.at ?? device.ports.modem;
    const busy = at !== undefined && (holders[at]?.length ?? 0) > 0;
    entries.push({
      device,
      ...(probe && at !== undefined && device.identity.mode === 'normal' && !busy ? { probe: await probeAt(at) } : {}),
      warnings: scanWarnings(device, holders),
    });
  }
  return entries;
}

async function probeAt(port: string): Promise<{ answers: boolean; error?: string }> {
  try {
    await withAtSession(port, silentLogger, false, () => Promise.resolve());
    return { answers: true };
  } catch (error) {
    return { answers: false, error: isMedicError(error) ? `${error.code}: ${error.message}` : String(error) };
  }
}

function toJson(entry: ScanEntry): unknown {
  const { device } = entry;
  return {
    usbPath: device.usbPath,
    id: formatUsbId(device.vendorId, device.productId),
    mode: device.identity.mode,
    models: device.identity.models,
    note: device.identity.note,
    ...(device.product === undefined ? {} : { product: device.product }),
    ports: device.ports,
    interfaces: device.interfaces,
    ...(entry.probe === undefined ? {} : { probe: entry.probe }),
    warnings: entry.warnings,
  };
}

function renderScan(entries: readonly ScanEntry[]): string {
  if (entries.length === 0) {
    return 'No Quectel or Qualcomm module on USB.\nIf one is connected: no USB at all means it is not powered or not started (check VBAT, PWRKEY, STATUS, VDD_EXT), or its USB is damaged; `medic diagnose` walks through it.\n';
  }
  const lines: string[] = [];
  for (const { device, probe, warnings } of entries) {
    const name = device.identity.models.length > 0 ? device.identity.models.join('/') : (device.product ?? 'unknown');
    lines.push(`${device.usbPath}  ${formatUsbId(device.vendorId, device.productId)}  ${name}  [${device.identity.mode}]`);
    lines.push(`  ${device.identity.note}`);
    for (const iface of device.interfaces) {
      const nodes = [...iface.ttys.map((tty) => tty.node), ...iface.netDevices, ...iface.usbmisc].join(' ');
      const csp = [iface.interfaceClass, iface.subClass, iface.protocol].map((v) => v.toString(16).padStart(2, '0')).join('/');
      lines.push(`  if${iface.number}  ${csp}  ${String(iface.endpoints)} ep  ${iface.role.padEnd(8)} ${(iface.driver ?? '(no driver)').padEnd(10)} ${nodes}`);
    }
    if (probe !== undefined) lines.push(probe.answers ? `  AT port answers (${device.ports.at ?? device.ports.modem ?? ''})` : `  AT port does not answer: ${probe.error ?? ''}`);
    for (const warning of warnings) lines.push(`  ! ${warning.message}\n      next: ${warning.next}`);
  }
  return `${lines.join('\n')}\n`;
}

async function watch(io: CliIo, roots: { sysfsRoot: string; devRoot: string }, options: ScanOptions): Promise<void> {
  const interval = Math.max(50, Number(options.interval));
  let known = new Map<string, string>();
  const stop = new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  let stopped = false;
  void stop.then(() => (stopped = true));
  const report = (event: string, usbPath: string, detail: string): void => {
    if (options.json === true) printJson(io, { event, usbPath, detail, at: new Date().toISOString() });
    else io.stdout.write(`${new Date().toISOString()}  ${event.padEnd(12)} ${usbPath}  ${detail}\n`);
  };
  while (!stopped) {
    const devices = await scanUsb(roots).catch(() => [] as ScannedDevice[]);
    const now = new Map(devices.map((device) => [device.usbPath, `${formatUsbId(device.vendorId, device.productId)} ${device.identity.mode}`]));
    for (const [path, detail] of now) {
      const before = known.get(path);
      if (before === undefined) report('plugged', path, detail);
      else if (before !== detail) report('mode-change', path, `${before} → ${detail}`);
    }
    for (const [path, detail] of known) if (!now.has(path)) report('unplugged', path, detail);
    known = now;
    await Promise.race([stop, new Promise((resolve) => setTimeout(resolve, interval))]);
  }
}
