import type { FirehoseRegion } from '../../protocols/firehose/region.js';

// A flash as data: an ordered list of steps an executor runs against the Firehose client, each
// carrying the region attributes the client sends (start sector, sectors, sector size,
// PAGES_PER_BLOCK, physical partition — edl-protocols.md §2.4–2.6) and the bytes it moves, for
// progress and ETA. The phases are in the order they run (quectel-ec25.md §2.5, edl-protocols.md
// §2.9): back up the per-unit partitions, erase SBL first, Quectel's vendor lines, the other
// erases, program everything but SBL, program SBL last, DISK patches, read back, reset. An
// interruption anywhere between the SBL erase and the SBL program leaves no SBL, so the boot ROM
// falls to EDL 05c6:9008 and the flash can simply be run again.

export const flashPhases = ['backup', 'erase-sbl', 'vendor', 'erase', 'program', 'program-sbl', 'patch', 'verify', 'reset'] as const;
export type FlashPhase = (typeof flashPhases)[number];

/** Where program data comes from: a file of the firmware package, or a file on disk (a backup). */
export type DataSource =
  | { readonly kind: 'package'; readonly path: string }
  | { readonly kind: 'file'; readonly path: string };

/** A line of the package the step came from. */
export interface StepOrigin {
  readonly file: string;
  readonly line: number;
}

interface StepBase {
  readonly phase: FlashPhase;
  /** One line for progress output. */
  readonly description: string;
  /** Bytes this step moves over the link (reads and writes), for progress and ETA. */
  readonly bytes: number;
}

/** Read a partition `reads` times into `file`; every read must be identical, else stop (nothing erased yet). */
export interface BackupStep extends StepBase {
  readonly kind: 'backup';
  readonly partition: string;
  readonly region: FirehoseRegion;
  readonly file: string;
  readonly reads: number;
  /** True for efs2: the flash may not go on without it. */
  readonly required: boolean;
  readonly why: string;
}

export interface EraseStep extends StepBase {
  readonly kind: 'erase';
  readonly region: FirehoseRegion;
  /** The rawprogram line, or why we added the erase ourselves. */
  readonly origin: StepOrigin | { readonly synthesized: string };
}

/** A vendor="quectel" line, sent as it is (FirehoseClient.command(tag, attributes)). */
export interface VendorStep extends StepBase {
  readonly kind: 'vendor';
  readonly tag: string;
  readonly attributes: Readonly<Record<string, string>>;
  readonly origin: StepOrigin;
}

export interface ProgramStep extends StepBase {
  readonly kind: 'program';
  /** numSectors = the data's sectors (QFirehose recomputes it from the file size, §2.7). */
  readonly region: FirehoseRegion;
  readonly source: DataSource;
  /** Bytes taken from the source; the last sector is padded with 0xFF. */
  readonly byteLength: number;
  readonly md5: string;
  readonly partition: string | undefined;
  readonly origin: StepOrigin | undefined;
}

/** A DISK patch line, sent only if the programmer lists `patch` (the boot.bf NAND build does not, edl-protocols.md §2.7). */
export interface PatchStep extends StepBase {
  readonly kind: 'patch';
  readonly attributes: Readonly<Record<string, string>>;
  readonly requiresFunction: 'patch';
  readonly origin: StepOrigin;
}

/**
 * Read back what a program step wrote and compare: the first `byteLength` bytes must have `md5`,
 * the rest up to `paddedLength` must be the 0xFF padding. The read uses bad_block_at_end="1"
 * (edl-protocols.md §2.5), so bad blocks are skipped as the program skipped them; `region` spans
 * those bad blocks too.
 */
export interface VerifyStep extends StepBase {
  readonly kind: 'verify';
  readonly region: FirehoseRegion;
  readonly source: DataSource;
  readonly byteLength: number;
  readonly paddedLength: number;
  readonly padByte: number;
  readonly md5: string;
  readonly partition: string | undefined;
}

export interface PowerStep extends StepBase {
  readonly kind: 'power';
  readonly value: 'reset';
  /** qdl and QFirehose send 10 (edl-protocols.md §2.7). */
  readonly delayInSeconds: number;
}

export type FlashStep = BackupStep | EraseStep | VendorStep | ProgramStep | PatchStep | VerifyStep | PowerStep;

/** §2.5: bad blocks skipped and 0xFF appended, so a read matches what program wrote. */
export const SKIP_BAD_BLOCKS = { bad_block_at_end: '1' } as const;

/** Plan-level remarks: not refusals, but what the user should know. */
export const planNoteCatalogue = {
  TABLE_FROM_PACKAGE: 'The per-unit partitions were located with the package\'s partition table; the module\'s own table (the MIBIB at sector 640, 1024 or 2048) was not found.',
  REFERENCE_LAYOUT_ASSUMED: 'efs2 was located with the reference layout of EC25EFAR06A01M4G (quectel-ec25.md §2.6, block 20, 0x1600000 bytes); UNVERIFIED for other builds.',
  PROGRAM_NOT_ERASED: 'A program line has no erase line covering it; an erase of its blocks was added (NAND must be erased before it is programmed, edl-protocols.md §2.4).',
  BAD_BLOCK_READ_MODE: 'Backups and read-back use bad_block_at_end="1" (edl-protocols.md §2.5, from Qualcomm\'s NAND programmer source); whether Quectel\'s build honours it is UNVERIFIED — a programmer that ignores it fills bad blocks with 0xBB and read-back fails loudly.',
  PATCH_NEEDS_FUNCTION: 'DISK patch lines are sent only if the programmer lists patch among its functions.',
  NO_VERIFY: 'Read-back verification was turned off.',
} as const;

export type PlanNoteCode = keyof typeof planNoteCatalogue;

export interface PlanNote {
  readonly code: PlanNoteCode;
  readonly message: string;
}

export function planNote(code: PlanNoteCode, detail?: string): PlanNote {
  return { code, message: detail === undefined ? planNoteCatalogue[code] : `${planNoteCatalogue[code]} (${detail})` };
}
