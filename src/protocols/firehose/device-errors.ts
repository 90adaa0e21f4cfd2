// The programmer's error log lines, `ERROR <n>: Line <line>: <NAME>` (edl-protocols.md §2.7, from
// QC-FH-NAND deviceprogrammer_firehose.h), and what to tell a person about them. Hints for the
// NAK causes §5 reports from the field.

export const firehoseDeviceErrorNames: readonly string[] = [
  'FAILURE_CHIP_SERIAL_NUMBER',
  'AUTHENTICATE_IMAGE_FAILURE',
  'UFS_COMMIT_EXTRAS_FAILURE',
  'SET_BOOTABLE_PARTITION_FAILURE',
  'STORAGE_READ_FAILURE',
  'STORAGE_WRITE_FAILURE',
  'STORAGE_DEVICE_ERASE_FAILURE',
  'EMMC_COMMIT_EXTRAS_FAILURE',
  'EMMC_FW_UPDATE_FAILURE',
  'USB_READ_FAILURE',
  'USB_WRITE_FAILURE',
  'DIGITAL_SIGNATURE_DID_NOT_PASS',
  'PACKET_HASH_MISMATCH',
  'HANDLE_CONFIGURE_FAILURE',
  'HANDLE_STORAGE_INFO_FAILURE',
  'HANDLE_PEEK_FAILURE',
  'HANDLE_POKE_FAILURE',
  'HANDLE_ERASE_FAILURE',
  'HANDLE_FIRMWARE_PROGRAM_FAILURE',
  'HANDLE_PATCH_FAILURE',
  'HANDLE_GET_DIGEST_FAILURE',
  'HANDLE_PROGRAM_FAILURE',
  'XML_PACKET_TOO_LARGE',
  'SERIAL_NUM_OF_DEVICE_INCORRECT',
];

export interface FirehoseDeviceError {
  readonly number: number;
  readonly line: number;
  readonly name: string;
  /** The log line it came from. */
  readonly text: string;
}

const ERROR_LINE = /ERROR\s+(\d+)\s*:\s*Line\s+(\d+)\s*:\s*([A-Za-z0-9_]+)/;

/** The last `ERROR n: Line n: NAME` among `logs`. */
export function findDeviceError(logs: readonly string[]): FirehoseDeviceError | undefined {
  for (let i = logs.length - 1; i >= 0; i -= 1) {
    const text = logs[i] ?? '';
    const match = ERROR_LINE.exec(text);
    if (match !== null) {
      const number = Number(match[1]);
      return { number, line: Number(match[2]), name: match[3] ?? firehoseDeviceErrorNames[number] ?? 'UNKNOWN', text };
    }
  }
  return undefined;
}

const geometry =
  'On NAND, SECTOR_SIZE_IN_BYTES must equal the page size and PAGES_PER_BLOCK the pages per block (64 on the EC25 family). Check that the package geometry (p2K_b128K or p4K_b256K) matches what getstorageinfo reports (edl-protocols.md §2.4, §5).';
const nandWear =
  'The NAND itself failed the operation (worn or bad blocks). Run it once more; if it fails at the same place, the flash chip is failing and the module needs replacing.';
const link = 'The USB link dropped data. Use a short cable on a port of the host itself (no hub), stop ModemManager, power-cycle into EDL and run again.';

/** Hints by what the logs say; first match wins. */
const logHints: readonly (readonly [RegExp, string])[] = [
  [/PAGES_PER_BLOCK|SECTOR_SIZE_IN_BYTES|disk sector size|disk pages per block/i, geometry],
  [/unaligned/i, 'Erase ranges on NAND must start and end on block boundaries: start_sector and num_partition_sectors must be multiples of PAGES_PER_BLOCK (edl-protocols.md §2.6).'],
  [/payload to target size is too large/i, 'Configure again with the MaxPayloadSizeToTargetInBytes the programmer reports (configure() does this by itself).'],
  [/Only nop and sig tag can be received before authentication/i, 'This programmer requires signed authentication (a vendor-locked device); it is not the EC25 programmer. Use prog_nand_firehose_9x07.mbn from the module\'s firmware package.'],
  [/Ignoring Unrecognized tag/i, 'This programmer does not know that command (the boot.bf NAND build supports program, configure, power, benchmark, read, getstorageinfo, erase, nop — §2.2).'],
];

const errorHints: Readonly<Record<string, string>> = {
  HANDLE_PROGRAM_FAILURE: geometry,
  HANDLE_ERASE_FAILURE: `${geometry} Erase ranges must also be block-aligned.`,
  STORAGE_WRITE_FAILURE: nandWear,
  STORAGE_DEVICE_ERASE_FAILURE: nandWear,
  STORAGE_READ_FAILURE: nandWear,
  USB_READ_FAILURE: link,
  USB_WRITE_FAILURE: link,
  HANDLE_CONFIGURE_FAILURE: 'The programmer rejected configure: check MemoryName (nand for the EC25 family) and the payload and digest-table sizes (multiples of 512).',
  XML_PACKET_TOO_LARGE: 'A command was longer than MaxXMLSizeInBytes; this is a bug in the caller — please report it.',
  AUTHENTICATE_IMAGE_FAILURE: 'The programmer could not authenticate the data (a secure-boot module). Use the signed firmware package made for this module.',
  DIGITAL_SIGNATURE_DID_NOT_PASS: 'The programmer could not authenticate the data (a secure-boot module). Use the signed firmware package made for this module.',
};

export function hintForNak(command: string, logs: readonly string[], error: FirehoseDeviceError | undefined): string {
  for (const [pattern, hint] of logHints) if (logs.some((line) => pattern.test(line))) return hint;
  const byError = error === undefined ? undefined : errorHints[error.name];
  if (byError !== undefined) return byError;
  return `The programmer refused <${command}>; its log lines above say why. Check the command's attributes against the package's rawprogram file, then power-cycle into EDL and run again.`;
}
