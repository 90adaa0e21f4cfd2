// The Firehose programmer the simulated PBL jumps to: the boot.bf 3.1.2 NAND personality of edl
// sheet §2 (prog_nand_firehose_9x07.mbn). Transport-free: bytes in through receive(), one
// message per send() call (§2.1: each message is its own USB transfer). Internally it runs like
// the C programmer — a loop reading one XML packet after another and calling the tag's handler —
// so raw data phases, logs and responses come out in the programmer's order.
import { logDebug, logWarn, silentLogger, type Logger } from '../../core/logger.js';
import { moduleSleep, type ModuleSleep, type ModuleTimeOptions } from '../nand/module-time.js';
import type { NandFlash } from '../nand/nand-flash.js';
import { FirehoseAttributes } from './firehose-attributes.js';
import { handleBenchmark } from './firehose-benchmark.js';
import { handleConfigure } from './firehose-configure.js';
import type { FirehoseContext, ProgramProgress } from './firehose-context.js';
import { handleErase } from './firehose-erase.js';
import { errorLogText, type FirehoseErrorSite } from './firehose-errors.js';
import type { FirehoseFaults, FirehoseStopReport } from './firehose-faults.js';
import { FirehoseInput, MAX_XML_BYTES, TargetHalted } from './firehose-input.js';
import { logMessage, responseMessage, type ResponseField } from './firehose-message.js';
import { handleNop } from './firehose-nop.js';
import { BOOT_BF_NAND_PERSONALITY, type FirehosePersonality } from './firehose-personality.js';
import { handlePower } from './firehose-power.js';
import { handleProgram } from './firehose-program.js';
import { handleRead } from './firehose-read.js';
import { handleGetStorageInfo } from './firehose-storage-info.js';
import { FIREHOSE_TAGS, readPacket, type FirehoseTag } from './firehose-xml-reader.js';

export type FirehoseTargetState = 'created' | 'running' | 'reset' | 'powered-off' | 'power-cut' | 'link-down' | 'hung' | 'stopped';

const HANDLERS: Record<FirehoseTag, (ctx: FirehoseContext) => Promise<void>> = {
  program: handleProgram,
  configure: handleConfigure,
  power: handlePower,
  benchmark: handleBenchmark,
  read: handleRead,
  getstorageinfo: handleGetStorageInfo,
  erase: handleErase,
  nop: handleNop,
};

/** The ERROR line a command prints when a scenario makes it fail. */
const INJECTED_FAILURE: Partial<Record<FirehoseTag, FirehoseErrorSite>> = {
  program: 'injectedProgramFailure',
  configure: 'injectedConfigureFailure',
  erase: 'injectedEraseFailure',
  read: 'injectedReadFailure',
  getstorageinfo: 'injectedStorageInfoFailure',
};

export interface FirehoseTargetOptions extends ModuleTimeOptions {
  readonly nand: NandFlash;
  send(bytes: Uint8Array): void;
  /** After <power>'s ACK and delay: the chip resets (back to PBL or a normal boot) or switches off. */
  onPower(action: 'reset' | 'off'): void;
  /** A fault stopped the programmer: power cut (also the one from powerCut()) or link drop. */
  onStop?(report: FirehoseStopReport): void;
  readonly personality?: Partial<FirehosePersonality>;
  readonly faults?: FirehoseFaults;
  /**
   * Whether a power cut while a page's data is arriving leaves that page torn (unreadable until
   * its block is erased) — what happens to a NAND page whose program is cut. Default true.
   */
  readonly tearPageOnPowerCut?: boolean;
  readonly logger?: Logger;
}

export class FirehoseTarget {
  readonly #options: FirehoseTargetOptions;
  readonly #personality: FirehosePersonality;
  readonly #sleep: ModuleSleep;
  readonly #logger: Logger;
  readonly #input = new FirehoseInput();
  readonly #ctx: FirehoseContext;
  #faults: FirehoseFaults;
  #state: FirehoseTargetState = 'created';
  #received = 0;
  #sent = 0;
  #command: FirehoseTag | undefined;
  #receiveLimitArmed = false;
  #report: FirehoseStopReport | undefined;
  #finished: Promise<void> = Promise.resolve();

  constructor(options: FirehoseTargetOptions) {
    this.#options = options;
    this.#personality = { ...BOOT_BF_NAND_PERSONALITY, ...options.personality };
    this.#sleep = moduleSleep(options);
    this.#logger = options.logger ?? silentLogger;
    this.#faults = options.faults ?? {};
    this.#ctx = this.#makeContext();
  }

