// The built-in engines of the module's hooked ports: the EDL port of 05c6:9008 runs a Sahara /
// Firehose session on the module's NAND (edl/edl-session.ts), the DM port of normal mode answers
// the DIAG EDL switch (edl/diag-target.ts). Tests may replace either (RunningSimulator.attachPort).
import { attachEdlSession, type EdlSession } from './edl/edl-session.js';
import { DiagTarget } from './edl/diag-target.js';
import type { FirehoseStopReport } from './edl/firehose-faults.js';
import { firehoseFaultsOf, type EdlFaultSettings } from './edl-faults.js';
import type { SimModule } from './module.js';
import { modelSpec } from './models.js';
import type { PortHandler } from './port-hooks.js';

/** After a link drop the device comes back this long after (module ms); the programmer still runs. UNVERIFIED. */
export const LINK_DROP_REENUMERATE_MS = 1000;
/** Default Firehose NAND timing, restored when the slow-NAND fault is cleared. */
const NORMAL_NAND = { pageProgramUs: 200, blockEraseUs: 2000 } as const;

export interface EdlPortsDeps {
  readonly module: SimModule;
  /** Brings the 9008 device back (a new enumeration) after a link drop. */
  reenumerate(afterMs: number): void;
}

/** The download-path state of one simulated module: its session, its faults. */
export class EdlPorts {
  readonly #deps: EdlPortsDeps;
  #settings: EdlFaultSettings = {};
  #session: EdlSession | undefined;
  /** The programmer survived a link drop: the next enumeration speaks Firehose at once. */
  #programmerRunning = false;

  constructor(deps: EdlPortsDeps) {
    this.#deps = deps;
    deps.module.onPowerLoss(() => {
      // Whatever the programmer was writing is left as the cut leaves it (a torn page), then saved.
      this.#session?.powerCut();
      this.#programmerRunning = false;
      void this.#deps.module.flash.save().catch(() => undefined);
    });
  }

  get faults(): EdlFaultSettings {
    return this.#settings;
  }

  get session(): EdlSession | undefined {
    return this.#session;
  }

  setFaults(settings: EdlFaultSettings): void {
    this.#settings = settings;
    const nand = this.#deps.module.flash.nand;
    nand.busy.setTiming({ ...NORMAL_NAND, ...settings.nand });
    this.#session?.setFaults(firehoseFaultsOf(settings));
    this.#deps.module.events.add('edl-faults', `EDL faults: ${JSON.stringify(settings)}`, { ...settings }, 'warn');
  }

  readonly edlHandler: PortHandler = ({ port, signal, module: access }) => {
    const module = this.#deps.module;
    const startIn = this.#programmerRunning ? 'firehose' : 'sahara';
    this.#programmerRunning = false;
    const session = attachEdlSession(port, {
      nand: module.flash.nand,
      sleep: (ms) => access.clock.sleep(ms, signal),
      startIn,
      sahara: { identity: { serialNumber: chipSerialOf(module.identity.imei) } },
      faults: firehoseFaultsOf(this.#settings),
      onReset: (event) => {
        void module.flash.save().catch(() => undefined);
        if (event.source === 'firehose-power' && event.action === 'off') {
          access.event('edl-power', 'the programmer switched the module off');
          module.powerOffFromEdl();
          return;
        }
        access.restart(`EDL ${event.source}`);
      },
      onStop: (report) => {
        this.#stopped(report);
      },
    });
    this.#session = session;
    signal.addEventListener('abort', () => {
      if (this.#session === session) this.#session = undefined;
      session.stop();
      void module.flash.save().catch(() => undefined);
    });
  };

  readonly dmHandler: PortHandler = ({ port, signal, module: access }) => {
    const identity = access.identity;
    const diag = new DiagTarget({
      send: (bytes) => {
        port.write(bytes);
      },
      build: { buildId: identity.revision, modelString: modelSpec(identity.model).atiName },
      onEnterEdl: ({ reenumerateAfterMs }) => {
        access.event('diag-edl', 'DIAG download command: switching to emergency download');
        access.enterEdl(reenumerateAfterMs);
      },
    });
    port.on({
      data: (bytes) => {
        if (!signal.aborted) diag.receive(bytes);
      },
    });
  };

  #stopped(report: FirehoseStopReport): void {
    const module = this.#deps.module;
    module.events.add('edl-stop', `programmer stopped: ${report.reason} after ${report.receivedBytes} bytes received`, { ...report }, 'warn');
    if (report.reason === 'power-cut') {
      this.#settings = without(this.#settings, 'cutPowerAfterBytes');
      // The bench supply goes away: the module is off until VBAT comes back.
      queueMicrotask(() => {
        module.setSupply(0);
      });
      return;
    }
    this.#settings = without(this.#settings, 'dropLinkAfterBytes');
    this.#programmerRunning = true;
    this.#deps.reenumerate(LINK_DROP_REENUMERATE_MS);
  }
}

function without(settings: EdlFaultSettings, key: 'cutPowerAfterBytes' | 'dropLinkAfterBytes'): EdlFaultSettings {
  const { cutPowerAfterBytes, dropLinkAfterBytes, ...rest } = settings;
  const kept = key === 'cutPowerAfterBytes' ? dropLinkAfterBytes : cutPowerAfterBytes;
  const other = key === 'cutPowerAfterBytes' ? 'dropLinkAfterBytes' : 'cutPowerAfterBytes';
  return kept === undefined ? rest : { ...rest, [other]: kept };
}

/**
 * The die's serial number the boot ROM reports in command mode (edl sheet §1.4): fused per chip,
 * so every simulated module needs its own. A real one has no relation to the IMEI; deriving it
 * from the IMEI (FNV-1a) only makes it stable across restarts of the same module.
 */
export function chipSerialOf(imei: string): number {
  let hash = 0x811c9dc5;
  for (const char of imei) hash = Math.imul(hash ^ char.charCodeAt(0), 0x01000193) >>> 0;
  return hash;
}
