// The guard's GPIO on a simulated module: each line maps onto the simulator's control interface
// (src/sim/control/README.md). It lives in cli/ because guard/ may not import sim/ (DESIGN.md).
//
// Time: the simulator counts module ms, the guard real ms. The guard runs with the simulator's
// time scale (config time_scale), so a datasheet 500 ms press is 500 × scale real ms; pulses are
// handed to the simulator as real ms ÷ its scale, i.e. the datasheet length again, so the module
// sees exactly the configured pulse (a level set, a sleep and a release over HTTP would stretch
// it by the request latency, which at scale 0.001 is seconds of module time).
import { UsageError } from '../core/errors.js';
import { sleep } from '../core/time.js';
import type { Level, Signal, SimGpioConfig } from '../guard/config/config.js';
import { otherLevel, pollForLevel, type GpioLine, type GpioLines } from '../guard/gpio/lines.js';
import { GpioError, gpioErrorCodes } from '../guard/gpio/errors.js';
import { SimControlClient } from '../sim/control/client.js';

export interface SimGpioOptions {
  /** STATUS polling period, real ms. Default 2. */
  readonly pollMs?: number;
}

function refuse(signal: Signal): never {
  throw new GpioError(gpioErrorCodes.notOutput, `${signal} is an input line; it cannot be driven`);
}

export class SimGpioLines implements GpioLines {
  readonly description: string;
  readonly client: SimControlClient;
  /** The simulator's time scale (module ms × scale = real ms). */
  readonly simScale: number;
  readonly #lines = new Map<Signal, GpioLine>();

  private constructor(client: SimControlClient, config: SimGpioConfig, simScale: number, options: SimGpioOptions) {
    this.client = client;
    this.simScale = simScale;
    this.description = `sim (${client.url}, time scale ${simScale})`;
    const pollMs = options.pollMs ?? 2;
    const toModuleMs = (realMs: number): number => Math.round(realMs / simScale);
    const output = (signal: Signal, drive: (level: Level) => Promise<unknown>, read: () => Promise<Level>, pulse?: (moduleMs: number) => Promise<unknown>): GpioLine => {
      const line: GpioLine = {
        signal,
        direction: 'output',
        set: async (level) => { await drive(level); },
        get: read,
        pulse: async (level, ms) => {
          // The simulator's pulses pull the pin low; a high pulse is a level, a wait and a release.
          if (pulse !== undefined && level === 'low') {
            await pulse(toModuleMs(ms));
            return;
          }
          await drive(level);
          await sleep(ms);
          await drive(otherLevel(level));
        },
        waitFor: (level, timeoutMs, abort) => pollForLevel(line, { level, timeoutMs, pollMs }, abort),
      };
      return line;
    };
    const vbatOn = config.levels.vbat_enable;
    this.#lines.set('vbat_enable', output('vbat_enable', (level) => client.setVbat(level === vbatOn ? config.supplyVolts : 0), async () => ((await client.state()).vbat.supplyVolts >= 2.5 ? vbatOn : otherLevel(vbatOn))));
    this.#lines.set('pwrkey', output('pwrkey', (level) => client.setPwrkey(level), async () => (await client.state()).pins.pwrkey.level, (ms) => client.pressPwrkey(ms)));
    this.#lines.set('reset_n', output('reset_n', (level) => client.setResetN(level), async () => (await client.state()).pins.resetN.level, (ms) => client.pulseReset(ms)));
    this.#lines.set('usb_boot', output('usb_boot', (level) => client.setUsbBoot(level), async () => (await client.state()).pins.usbBoot.level));
    const status: GpioLine = {
      signal: 'status',
      direction: 'input',
      set: () => refuse('status'),
      pulse: () => refuse('status'),
      get: async () => (await client.state()).pins.status.level,
      waitFor: (level, timeoutMs, abort) => pollForLevel(status, { level, timeoutMs, pollMs }, abort),
    };
    this.#lines.set('status', status);
  }

  /** Connects to the simulator of `config.stateDir`; its time scale must equal the guard's. */
  static async open(config: SimGpioConfig, guardScale: number, options: SimGpioOptions = {}): Promise<SimGpioLines> {
    const client = await SimControlClient.fromStateDir(config.stateDir);
    const info = await client.info();
    if (Math.abs(info.timeScale - guardScale) > 1e-12) {
      throw new UsageError(`the simulator runs at time scale ${info.timeScale} but the guard configuration says time_scale = ${guardScale}`, { hint: `Set time_scale = ${info.timeScale} in the guard configuration: every timing is datasheet time × time_scale.` });
    }
    return new SimGpioLines(client, config, info.timeScale, options);
  }

  line(signal: Signal): GpioLine | undefined {
    return this.#lines.get(signal);
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}

/**
 * Real ms between looks for the simulated module's AT port: the real backends' 50 ms in module
 * time, at least 5. A fast simulator is looked at more often; at time scale 1 a boot does not cost
 * 200 control requests a second (bench/guard's memory).
 */
export function simPortPollMs(timeScale: number): number {
  return Math.min(50, Math.max(5, 50 * timeScale));
}

/** The AT port of the simulated module now, from sim.json (none while it is off or booting). */
export function simAtPort(client: SimControlClient): () => Promise<string | undefined> {
  return async () => (await client.info().catch(() => undefined))?.ports.at;
}