  get state(): FirehoseTargetState {
    return this.#state;
  }

  get receivedBytes(): number {
    return this.#received;
  }

  get sentBytes(): number {
    return this.#sent;
  }

  /** The programmer starts: after its start-up time it logs its build date and function list. */
  start(): void {
    if (this.#state !== 'created') return;
    this.#state = 'running';
    this.#finished = this.#run();
  }

  receive(bytes: Uint8Array): void {
    if (this.#state !== 'created' && this.#state !== 'running') return;
    if (this.#receiveLimitArmed) return; // past the fault's byte: the device sees nothing more
    const limit = this.#receiveLimit();
    if (limit !== undefined && this.#received + bytes.length >= limit.at) {
      const part = bytes.subarray(0, Math.max(0, limit.at - this.#received));
      this.#received += part.length;
      this.#input.push(part);
      this.#receiveLimitArmed = true;
      this.#input.whenStarved(() => this.#stop(limit.reason));
      return;
    }
    this.#received += bytes.length;
    this.#input.push(bytes);
  }

  /** Changes the faults from now on (byte counts stay counted from the programmer's start). */
  setFaults(faults: FirehoseFaults): void {
    this.#faults = faults;
  }

  /** VBAT is gone: the programmer stops where it is; a page being received is left torn. */
  powerCut(): FirehoseStopReport | undefined {
    if (this.#state === 'created' || this.#state === 'running') return this.#stop('power-cut');
    return this.#report;
  }

  /** Stops without a report (the module was reset from outside). */
  stop(): void {
    if (this.#state === 'created' || this.#state === 'running') this.#state = 'stopped';
    this.#input.halt('stopped');
  }

  /** Resolves when the programmer waits for host bytes that have not come, or has stopped. */
  async whenIdle(): Promise<void> {
    if (this.#state === 'created') return;
    await Promise.race([this.#input.whenIdle(), this.#finished]);
  }

  async #run(): Promise<void> {
    const ctx = this.#ctx;
    try {
      await ctx.sleep(this.#personality.startupMs);
      ctx.log(`Binary build date: ${this.#personality.buildDate} @ ${this.#personality.buildTime}`);
      ctx.sendSupportedFunctions();
      for (;;) {
        this.#command = undefined;
        await this.#handleNextPacket(ctx);
      }
    } catch (error) {
      if (error instanceof TargetHalted || this.#state !== 'running') return;
      this.#state = 'hung';
      this.#input.halt('crashed');
      logWarn(this.#logger, 'firehose target stopped on an internal error', { error: String(error) });
    }
  }

  async #handleNextPacket(ctx: FirehoseContext): Promise<void> {
    const packet = await this.#input.readXml();
    if (packet.kind === 'too-large') {
      ctx.log(`XML (${packet.size} bytes) is too big for buffer (max ${MAX_XML_BYTES} bytes)`);
      ctx.errorLog('xmlTooLarge');
      ctx.respond(false);
      return;
    }
    const parsed = readPacket(packet.text);
    if (!parsed.ok) {
      for (const line of parsed.logs) ctx.log(line);
      ctx.respond(false);
      return;
    }
    logDebug(this.#logger, 'firehose target: command', { tag: parsed.tag });
    this.#command = parsed.tag;
    ctx.attrs.beginPacket(parsed.tag);
    for (const attribute of parsed.attributes) {
      const outcome = ctx.attrs.assign(attribute.name, attribute.value, parsed.tag === 'read');
      for (const line of outcome.logs) ctx.log(line);
      if (!outcome.ok) {
        ctx.log('AssignAttribute failed');
        ctx.respond(false);
        return;
      }
    }
    if (parsed.attributeError !== undefined) {
      for (const line of parsed.attributeError) ctx.log(line);
      ctx.respond(false);
      return;
    }
    const finish = ctx.attrs.finishPacket();
    for (const line of finish.logs) ctx.log(line);
    if (!finish.ok) {
      ctx.respond(false);
      return;
    }
    if (this.#faults.nakCommands?.includes(parsed.tag) === true) {
      const site = INJECTED_FAILURE[parsed.tag];
      if (site !== undefined) ctx.errorLog(site);
      ctx.respond(false);
      return;
    }
    await HANDLERS[parsed.tag](ctx);
  }

  #makeContext(): FirehoseContext {
    const log = (text: string): void => {
      this.#send(logMessage(text));
    };
    const alive = (): void => {
      if (this.#state !== 'running') throw new TargetHalted(this.#state);
    };
    return {
      nand: this.#options.nand,
      attrs: new FirehoseAttributes(),
      personality: this.#personality,
      channelCapacity: this.#personality.channelBufferSize,
      program: undefined,
      log,
      errorLog: (site) => {
        log(errorLogText(site));
      },
      respond: (ack: boolean, fields: readonly ResponseField[] = []) => {
        const noise = this.#faults.noisyLogs ?? 0;
        for (let index = 1; index <= noise; index += 1) log(`Noise ${index}/${noise}: simulated device chatter`);
        this.#send(responseMessage(ack, fields));
      },
      sendRaw: (bytes) => {
        this.#send(bytes);
      },
      readRaw: (max) => this.#input.readRaw(max),
      settle: async (force = false) => {
        alive();
        await this.#guard(this.#options.nand.settle(force));
        alive();
      },
      sleep: async (moduleMs) => {
        alive();
        await this.#guard(this.#sleep(moduleMs));
        alive();
      },
      sendSupportedFunctions: () => {
        log(`Supported Functions: ${FIREHOSE_TAGS.map((tag) => `${tag} `).join('')}`);
      },
      power: (action) => {
        this.#state = action === 'reset' ? 'reset' : 'powered-off';
        this.#input.halt(`power ${action}`);
        this.#options.onPower(action);
        throw new TargetHalted(`power ${action}`);
      },
      hang: (why) => {
        this.#state = 'hung';
        this.#input.halt(why);
        logDebug(this.#logger, 'firehose target hangs', { why });
        throw new TargetHalted(why);
      },
    };
  }

  /** A module-time wait the simulator cancelled (its timers died with the module): stop quietly. */
  async #guard(wait: Promise<void>): Promise<void> {
    try {
      await wait;
    } catch {
      this.stop();
      throw new TargetHalted('module timers cancelled');
    }
  }

  #receiveLimit(): { at: number; reason: 'power-cut' | 'link-drop' } | undefined {
    const cut = this.#faults.cutPowerAfterReceivedBytes;
    const drop = this.#faults.dropLinkAfterReceivedBytes;
    if (cut === undefined && drop === undefined) return undefined;
    if (drop === undefined || (cut !== undefined && cut <= drop)) return { at: cut ?? 0, reason: 'power-cut' };
    return { at: drop, reason: 'link-drop' };
  }

  #send(bytes: Uint8Array): void {
    if (this.#state !== 'running') return;
    const limit = this.#faults.dropLinkAfterSentBytes;
    if (limit !== undefined && this.#sent + bytes.length >= limit) {
      const part = bytes.subarray(0, Math.max(0, limit - this.#sent));
      if (part.length > 0) this.#options.send(part);
      this.#sent += part.length;
      this.#stop('link-drop');
      return;
    }
    this.#sent += bytes.length;
    this.#options.send(bytes);
  }

  #stop(reason: 'power-cut' | 'link-drop'): FirehoseStopReport {
    const program: ProgramProgress | undefined = this.#ctx.program;
    const torn = reason === 'power-cut' ? this.#tearPage(program) : undefined;
    this.#state = reason === 'power-cut' ? 'power-cut' : 'link-down';
    this.#input.halt(reason);
    const report: FirehoseStopReport = {
      reason,
      receivedBytes: this.#received,
      sentBytes: this.#sent,
      command: this.#command,
      ...(program === undefined ? {} : { program: { startSector: program.startSector, pagesWritten: program.pagesWritten, nextPage: program.nextPage } }),
      tornPage: torn,
    };
    this.#report = report;
    this.#options.onStop?.(report);
    return report;
  }

  /** The page whose data was arriving when power went: its program is cut short. */
  #tearPage(program: ProgramProgress | undefined): number | undefined {
    if (program === undefined || !program.writing || program.partialBytes === 0 || this.#options.tearPageOnPowerCut === false) return undefined;
    const nand = this.#options.nand;
    const page = program.nextPage;
    if (page >= nand.totalPages || nand.isBadBlock(nand.blockOfPage(page)) || nand.pageState(page) !== 'erased') return undefined;
    nand.markUncorrectable(page);
    return page;
  }
}
