// The identity of the simulated programmer: prog_nand_firehose_9x07.mbn of the boot.bf 3.1.2
// NAND tree (edl sheet §2.2, §2.3). Buffer sizes: the channel (receive) buffer is the 8 KiB NAND
// programmers use (§4: "8 KiB payloads (the NAND programmer's buffer)", SDX replies 8192); the
// transmit buffer is 4096 (§2.1). The build date is the $DateTime of the boot.bf 3.1.2.c2.2 NAND
// source, TargetName and the real EC25 build's date are not in the sheet — both UNVERIFIED.

export interface FirehosePersonality {
  /** MaxPayloadSizeToTargetInBytesSupported: the largest host payload it accepts. */
  readonly channelBufferSize: number;
  /** MaxPayloadSizeFromTargetInBytes. */
  readonly txBufferSize: number;
  readonly maxDigestTableSize: number;
  readonly targetName: string;
  readonly buildDate: string;
  readonly buildTime: string;
  /**
   * When set, configure replies also carry MinVersionSupported, Version, BuildId, DateTime and
   * MaxXMLSizeInBytes (compiled in only with DEVICEPROGRAMMER_BUILD_ID, §2.3 brackets them).
   */
  readonly buildId?: string;
  /** Module ms between DONE_RESP and the programmer's first log. UNVERIFIED (not in the sheet). */
  readonly startupMs: number;
}

export const BOOT_BF_NAND_PERSONALITY: FirehosePersonality = {
  channelBufferSize: 8192,
  txBufferSize: 4096,
  maxDigestTableSize: 8192,
  targetName: '9x07',
  buildDate: 'Dec 12 2016',
  buildTime: '23:35:46',
  startupMs: 50,
};
