// One emergency-download session of the simulated module on its single 05c6:9008 port: the PBL's
// Sahara target first, then — once it has received a valid programmer — the Firehose programmer
// on the same byte pipe (edl sheet §1.7 step 5). The simulator attaches one to each enumeration
// of the EDL port, e.g. from its port hook:
//
//   ({ port, signal, module }) => {
//     const session = attachEdlSession(port, {
//       nand,                                               // loaded from / saved to the state dir
//       sleep: (ms) => module.clock.sleep(ms, signal),      // module time; dies with the port
//       onReset: (event) => module.restart(`edl ${event.source}`),
//       onStop: (report) => module.event('edl-stop', report.reason, { ...report }),
//     });
//     // VBAT removed while flashing: call session.powerCut() before tearing the port down, so
//     // the page being written is left torn; a plain abort of `signal` just stops the session.
//   }
import { silentLogger, type Logger } from '../../core/logger.js';
import type { ModuleTimeOptions } from '../nand/module-time.js';
import type { NandFlash } from '../nand/nand-flash.js';
import type { FirehoseFaults, FirehoseStopReport } from './firehose-faults.js';
import type { FirehosePersonality } from './firehose-personality.js';
import { FirehoseTarget } from './firehose-target.js';
import { SaharaTarget, type ReceivedImage, type SaharaTargetOptions } from './sahara-target.js';

export type EdlPhase = 'sahara' | 'firehose' | 'hung' | 'reset' | 'powered-off' | 'power-cut' | 'link-down' | 'stopped';

export type EdlResetEvent =
  /** The host sent Sahara RESET: the chip resets (and boots from flash, or falls back to EDL). */
  | { readonly source: 'sahara-reset' }
  /** <power value="reset|off"/> finished its delay. */
  | { readonly source: 'firehose-power'; readonly action: 'reset' | 'off' };

export type SaharaSessionOptions = Pick<SaharaTargetOptions, 'identity' | 'mode' | 'imageId' | 'doneRespStatus' | 'validateImage'>;

export interface EdlSessionOptions extends ModuleTimeOptions {
  readonly nand: NandFlash;
  send(bytes: Uint8Array): void;
  onReset(event: EdlResetEvent): void;
  /** A fault (or powerCut()) stopped the programmer; see the report for what was being written. */
  onStop?(report: FirehoseStopReport): void;
  /** 'firehose' = the programmer is already running (the state edl's Firehose phase expects, §3). */
  readonly startIn?: 'sahara' | 'firehose';
  readonly sahara?: SaharaSessionOptions;
  /**
   * Whether the received programmer actually runs. A wrong programmer for this chip passes
   * Sahara but never talks Firehose: return false and the port goes silent.
   */
  readonly acceptProgrammer?: (image: ReceivedImage) => boolean;
  readonly firehose?: Partial<FirehosePersonality>;
  readonly faults?: FirehoseFaults;
  /** See FirehoseTargetOptions.tearPageOnPowerCut (default true). */
  readonly tearPageOnPowerCut?: boolean;
  readonly logger?: Logger;
}

export interface EdlSession {
  readonly phase: EdlPhase;
  /** The programmer the PBL received, once it has. */
  readonly programmer: ReceivedImage | undefined;
  /** The device side starts talking (HELLO, or the programmer's first logs). Call when a host opens the port. */
  start(): void;
  receive(bytes: Uint8Array): void;
  setFaults(faults: FirehoseFaults): void;
  /** VBAT gone: everything stops where it is. Returns the programmer's report if it was running. */
  powerCut(): FirehoseStopReport | undefined;
  /** Ends the session without a report (the simulator resets the module itself). */
  stop(): void;
  /** Resolves when the device side waits for the host (or has stopped). */
  whenIdle(): Promise<void>;
}

export function createEdlSession(options: EdlSessionOptions): EdlSession {
  return new Session(options);
}

/** The part of a simulated serial port a session needs; the simulator's DevicePty fits. */
export interface EdlPort {
  write(bytes: Uint8Array): void;
  on(events: { data?: (bytes: Uint8Array) => void; hostOpen?: () => void }): void;
}

