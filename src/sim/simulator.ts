// startSimulator(): a simulated EC25 in normal mode on real ptys, with its sysfs view, its
// control interface and its persistent state — the in-process API behind `medic sim`, used by
// tests and by `medic demo`.
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { MedicError } from '../core/errors.js';
import { silentLogger, type Logger } from '../core/logger.js';
import { AtEngine } from './at/engine.js';
import { AT_COMMANDS } from './at/registry.js';
import { JsonFileKeeper } from './atomic-file.js';
import { SimClock } from './clock.js';
import { SimControlClient } from './control/client.js';
import type { SimInfo, SimState, StatusPolarity } from './control/api.js';
import { startControlServer } from './control/server.js';
import { DevLinks } from './dev-links.js';
import { EventLog } from './events.js';
import { checkIccid } from './identity.js';
import { SimModule } from './module.js';
import { ModuleFlash } from './module-flash.js';
import { bridgedPort } from './bridged-port.js';
import { EdlPorts } from './edl-ports.js';
import { TcpBridge } from './tcp-bridge.js';
import type { ModuleIdentity } from './identity.js';
import type { BadBlockSpec } from './nand/bad-blocks.js';
import type { NandPresetName } from './nand/nand-geometry.js';
import type { Scenario } from './scenarios.js';
import { NoiseSource } from './noise.js';
import type { HookedRole, ModuleAccess, PortHandler } from './port-hooks.js';
import { PtyHost, type DevicePty } from '../core/pty/pty-host.js';
import { createRng, randomSeed } from '../core/rng.js';
import { scenario as findScenario } from './scenarios.js';
import { ModuleStore } from './state-store.js';
import { SysfsTree } from './sysfs-tree.js';
import { UsbPorts } from './usb-ports.js';
import { USB_VIEWS, type PortRole } from './usb-view.js';

export interface SimulatorOptions {
  /** Where module.json, sim.json, dev/ and sys/ live; a new temporary directory if not given. */
  readonly stateDir?: string;
  /** scenarios.ts; default healthy. */
  readonly scenario?: string;
  /** Every module duration takes timeScale × its real length; default 1. */
  readonly timeScale?: number;
  /** Seeds the damage draws and the other random choices; random (and reported) if not given. */
  readonly seed?: number;
  /** Identity of a new module, or overrides for a stored one. */
  readonly model?: string;
  readonly imei?: string;
  readonly revision?: string;
  /** The SIM card's ICCID (environment, this run only). */
  readonly iccid?: string;
  /** VBAT applied but no auto power-on: the module waits for PWRKEY. */
  readonly off?: boolean;
  /** Kernel USB port path of the device, default 1-1. */
  readonly usbPath?: string;
  readonly statusPolarity?: StatusPolarity;
  readonly logger?: Logger;
  /** Engines for the ports the AT engine does not serve (dm, nmea, edl). */
  readonly portHandlers?: Partial<Record<HookedRole, PortHandler>>;
  /**
   * HOST:PORT for QFirehose's usb2tcp bridge (tcp-bridge.ts), e.g. 127.0.0.1:9008 (port 0: any
   * free port; the one taken is in sim.json `tcp`). It carries the EDL port in EDL, the DM port in
   * normal mode (QFirehose sends the DIAG switch there).
   */
  readonly tcp?: string;
  /** NAND geometry of a new module (default p4K_b256K); a stored module keeps its own (another one is refused). */
  readonly geometry?: NandPresetName;
  /**
   * Factory bad blocks of a new module: block numbers, or `{ count }` at positions drawn from the
   * seed (never block 0). Saved with the NAND; a stored module with other ones is refused.
   */
  readonly badBlocks?: BadBlockSpec;
}

export interface RunningSimulator {
  /** The sim.json object, current. */
  readonly info: SimInfo;
  readonly control: SimControlClient;
  /** In-process access to the module (tests); other processes use `control`. */
  readonly module: SimModule;
  state(): SimState;
  /** Installs (or replaces) the engine for `role`; it gets the next enumeration of that port. */
  attachPort(role: HookedRole, handler: PortHandler): void;
  /** Called after every change of the module or of sim.json. */
  onChange(listener: () => void): () => void;
  /** Resolves with the state once `predicate` holds; rejects after `timeoutMs` real ms. */
  waitFor(predicate: (state: SimState) => boolean, timeoutMs?: number, what?: string): Promise<SimState>;
  /** Stops cleanly: ports closed (hang-up), links and sysfs removed, module state saved. Not a power event. */
  stop(): Promise<void>;
}

