// How long to wait for the programmer, from what peers use (edl-protocols.md §2.2, §2.9 timeouts;
// quectel-ec25.md §2.5). Every wait is a silence limit — it restarts whenever bytes arrive — so a
// slow operation that keeps logging is not cut off.

export interface FirehoseTimeouts {
  /** Start-up: wait this long for the programmer's first message (QFirehose: 3 s). */
  readonly startupFirstMs: number;
  /** Start-up: the burst is over after this much silence (QFirehose: 1 s; "1 second is not enough" before the first message). */
  readonly startupSilenceMs: number;
  /** A command's response (QFirehose: 3–6 s; fwupd configure 5 s). */
  readonly responseMs: number;
  /** An erase's response (QFirehose 15 s since 1.4.4; qdl 30 s). */
  readonly eraseMs: number;
  /** One raw data transfer, either direction (QFirehose: 15 s). */
  readonly rawChunkMs: number;
  /** The ACK after the raw data (QFirehose 6 s, fwupd 30 s, qdl 120 s): the last pages are written first. */
  readonly finalAckMs: number;
  /** After a reset/off ACK, how long to keep reading the last logs before the device drops (qdl: 1 s). */
  readonly powerDrainMs: number;
}

export const defaultFirehoseTimeouts: FirehoseTimeouts = {
  startupFirstMs: 3000,
  startupSilenceMs: 1000,
  responseMs: 6000,
  eraseMs: 15000,
  rawChunkMs: 15000,
  finalAckMs: 30000,
  powerDrainMs: 1000,
};