/** A session wired to a port: host bytes in, device bytes out, started when a host opens it. */
export function attachEdlSession(port: EdlPort, options: Omit<EdlSessionOptions, 'send'>): EdlSession {
  const session = createEdlSession({
    ...options,
    send: (bytes) => {
      port.write(bytes);
    },
  });
  port.on({
    data: (bytes) => {
      session.receive(bytes);
    },
    hostOpen: () => {
      session.start();
    },
  });
  return session;
}

class Session implements EdlSession {
  readonly #options: EdlSessionOptions;
  readonly #logger: Logger;
  readonly #sahara: SaharaTarget;
  #firehose: FirehoseTarget | undefined;
  #phase: EdlPhase;
  #programmer: ReceivedImage | undefined;
  /** Faults set while Sahara still runs apply to the programmer once it starts. */
  #faults: FirehoseFaults | undefined;

  constructor(options: EdlSessionOptions) {
    this.#options = options;
    this.#faults = options.faults;
    this.#logger = options.logger ?? silentLogger;
    this.#sahara = new SaharaTarget({
      ...options.sahara,
      send: (bytes) => {
        options.send(bytes);
      },
      onProgrammer: (image) => {
        this.#onProgrammer(image);
      },
      onReset: () => {
        this.#phase = 'reset';
        options.onReset({ source: 'sahara-reset' });
      },
      logger: this.#logger,
    });
    this.#phase = options.startIn === 'firehose' ? 'firehose' : 'sahara';
    if (this.#phase === 'firehose') this.#firehose = this.#createFirehose();
  }

  get phase(): EdlPhase {
    return this.#phase;
  }

  get programmer(): ReceivedImage | undefined {
    return this.#programmer;
  }

  start(): void {
    if (this.#phase === 'sahara') this.#sahara.start();
    else if (this.#phase === 'firehose') this.#firehose?.start();
  }

  receive(bytes: Uint8Array): void {
    if (this.#phase === 'sahara') this.#sahara.receive(bytes);
    else if (this.#phase === 'firehose') this.#firehose?.receive(bytes);
  }

  setFaults(faults: FirehoseFaults): void {
    this.#faults = faults;
    this.#firehose?.setFaults(faults);
  }

  powerCut(): FirehoseStopReport | undefined {
    if (this.#phase === 'firehose' && this.#firehose !== undefined) return this.#firehose.powerCut();
    this.#sahara.stop();
    if (this.#phase === 'sahara' || this.#phase === 'hung') this.#phase = 'power-cut';
    return undefined;
  }

  stop(): void {
    this.#sahara.stop();
    this.#firehose?.stop();
    this.#phase = 'stopped';
  }

  async whenIdle(): Promise<void> {
    await this.#firehose?.whenIdle();
  }

  #onProgrammer(image: ReceivedImage): void {
    this.#programmer = image;
    if (this.#options.acceptProgrammer?.(image) === false) {
      this.#phase = 'hung';
      return;
    }
    this.#phase = 'firehose';
    this.#firehose = this.#createFirehose();
    this.#firehose.start();
  }

  #createFirehose(): FirehoseTarget {
    const options = this.#options;
    const { sleep, timeScale } = options;
    return new FirehoseTarget({
      nand: options.nand,
      ...(sleep === undefined ? {} : { sleep }),
      ...(timeScale === undefined ? {} : { timeScale }),
      ...(options.firehose === undefined ? {} : { personality: options.firehose }),
      ...(this.#faults === undefined ? {} : { faults: this.#faults }),
      ...(options.tearPageOnPowerCut === undefined ? {} : { tearPageOnPowerCut: options.tearPageOnPowerCut }),
      logger: this.#logger,
      send: (bytes) => {
        options.send(bytes);
      },
      onPower: (action) => {
        this.#phase = action === 'reset' ? 'reset' : 'powered-off';
        options.onReset({ source: 'firehose-power', action });
      },
      onStop: (report) => {
        this.#phase = report.reason === 'power-cut' ? 'power-cut' : 'link-down';
        options.onStop?.(report);
      },
    });
  }
}