const HOOKED_ROLES: readonly PortRole[] = ['dm', 'nmea', 'edl'];

export async function startSimulator(options: SimulatorOptions = {}): Promise<RunningSimulator> {
  const scenarioName = options.scenario ?? 'healthy';
  const scenario = findScenario(scenarioName);
  const iccid = options.iccid === undefined ? undefined : checkIccid(options.iccid);
  const clock = new SimClock(options.timeScale ?? 1);
  const usbPath = options.usbPath ?? '1-1';
  const stateDir = resolve(options.stateDir ?? (await mkdtemp(join(tmpdir(), 'medic-sim-'))));
  await mkdir(stateDir, { recursive: true });
  const logger = options.logger ?? silentLogger;
  const onError = (error: unknown): void => {
    logger.log({ level: 'error', message: `sim: ${error instanceof Error ? error.message : String(error)}` });
  };
  const seed = options.seed ?? randomSeed();
  const rng = createRng(seed);
  const events = new EventLog(clock, logger);
  const sysfs = new SysfsTree(join(stateDir, 'sys'), usbPath);
  const store = await ModuleStore.open(stateDir, { ...(options.model === undefined ? {} : { model: options.model }), ...(options.imei === undefined ? {} : { imei: options.imei }), ...(options.revision === undefined ? {} : { revision: options.revision }) }, onError);
  const flash = await ModuleFlash.open({
    stateDir,
    identity: store.record.identity,
    timeScale: clock.scale,
    logger,
    seed,
    ...(options.geometry === undefined ? {} : { geometry: options.geometry }),
    ...(options.badBlocks === undefined ? {} : { badBlocks: options.badBlocks }),
  });
  prepareFlash(flash, store, scenario, options);
  const sim = scenario.sim === null ? null : { ...scenario.sim, ...(iccid === undefined ? {} : { iccid }) };
  const module = new SimModule({ clock, rng, store, events, scenarioName, scenario, sim, flash, statusPolarity: options.statusPolarity ?? 'low-when-running', autoPowerOn: options.off !== true });
  module.syncFlash();
  await flash.save();
  if (scenario.usbBootStrapped === true) module.pins.setUsbBoot('high');

  const ptys = await PtyHost.start();
  const cleanups: (() => Promise<void>)[] = [() => ptys.stop()];
  try {
    const bridge = options.tcp === undefined ? undefined : await TcpBridge.listen(options.tcp);
    if (bridge !== undefined) cleanups.unshift(() => bridge.close());
    await sysfs.init();
    const dev = new DevLinks(join(stateDir, 'dev'));
    await dev.init();
    // Set once UsbPorts exists; the EDL engines need it to re-enumerate after a link drop.
    const usbRef: { current?: UsbPorts } = {};
    const edl = new EdlPorts({
      module,
      reenumerate: (afterMs) => {
        usbRef.current?.show(null, 0);
        clock.after(afterMs, () => {
          if (module.power.mode === 'edl') usbRef.current?.show('edl', 0);
        });
      },
    });
    const handlers = new Map<PortRole, PortHandler>([['dm', edl.dmHandler], ['edl', edl.edlHandler], ...(Object.entries(options.portHandlers ?? {}) as [PortRole, PortHandler][])]);
    const noise = new NoiseSource(clock, rng, () => module.faults.has('garbage'));
    module.onChange(() => {
      noise.refresh();
    });
    const access = moduleAccess(module, stateDir);
    const attach = (role: PortRole, rawPty: DevicePty): (() => void) | undefined => {
      if (role === 'at' || role === 'modem') return attachAtEngine(module, role, rawPty, { noise, onError });
      const handler = handlers.get(role);
      if (handler === undefined) return undefined;
      // The bridge carries the EDL port in EDL and the DM port in normal mode (tcp-bridge.ts).
      let pty = rawPty;
      let unbridge: (() => void) | undefined;
      if (bridge !== undefined && (role === 'edl' || role === 'dm')) {
        const normal = role === 'dm' ? USB_VIEWS.normal({ identity: store.record.identity, qcfg: store.record.qcfg }) : undefined;
        const bridged = bridgedPort(rawPty, role === 'edl' ? { vendorId: 0x05c6, productId: 0x9008, interfaceNumber: 1 } : { vendorId: normal?.vendorId ?? 0x2c7c, productId: normal?.productId ?? 0x0125, interfaceNumber: 0 });
        pty = bridged.port;
        bridge.setDevice(bridged.device);
        unbridge = () => {
          bridge.setDevice(undefined);
        };
      }
      const controller = new AbortController();
      const unsubscribers: (() => void)[] = [];
      const scoped: ModuleAccess = {
        ...access,
        onPowerLoss: (listener) => {
          const unsubscribe = module.onPowerLoss(listener);
          unsubscribers.push(unsubscribe);
          return unsubscribe;
        },
      };
      try {
        handler({ role, port: pty, signal: controller.signal, module: scoped });
      } catch (error) {
        onError(error);
      }
      return () => {
        for (const unsubscribe of unsubscribers) unsubscribe();
        controller.abort();
        unbridge?.();
      };
    };
    const usb = new UsbPorts({
      ptys,
      sysfs,
      dev,
      clock,
      describe: (mode) => USB_VIEWS[mode]({ identity: store.record.identity, qcfg: store.record.qcfg }),
      attach,
      changed: () => {
        publish();
      },
      onError,
    });
    usbRef.current = usb;
    module.connectUsb({
      show: (mode, lingerMs) => {
        usb.show(mode, lingerMs);
      },
      settled: () => usb.settled(),
      get id() {
        return usb.id;
      },
      get ports() {
        return usb.ports;
      },
    });
    cleanups.unshift(async () => {
      await usb.close();
      await dev.removeAll();
      await rm(dev.dir, { recursive: true, force: true });
      await sysfs.destroy();
    });

    let stopped = false;
    const listeners = new Set<() => void>();
    const keeper = new JsonFileKeeper(join(stateDir, 'sim.json'), onError);
    const server = await startControlServer({ module, edl, info: () => info(), state: () => module.state() });
    cleanups.unshift(() => server.close());
    const info = (): SimInfo => ({
      stateDir,
      mode: module.power.mode,
      ports: { ...usb.ports },
      sysfs: sysfs.root,
      control: server.url,
      usbPath,
      scenario: scenarioName,
      seed,
      timeScale: clock.scale,
      pid: process.pid,
      ...(bridge === undefined ? {} : { tcp: bridge.address }),
      nand: flash.describe(),
    });
    function publish(): void {
      if (stopped) return;
      keeper.update(info());
      for (const listener of listeners) listener();
    }
    module.onChange(publish);

    const ready = new Promise<void>((resolveReady) => {
      const check = (): void => {
        if (!isReady(module, usb.mode, scenario.usbConnected)) return;
        listeners.delete(check);
        resolveReady();
      };
      listeners.add(check);
      queueMicrotask(check);
    });
    events.add('start', `simulated ${store.record.identity.model} (${store.record.identity.revision}, IMEI ${store.record.identity.imei}), scenario ${scenarioName}, time scale ${clock.scale}, seed ${seed}`);
    module.start();
    publish();
    await ready;
    await keeper.flush();

    let stopping: Promise<void> | undefined;
    const running: RunningSimulator = {
      get info() {
        return info();
      },
      control: new SimControlClient(server.url),
      module,
      state: () => module.state(),
      attachPort: (role, handler) => {
        if (!HOOKED_ROLES.includes(role)) throw new MedicError('SIM_PORT_ROLE', `${role} is not a port for an external engine`);
        handlers.set(role, handler);
      },
      onChange: (listener) => {
        listeners.add(listener);
        return () => listeners.delete(listener);
      },
      waitFor: (predicate, timeoutMs = 30_000, what = 'the simulator state') => waitForState(running, predicate, timeoutMs, what),
      stop: () => {
        stopping ??= (async () => {
          stopped = true;
          listeners.clear();
          module.stop();
          clock.stop();
          // module.json's health must say what the NAND now holds (a flash may have changed it).
          module.syncFlash();
          await flash.save().catch(onError);
          await keeper.flush();
          for (const cleanup of cleanups) await cleanup().catch(onError);
          await store.flush();
          await rm(keeper.path, { force: true });
          events.add('stop', 'simulator stopped; module state saved');
        })();
        return stopping;
      },
    };
    return running;
  } catch (error) {
    module.stop();
    clock.stop();
    for (const cleanup of cleanups) await cleanup().catch(() => undefined);
    throw error;
  }
}

