// `medic sim`: a simulated EC25 in the foreground until SIGINT/SIGTERM, and `medic sim ctl`, the
// bench around it (VBAT, PWRKEY, RESET_N, USB_BOOT, faults, wear) through its control interface.
import type { Command } from 'commander';
import { UsageError } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import { SimControlClient } from '../../sim/control/client.js';
import type { SimState } from '../../sim/control/api.js';
import { checkFault, FAULTS, type ConditionFault } from '../../sim/faults.js';
import { parseBadBlocks, parseGeometry } from '../../sim/nand/bad-blocks.js';
import { MAKE_PACKAGE_USAGE, runMakePackage } from '../../sim/package/cli.js';
import { SCENARIOS } from '../../sim/scenarios.js';
import { startSimulator, type SimulatorOptions } from '../../sim/simulator.js';
import { ExitCode } from '../exit-codes.js';
import { printJson, stderrLogger, type CliIo } from '../io.js';
import type { RegisterCommand } from './index.js';
import { waitForSignal } from '../signals.js';

interface SimFlags {
  scenario: string;
  state?: string;
  timeScale?: string;
  seed?: string;
  json?: boolean;
  model?: string;
  imei?: string;
  iccid?: string;
  revision?: string;
  off?: boolean;
  usbPath?: string;
  statusPolarity?: string;
  tcp?: string;
  geometry?: string;
  badBlocks?: string;
  verbose?: boolean;
}

interface CtlFlags {
  state?: string;
  json?: boolean;
}

export const registerSim: RegisterCommand = (program, io, setExit) => {
  const sim = program
    .command('sim')
    .description('Run a simulated EC25-family module (real ptys, a sysfs view, a control interface) until SIGINT/SIGTERM.')
    .option('--scenario <name>', `the world around the module: ${Object.keys(SCENARIOS).join(', ')}`, 'healthy')
    .option('--state <dir>', 'state directory (module.json, sim.json, dev/, sys/); a new temporary one if not given')
    .option('--time-scale <f>', 'every module duration takes F × its real time (0.01: the ~13 s boot takes ~130 ms)')
    .option('--seed <n>', 'seed for the fault and damage draws (random, and reported in sim.json, if not given)')
    .option('--json', 'once ready, print one JSON line (stateDir, mode, ports, sysfs, control) on stdout')
    .option('--model <model>', 'module variant of a new module (default EC25-A)')
    .option('--imei <n>', 'IMEI (15 digits, Luhn); a new module gets a random valid one')
    .option('--iccid <n>', "the SIM card's ICCID")
    .option('--revision <rev>', 'firmware revision (default for EC25-A: EC25AFAR05A04M4G)')
    .option('--off', 'apply VBAT but leave the module off, waiting for PWRKEY (`medic sim ctl pwrkey 600`)')
    .option('--usb-path <path>', 'kernel USB port path of the device in the sysfs view', '1-1')
    .option('--status-polarity <p>', 'how the board reads STATUS: low-when-running (EC25, default) or high-when-running')
    .option('--tcp <host:port>', "QFirehose's usb2tcp bridge on HOST:PORT (e.g. 127.0.0.1:9008; port 0 = any): the EDL port in EDL, the DM port in normal mode")
    .option('--geometry <g>', 'NAND geometry of a new module: p4K_b256K (default) or p2K_b128K; a stored module keeps its own')
    .option('--bad-blocks <list>', 'factory bad blocks of a new module: block numbers (12,57) or random:N (seeded; never block 0)')
    .option('--verbose', 'also print debug events')
    .action(async (flags: SimFlags) => {
      setExit(await runSimulator(io, flags));
    });

  // --state and --json belong to `sim` and are read from there: the root program parses options
  // anywhere on the line, so `sim` sees them wherever they stand, before or after `ctl`.
  sim
    .command('ctl')
    .description('Drive a running simulator (--state <dir> required, --json for JSON): state | info | vbat <volts> [ohms] | pwrkey <ms|low|high> | reset <ms|low|high> | usb-boot <high|low> | fault add|clear|list [name] | edl-fault cut <bytes|random> [max] | drop <bytes> | nak <cmd,…> | noisy <n> | slow <programUs> [eraseUs] | list | clear | wear | events [since]')
    .argument('<verb>', 'what to do')
    .argument('[args...]', 'its arguments')
    .action(async (verb: string, args: string[], _flags: unknown, command: Command) => {
      setExit(await runCtl(io, verb, args, command.optsWithGlobals<CtlFlags>()));
    });

  // src/sim/package parses its own options; it gets the words after `make-package` verbatim
  // (from the raw command line, since `sim` would otherwise claim --json, --seed, --model, --revision).
  sim
    .command('make-package')
    .description('Write a synthetic firmware package with the real Quectel layout (see --help of the package tool)')
    .helpOption(false)
    .allowUnknownOption()
    .allowExcessArguments()
    .argument('[args...]')
    .addHelpText('after', `\n${MAKE_PACKAGE_USAGE}`)
    .action(async (args: string[]) => {
      // commander keeps the unparsed line on the root command (untyped in its .d.ts).
      const raw = (program as { rawArgs?: unknown }).rawArgs;
      const words = Array.isArray(raw) && raw.every((word) => typeof word === 'string') ? raw : undefined;
      const at = words?.indexOf('make-package') ?? -1;
      setExit(await runMakePackage(words !== undefined && at >= 0 ? words.slice(at + 1) : args, io));
    });
};

