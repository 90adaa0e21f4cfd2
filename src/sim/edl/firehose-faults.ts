// Faults a scenario can inject into the programmer (DESIGN.md "Honest faults"). Byte counts are
// counted from the programmer's start (the Firehose phase), host→device ("received") or
// device→host ("sent").
import type { FirehoseTag } from './firehose-xml-reader.js';

export interface FirehoseFaults {
  /** These commands fail with the ERROR log their handler would print and a NAK. */
  readonly nakCommands?: readonly FirehoseTag[];
  /** Extra device log lines before every response (hosts must drain logs). */
  readonly noisyLogs?: number;
  /** The USB link goes away once the device has received this many bytes. */
  readonly dropLinkAfterReceivedBytes?: number;
  /** The USB link goes away once the device has sent this many bytes (mid-message). */
  readonly dropLinkAfterSentBytes?: number;
  /** VBAT is cut once the device has received this many bytes; all earlier bytes were processed. */
  readonly cutPowerAfterReceivedBytes?: number;
}

/** Where the programmer was when it stopped; the simulator decides the rest (e.g. what boots). */
export interface FirehoseStopReport {
  readonly reason: 'power-cut' | 'link-drop';
  readonly receivedBytes: number;
  readonly sentBytes: number;
  /** The command being handled, if any. */
  readonly command: FirehoseTag | undefined;
  /** For a program: its start sector, and the pages written so far. */
  readonly program?: { readonly startSector: number; readonly pagesWritten: number; readonly nextPage: number };
  /** A page left torn by the cut (its data was arriving), if any. */
  readonly tornPage: number | undefined;
}