/** The scenario's start state: RDY out (normal), the EDL port up, or off with nothing pending. */
function isReady(module: SimModule, usbMode: string | null, usbConnected: boolean): boolean {
  switch (module.power.mode) {
    case 'normal':
      return module.power.rdy;
    case 'edl':
      return usbMode === 'edl' || !usbConnected;
    case 'off':
      return !module.settling;
    case 'booting':
      // A stage that hangs (boot-chain.ts) is as far as this start goes.
      return module.power.hung;
    default:
      return false;
  }
}

function attachAtEngine(module: SimModule, role: 'at' | 'modem', pty: DevicePty, { noise, onError }: { noise: NoiseSource; onError: (error: unknown) => void }): () => void {
  const engine = new AtEngine(pty, {
    role,
    commands: AT_COMMANDS,
    module,
    life: () => (module.power.rdy ? module.power.life : undefined),
    silent: () => module.faults.has('at-silent'),
    onError,
  });
  pty.on({
    data: (bytes) => {
      engine.receive(bytes);
    },
  });
  module.urc.attach(role, (text) => {
    engine.urc(text);
  });
  if (role === 'at') noise.attach(pty);
  return () => {
    engine.close();
    module.urc.detach(role);
    if (role === 'at') noise.detach();
  };
}

function moduleAccess(module: SimModule, stateDir: string): ModuleAccess {
  return {
    stateDir,
    onPowerLoss: (listener) => module.onPowerLoss(listener),
    get identity() {
      return module.identity;
    },
    rng: module.rng,
    clock: { now: () => module.clock.now(), sleep: (ms, signal) => module.clock.sleep(ms, signal) },
    event: (kind, message, data) => {
      module.events.add(kind, message, data);
    },
    health: () => ({ ...module.store.record.health }),
    setHealth: (patch) => {
      // Health is what the NAND holds: a patch is done to the NAND (module-flash.ts).
      const { flash } = module;
      const identity = module.identity;
      if (patch.bootChain === 'ok') flash.writeFirmware(identity);
      if (patch.bootChain === 'corrupt') flash.tear('sbl');
      if (patch.bootChain === 'hangs') flash.tear('boot');
      if (patch.efs === 'ok') flash.writeCalibration(identity);
      if (patch.efs === 'calibration-lost') flash.erase('efs2');
      if (patch.efs === 'wrong-baseline') flash.writeCalibration(identity, { ...identity, revision: otherBaseline(identity.revision) });
      module.syncFlash();
      module.events.add('health', `module health set: ${JSON.stringify(patch)}`, { ...patch });
    },
    restart: (cause) => {
      module.restart(cause);
    },
    enterEdl: (usbAfterMs) => {
      module.power.requestEdl(usbAfterMs);
    },
  };
}