async function runSimulator(io: CliIo, flags: SimFlags): Promise<number> {
  const json = flags.json === true;
  const logger: Logger = json ? { log: (record) => { if (record.level === 'error') io.stderr.write(`error: ${record.message}\n`); } } : stderrLogger(io, flags.verbose === true);
  const options: SimulatorOptions = {
    scenario: flags.scenario,
    logger,
    off: flags.off === true,
    ...(flags.state === undefined ? {} : { stateDir: flags.state }),
    ...(flags.timeScale === undefined ? {} : { timeScale: numberFlag('--time-scale', flags.timeScale) }),
    ...(flags.seed === undefined ? {} : { seed: integerFlag('--seed', flags.seed) }),
    ...(flags.model === undefined ? {} : { model: flags.model }),
    ...(flags.imei === undefined ? {} : { imei: flags.imei }),
    ...(flags.iccid === undefined ? {} : { iccid: flags.iccid }),
    ...(flags.revision === undefined ? {} : { revision: flags.revision }),
    ...(flags.usbPath === undefined ? {} : { usbPath: flags.usbPath }),
    ...(flags.tcp === undefined ? {} : { tcp: flags.tcp }),
    ...(flags.geometry === undefined ? {} : { geometry: parseGeometry(flags.geometry) }),
    ...(flags.badBlocks === undefined ? {} : { badBlocks: parseBadBlocks(flags.badBlocks) }),
    ...(flags.statusPolarity === undefined ? {} : { statusPolarity: polarityFlag(flags.statusPolarity) }),
  };
  if (!json) io.stderr.write(`starting a simulated module (scenario ${flags.scenario})…\n`);
  const running = await startSimulator(options);
  const signal = waitForSignal();
  if (json) {
    printJson(io, running.info);
  } else {
    const { info } = running;
    io.stderr.write(`ready: mode ${info.mode}, state ${info.stateDir}\n`);
    for (const [role, path] of Object.entries(info.ports)) io.stderr.write(`  ${role.padEnd(6)} ${path}\n`);
    if (info.tcp !== undefined) io.stderr.write(`  tcp    ${info.tcp}  (usb2tcp bridge)\n`);
    io.stderr.write(`  sysfs  ${info.sysfs}\n  control ${info.control}  (medic sim ctl --state ${info.stateDir} state)\n`);
    io.stderr.write('Ctrl-C stops the simulator.\n');
  }
  const received = await signal;
  if (!json) io.stderr.write(`${received}: stopping…\n`);
  await running.stop();
  if (!json) io.stderr.write('stopped; module state saved.\n');
  return ExitCode.Ok;
}

async function runCtl(io: CliIo, verb: string, args: readonly string[], flags: CtlFlags): Promise<number> {
  if (flags.state === undefined) throw new UsageError('medic sim ctl needs --state <dir>', { hint: 'Pass the state directory the simulator was started with (it is in its --json line and on its stderr).' });
  const client = await SimControlClient.fromStateDir(flags.state);
  const json = flags.json === true;
  const [first, second] = args;
  let result: unknown;
  switch (verb) {
    case 'state':
      result = await client.state();
      break;
    case 'info':
      result = await client.info();
      break;
    case 'vbat':
      result = await client.setVbat(numberFlag('vbat', required(first, 'vbat <volts>')), second === undefined ? undefined : numberFlag('source ohms', second));
      break;
    case 'pwrkey':
    case 'reset': {
      const value = required(first, `${verb} <ms|low|high>`);
      if (value === 'low' || value === 'high') result = verb === 'pwrkey' ? await client.setPwrkey(value) : await client.setResetN(value);
      else result = verb === 'pwrkey' ? await client.pressPwrkey(numberFlag(verb, value)) : await client.pulseReset(numberFlag(verb, value));
      break;
    }
    case 'usb-boot': {
      const level = required(first, 'usb-boot <high|low>');
      if (level !== 'high' && level !== 'low') throw new UsageError(`usb-boot takes high or low, not ${level}`);
      result = await client.setUsbBoot(level);
      break;
    }
    case 'fault':
      result = await fault(client, required(first, 'fault add|clear|list [name]'), second);
      break;
    case 'edl-fault':
      result = await edlFault(client, required(first, 'edl-fault cut|drop|nak|noisy|slow|list|clear …'), args.slice(1));
      break;
    case 'wear':
      result = await client.wear();
      break;
    case 'events':
      result = await client.events(second === undefined && first !== undefined ? integerFlag('since', first) : 0);
      break;
    default:
      throw new UsageError(`unknown verb ${verb}`, { hint: 'Verbs: state, info, vbat, pwrkey, reset, usb-boot, fault, edl-fault, wear, events.' });
  }
  if (json) printJson(io, result);
  else io.stdout.write(`${describe(result)}\n`);
  return ExitCode.Ok;
}

