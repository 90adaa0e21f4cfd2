// What a command handler of the simulated programmer can do. Handlers are written like the C
// programmer's: sequential code that logs, responds, reads raw data and touches the NAND; the
// target supplies this context and stops them when the module loses power or its link.
import type { NandFlash } from '../nand/nand-flash.js';
import type { FirehoseAttributes } from './firehose-attributes.js';
import type { FirehoseErrorSite } from './firehose-errors.js';
import type { ResponseField } from './firehose-message.js';
import type { FirehosePersonality } from './firehose-personality.js';

/** A <program> in flight, for the stop report and for tearing the page a power cut hits. */
export interface ProgramProgress {
  readonly startSector: number;
  pagesWritten: number;
  /** Where the next page goes (after any bad-block skip already applied). */
  nextPage: number;
  /** Bytes of the next page already received. */
  partialBytes: number;
  /** False once a write failed (later pages are received, not written) or with SkipWrite. */
  writing: boolean;
}

export interface FirehoseContext {
  readonly nand: NandFlash;
  readonly attrs: FirehoseAttributes;
  readonly personality: FirehosePersonality;
  /** Bytes per host transfer the programmer reads into; set by an ACKed <configure>. */
  channelCapacity: number;
  program: ProgramProgress | undefined;
  log(text: string): void;
  errorLog(site: FirehoseErrorSite): void;
  respond(ack: boolean, fields?: readonly ResponseField[]): void;
  sendRaw(bytes: Uint8Array): void;
  readRaw(max: number): Promise<Uint8Array>;
  /** Waits out the NAND's busy time; throws when the target stopped meanwhile. */
  settle(force?: boolean): Promise<void>;
  /** Module time; throws when the target stopped meanwhile. */
  sleep(moduleMs: number): Promise<void>;
  sendSupportedFunctions(): void;
  /** The programmer resets or powers the chip off (after <power>): the target ends. */
  power(action: 'reset' | 'off'): never;
  /** The programmer is stuck in a loop that never ends (the C code would spin): the target goes silent. */
  hang(why: string): never;
}
