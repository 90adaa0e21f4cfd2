// `ERROR <n>: Line <line>: <NAME>` logs (edl sheet §2.7; QC-FH-NAND deviceprogrammer_firehose.h).
// The line is the programmer's __LINE__ at the call site. The real numbers of the EC25 programmer
// build are not in the sheet, so the ones below are placeholders — UNVERIFIED; hosts must not (and
// known ones do not) parse them.

export const FIREHOSE_ERROR_NAMES = [
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
] as const;

export type FirehoseErrorName = (typeof FIREHOSE_ERROR_NAMES)[number];

/** Call sites that log an ERROR line, with placeholder source lines (UNVERIFIED). */
export const FIREHOSE_ERROR_SITES = {
  configureDigestTooLarge: { error: 'HANDLE_CONFIGURE_FAILURE', line: 1012 },
  storageInfo: { error: 'HANDLE_STORAGE_INFO_FAILURE', line: 1105 },
  eraseFailed: { error: 'STORAGE_DEVICE_ERASE_FAILURE', line: 1578 },
  readOutOfRange: { error: 'STORAGE_READ_FAILURE', line: 2218 },
  readSectorSize: { error: 'STORAGE_READ_FAILURE', line: 2241 },
  programSectorSize: { error: 'HANDLE_PROGRAM_FAILURE', line: 2398 },
  programPagesPerBlock: { error: 'HANDLE_PROGRAM_FAILURE', line: 2407 },
  programOutOfRange: { error: 'HANDLE_PROGRAM_FAILURE', line: 2424 },
  xmlTooLarge: { error: 'XML_PACKET_TOO_LARGE', line: 2699 },
  injectedProgramFailure: { error: 'HANDLE_PROGRAM_FAILURE', line: 2466 },
  injectedConfigureFailure: { error: 'HANDLE_CONFIGURE_FAILURE', line: 1047 },
  injectedEraseFailure: { error: 'STORAGE_DEVICE_ERASE_FAILURE', line: 1578 },
  injectedReadFailure: { error: 'STORAGE_READ_FAILURE', line: 2218 },
  injectedStorageInfoFailure: { error: 'HANDLE_STORAGE_INFO_FAILURE', line: 1105 },
} as const satisfies Record<string, { error: FirehoseErrorName; line: number }>;

export type FirehoseErrorSite = keyof typeof FIREHOSE_ERROR_SITES;

export function errorLogText(site: FirehoseErrorSite): string {
  const { error, line } = FIREHOSE_ERROR_SITES[site];
  return `ERROR ${FIREHOSE_ERROR_NAMES.indexOf(error)}: Line ${line}: ${error}`;
}