async function fault(client: SimControlClient, action: string, name: string | undefined): Promise<unknown> {
  switch (action) {
    case 'add':
      return client.addFault(checkFault(required(name, 'fault add <name>')));
    case 'clear': {
      if (name === undefined) return client.clearFaults();
      const checked = checkFault(name);
      if (FAULTS[checked].kind !== 'condition') throw new UsageError(`${checked} happens once; there is nothing to clear`);
      return client.clearFaults(checked as ConditionFault);
    }
    case 'list':
      return client.faults();
    default:
      throw new UsageError(`fault ${action}?`, { hint: 'Use fault add <name>, fault clear [name] or fault list.' });
  }
}

/** Download-path faults (src/sim/control/README.md, "EDL faults"). */
async function edlFault(client: SimControlClient, action: string, rest: readonly string[]): Promise<unknown> {
  const [a, b] = rest;
  switch (action) {
    case 'cut': {
      const at = required(a, 'edl-fault cut <bytes|random> [maxBytes]');
      if (at === 'random') return client.addEdlFaults({ cutPowerAfterBytes: 'random', ...(b === undefined ? {} : { randomMaxBytes: integerFlag('maxBytes', b) }) });
      return client.addEdlFaults({ cutPowerAfterBytes: integerFlag('bytes', at) });
    }
    case 'drop':
      return client.addEdlFaults({ dropLinkAfterBytes: integerFlag('bytes', required(a, 'edl-fault drop <bytes>')) });
    case 'nak':
      return client.addEdlFaults({ nak: required(a, 'edl-fault nak <command,…>').split(',').filter((name) => name !== '') });
    case 'noisy':
      return client.addEdlFaults({ noisyLogs: integerFlag('lines', required(a, 'edl-fault noisy <lines>')) });
    case 'slow':
      return client.addEdlFaults({ pageProgramUs: integerFlag('pageProgramUs', required(a, 'edl-fault slow <pageProgramUs> [blockEraseUs]')), ...(b === undefined ? {} : { blockEraseUs: integerFlag('blockEraseUs', b) }) });
    case 'list':
      return client.edlFaults();
    case 'clear':
      return client.clearEdlFaults();
    default:
      throw new UsageError(`edl-fault ${action}?`, { hint: 'Use edl-fault cut|drop|nak|noisy|slow|list|clear.' });
  }
}

function describe(result: unknown): string {
  if (isState(result)) {
    const { pins, vbat, firmware } = result;
    return [
      `mode ${result.mode}${result.usb.id === null ? ', no USB device' : `, USB ${result.usb.id}`}`,
      `STATUS ${pins.status.level} (${pins.status.running ? 'running' : 'not running'}), NET_STATUS ${pins.netStatus.pattern} (now ${pins.netStatus.level}), VDD_EXT ${pins.vddExt.volts} V`,
      `PWRKEY ${pins.pwrkey.level}, RESET_N ${pins.resetN.level}, USB_BOOT ${pins.usbBoot.level}`,
      `VBAT ${vbat.volts.toFixed(3)} V at the pins (supply ${vbat.supplyVolts} V, ${vbat.sourceOhms} Ω), ${result.currentMa} mA`,
      `firmware: ${firmware.rdy ? `CFUN ${firmware.cfun ?? '-'}, SIM ${firmware.sim ?? '-'}, registration ${firmware.registration ?? '-'}${firmware.operator === null ? '' : ` (${firmware.operator})`}` : 'not answering AT'}`,
      `health: EFS ${result.health.efs}, boot chain ${result.health.bootChain}${result.faults.length > 0 ? `; faults: ${result.faults.join(', ')}` : ''}`,
    ].join('\n');
  }
  if (Array.isArray(result)) return result.map((event: { t: number; message: string }) => `${String(event.t).padStart(9)} ms  ${event.message}`).join('\n');
  if (typeof result === 'object' && result !== null) return Object.entries(result).map(([key, value]) => `${key}: ${typeof value === 'object' ? JSON.stringify(value) : String(value)}`).join('\n');
  return String(result);
}

function isState(value: unknown): value is SimState {
  return typeof value === 'object' && value !== null && 'pins' in value && 'firmware' in value;
}

function required(value: string | undefined, usage: string): string {
  if (value === undefined) throw new UsageError(`missing argument: ${usage}`);
  return value;
}

function numberFlag(name: string, text: string): number {
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value)) throw new UsageError(`${name} takes a number, not ${text}`);
  return value;
}

function integerFlag(name: string, text: string): number {
  const value = numberFlag(name, text);
  if (!Number.isInteger(value) || value < 0) throw new UsageError(`${name} takes a whole number ≥ 0, not ${text}`);
  return value;
}

function polarityFlag(text: string): 'low-when-running' | 'high-when-running' {
  if (text === 'low-when-running' || text === 'high-when-running') return text;
  throw new UsageError(`--status-polarity takes low-when-running or high-when-running, not ${text}`);
}