/**
 * A new module's NAND in its scenario's condition; a stored one reflashed when --model/--revision
 * ask for other firmware; and a module.json whose health was marked damaged by hand (or by a
 * simulator from before the NAND) made true on the NAND — health is a view of the NAND.
 */
function prepareFlash(flash: ModuleFlash, store: ModuleStore, scenario: Scenario, options: SimulatorOptions): void {
  const identity = store.record.identity;
  if (flash.fresh) {
    const condition = scenario.module;
    if (condition?.crossBaseline === true) flash.writeFirmware({ ...identity, revision: otherBaseline(identity.revision) });
    for (const partition of condition?.erase ?? []) flash.erase(partition);
    for (const partition of condition?.tear ?? []) flash.tear(partition);
  } else if ((options.revision !== undefined || options.model !== undefined) && flash.verdict().revision !== identity.revision) {
    flash.writeFirmware(identity);
  }
  const marked = store.record.health;
  const actual = flash.health();
  if (marked.bootChain === 'corrupt' && actual.bootChain !== 'corrupt') flash.tear('sbl');
  if (marked.bootChain === 'hangs' && actual.bootChain === 'ok') flash.tear('boot');
  if (marked.efs === 'calibration-lost' && actual.efs !== 'calibration-lost') flash.erase('efs2');
}

/** The same revision on another baseline: R06 (R08 if it already is R06) — the forum's cross-baseline flash. */
export function otherBaseline(revision: ModuleIdentity['revision']): string {
  return revision.replace(/R(\d{2})(?=A\d{2})/, (_match, baseline: string) => (baseline === '06' ? 'R08' : 'R06'));
}

function waitForState(running: RunningSimulator, predicate: (state: SimState) => boolean, timeoutMs: number, what: string): Promise<SimState> {
  return new Promise<SimState>((resolveWait, reject) => {
    const check = (): void => {
      const state = running.state();
      if (!predicate(state)) return;
      cleanup();
      resolveWait(state);
    };
    const timer = setTimeout(() => {
      cleanup();
      reject(new MedicError('TIMEOUT', `timed out after ${timeoutMs} ms waiting for ${what}`));
    }, timeoutMs);
    const poll = setInterval(check, 20);
    const unsubscribe = running.onChange(check);
    const cleanup = (): void => {
      clearTimeout(timer);
      clearInterval(poll);
      unsubscribe();
    };
    check();
  });
}
