import { createHash } from 'node:crypto';
import { readFileChunks } from '../../core/file-chunks.js';
import type { Logger } from '../../core/logger.js';
import { logInfo, logWarn } from '../../core/logger.js';
import { toCancelled } from '../../core/time.js';
import { FirehoseNakError, type FirehoseClient } from '../../protocols/firehose/index.js';
import type { FirmwarePackage } from '../package/package-source.js';
import type { BackupResult } from '../plan/backup-manifest.js';
import type { BackupStep, DataSource, FlashStep, ProgramStep, VerifyStep } from '../plan/steps.js';
import { PartialBackupFile } from './backup-files.js';
import { asNotStarted } from './connect.js';
import { FlashExecutionError, FlashRecoverableError, FlashRefusedError } from './errors.js';
import type { ProgressTracker } from './progress.js';

// Runs a plan's steps against the Firehose client, in the order that keeps an interrupted flash
// recoverable (quectel-ec25.md §2.5, edl-protocols.md §2.9): backups, SBL erase, vendor lines,
// erases, programs, then — before SBL is programmed — the read-back of everything else, so a
// bad write never sits behind a boot chain that works; then SBL, its read-back, patches, reset.
// The plan puts every read-back after SBL (plan/flash-plan.ts); moving them ahead of it is the
// executor's choice and changes no step.

export interface StepContext {
  readonly client: FirehoseClient;
  readonly tracker: ProgressTracker;
  readonly logger: Logger;
  readonly signal: AbortSignal | undefined;
  readonly package: FirmwarePackage | undefined;
  readonly backupDirectory: string;
  /** What to run again after a failure, for hints (e.g. `medic flash <package>`). */
  readonly rerun: string;
  /** A restore writes no boot chain: its failures leave a booting module with efs2 incomplete. */
  readonly kind: 'flash' | 'restore';
}

export interface StepRecord {
  readonly kind: FlashStep['kind'];
  readonly phase: FlashStep['phase'];
  readonly description: string;
  readonly bytes: number;
  /** skipped: a patch line the programmer cannot take (edl-protocols.md §2.7). */
  readonly status: 'done' | 'skipped';
}

export interface StepsOutcome {
  readonly records: readonly StepRecord[];
  readonly backups: readonly BackupResult[];
  readonly readBytes: number;
  readonly writtenBytes: number;
  /** Whether <power value="reset"> was acknowledged (false also when the plan had none). */
  readonly reset: boolean;
}

const RANK: Readonly<Record<FlashStep['phase'], number>> = { backup: 0, 'erase-sbl': 1, vendor: 2, erase: 3, program: 4, 'program-sbl': 6, patch: 8, verify: 5, reset: 9 };

function isSbl(step: FlashStep): boolean {
  return (step.kind === 'program' || step.kind === 'verify') && Number(step.region.startSector) === 0;
}

/** The plan's steps in execution order (see above); stable within a rank. */
export function executionOrder(steps: readonly FlashStep[]): FlashStep[] {
  const rank = (step: FlashStep): number => (step.kind === 'verify' && isSbl(step) ? 7 : RANK[step.phase]);
  return steps.map((step, index) => ({ step, index })).sort((a, b) => rank(a.step) - rank(b.step) || a.index - b.index).map(({ step }) => step);
}

/** Backups must be complete (files and manifest) before `beforeFirstWrite` returns. */
export async function runSteps(ctx: StepContext, steps: readonly FlashStep[], beforeFirstWrite: (backups: readonly BackupResult[]) => Promise<void>): Promise<StepsOutcome> {
  const ordered = executionOrder(steps);
  const records: StepRecord[] = [];
  const backups: BackupResult[] = [];
  let readBytes = 0;
  let writtenBytes = 0;
  let written = false;
  let sblProgrammed = false;
  let reset = false;
  let current: FlashStep | undefined;
  try {
    for (const [index, step] of ordered.entries()) {
      current = step;
      if (ctx.signal?.aborted === true) throw toCancelled(ctx.signal);
      const writes = step.kind === 'erase' || step.kind === 'vendor' || step.kind === 'program' || step.kind === 'patch';
      if (writes && !written) {
        await beforeFirstWrite(backups);
        written = true;
      }
      ctx.tracker.beginStep(index, step.phase, step.description, partitionOf(step));
      let status: StepRecord['status'] = 'done';
      switch (step.kind) {
        case 'backup':
          backups.push(await runBackup(ctx, step));
          readBytes += step.bytes;
          break;
        case 'erase':
          await ctx.client.erase(step.region, { signal: ctx.signal });
          break;
        case 'vendor':
          await ctx.client.command(step.tag, step.attributes, { signal: ctx.signal });
          break;
        case 'program':
          await runProgram(ctx, step);
          writtenBytes += step.bytes;
          if (isSbl(step)) sblProgrammed = true;
          break;
        case 'patch':
          if (ctx.client.supportedFunctions?.includes(step.requiresFunction) === true) await ctx.client.command('patch', step.attributes, { signal: ctx.signal });
          else {
            status = 'skipped';
            logInfo(ctx.logger, `flash: ${step.description} skipped: the programmer does not list patch (edl-protocols.md §2.7)`);
          }
          break;
        case 'verify':
          await runVerify(ctx, step, sblProgrammed);
          readBytes += step.bytes;
          break;
        case 'power': {
          const result = await ctx.client.power({ value: step.value, delayInSeconds: step.delayInSeconds, signal: ctx.signal }).catch((error: unknown) => {
            // Everything is written and checked by now; a reset that is not acknowledged is a remark.
            logWarn(ctx.logger, `flash: the reset was not acknowledged (${error instanceof Error ? error.message : String(error)}); power-cycle the module`);
            return { acknowledged: false };
          });
          reset = result.acknowledged;
          break;
        }
      }
      ctx.tracker.endStep(step.bytes);
      records.push({ kind: step.kind, phase: step.phase, description: step.description, bytes: step.bytes, status });
    }
  } catch (error) {
    throw classify(ctx, error, { written, sblProgrammed, step: current });
  }
  return { records, backups, readBytes, writtenBytes, reset };
}

function partitionOf(step: FlashStep): string | undefined {
  if (step.kind === 'backup' || step.kind === 'program' || step.kind === 'verify') return step.partition;
  return undefined;
}

function classify(ctx: StepContext, error: unknown, state: { readonly written: boolean; readonly sblProgrammed: boolean; readonly step: FlashStep | undefined }): FlashExecutionError {
  if (error instanceof FlashExecutionError) return error;
  if (!state.written) return asNotStarted(error, ctx.backupDirectory);
  const what = error instanceof Error ? error.message : String(error);
  const where = state.step === undefined ? '' : ` during "${state.step.description}"`;
  const code = error instanceof FirehoseNakError ? 'FLASH_WRITE_REFUSED' : 'FLASH_INTERRUPTED';
  return new FlashRecoverableError(code, `the flash stopped${where}: ${what}`, {
    hint: recoveryHint(ctx, state.sblProgrammed),
    cause: error,
    backupDirectory: ctx.backupDirectory,
    step: state.step?.description,
  });
}

export function recoveryHint(ctx: Pick<StepContext, 'backupDirectory' | 'rerun' | 'kind'>, sblProgrammed: boolean): string {
  if (ctx.kind === 'restore') {
    return `The partition being restored was erased and not completely written back: the module still boots, but may report +CFUN: 5 until the restore completes. What it held before is saved in ${ctx.backupDirectory}. Power-cycle the module into EDL and run \`${ctx.rerun}\` again.`;
  }
  const state = sblProgrammed
    ? 'Every image and SBL were written; only the read-back or the reset did not finish. The module may boot; if it shows 05c6:9008 instead, it fell back to EDL.'
    : 'SBL is erased and was not written again, so the module falls back to EDL (05c6:9008) at its next power-on.';
  return `${state} The per-unit backup (efs2 calibration) is in ${ctx.backupDirectory}. Power-cycle the module (or replug USB), then run \`${ctx.rerun}\` again; if the module later reports +CFUN: 5 (calibration lost), run \`medic flash --restore-calibration ${ctx.backupDirectory}\`.`;
}

async function runBackup(ctx: StepContext, step: BackupStep): Promise<BackupResult> {
  const size = (step.region.numSectors ?? 0) * (step.region.sectorSize ?? 0);
  const digests: string[] = [];
  const file = await PartialBackupFile.create(step.file, ctx.backupDirectory);
  let committed = false;
  try {
    for (let read = 0; read < step.reads; read += 1) {
      const hash = createHash('md5');
      const base = read * size;
      const sink = read === 0 ? async (chunk: Uint8Array): Promise<void> => {
        hash.update(chunk);
        await file.write(chunk);
      } : (chunk: Uint8Array): void => {
        hash.update(chunk);
      };
      await ctx.client.readTo(step.region, sink, { signal: ctx.signal, onProgress: ({ bytes }) => { ctx.tracker.stepBytes(base + bytes); } });
      digests.push(hash.digest('hex'));
    }
    const first = digests[0] ?? '';
    if (digests.some((digest) => digest !== first)) {
      throw new FlashRefusedError('FLASH_BACKUP_MISMATCH', `${step.partition}: ${step.reads} reads of sectors ${String(step.region.startSector)}+${step.region.numSectors ?? 0} differ (MD5 ${digests.join(' / ')})`, {
        hint: 'The link or the NAND returns unstable data, so no trustworthy backup could be made and nothing was erased. Check the cable and USB port (a short cable, no hub), power-cycle the module into EDL and run again.',
        backupDirectory: ctx.backupDirectory,
        step: step.description,
      });
    }
    await file.commit(first, size);
    committed = true;
    logInfo(ctx.logger, `flash: backed up ${step.partition} (${size} bytes, MD5 ${first}, ${step.reads} reads agree) to ${step.file}`);
    return { partition: step.partition, md5: first, bytes: size };
  } finally {
    if (!committed) await file.discard();
  }
}

async function runProgram(ctx: StepContext, step: ProgramStep): Promise<void> {
  await ctx.client.program(step.region, openSource(ctx, step.source, step.byteLength), {
    signal: ctx.signal,
    byteLength: step.byteLength,
    onProgress: ({ bytes }) => {
      ctx.tracker.stepBytes(bytes);
    },
  });
}

/** A restore writes back only the blocks of a backup that hold data (plan/backup-inspect.ts): the file is read up to byteLength. */
function openSource(ctx: StepContext, source: DataSource, byteLength: number): AsyncIterable<Uint8Array> {
  if (source.kind === 'file') return readFileChunks(source.path, { length: byteLength, signal: ctx.signal });
  if (ctx.package === undefined) throw new Error(`no package to read ${source.path} from`);
  return ctx.package.open(source.path, { signal: ctx.signal });
}

/** The first byteLength bytes must hash to the step's MD5; the rest up to paddedLength must be the padding. */
async function runVerify(ctx: StepContext, step: VerifyStep, sblProgrammed: boolean): Promise<void> {
  const hash = createHash('md5');
  let offset = 0;
  let badPadding: number | undefined;
  await ctx.client.readTo(step.region, (chunk) => {
    const data = chunk.subarray(0, Math.max(0, step.byteLength - offset));
    hash.update(data);
    const padEnd = Math.min(chunk.length, step.paddedLength - offset);
    for (let at = data.length; at < padEnd && badPadding === undefined; at += 1) if (chunk[at] !== step.padByte) badPadding = offset + at;
    offset += chunk.length;
  }, { signal: ctx.signal, onProgress: ({ bytes }) => { ctx.tracker.stepBytes(bytes); } });
  const md5 = hash.digest('hex');
  if (md5 === step.md5 && badPadding === undefined) return;
  const sbl = isSbl(step);
  if (sbl) await eraseSblAgain(ctx, step);
  const why = md5 !== step.md5 ? `MD5 ${md5}, expected ${step.md5}` : `byte ${badPadding ?? 0} of the padding is not 0x${step.padByte.toString(16)}`;
  throw new FlashRecoverableError('FLASH_VERIFY_MISMATCH', `read-back of ${step.source.path}${step.partition === undefined ? '' : ` (${step.partition})`} differs from what was written: ${why}`, {
    hint: `${sbl ? 'SBL did not read back as written and was erased again, so the module falls back to EDL (05c6:9008). ' : ''}${recoveryHint(ctx, sblProgrammed && !sbl)} If it happens again, the NAND may be wearing out.`,
    backupDirectory: ctx.backupDirectory,
    step: step.description,
  });
}

/** A boot loader that does not read back as written must not be left to boot: erase its blocks again (best effort). */
async function eraseSblAgain(ctx: StepContext, step: VerifyStep): Promise<void> {
  const { pagesPerBlock, sectorSize } = step.region;
  if (pagesPerBlock === undefined) return;
  const sectors = Math.ceil((step.region.numSectors ?? 0) / pagesPerBlock) * pagesPerBlock;
  await ctx.client.erase({ startSector: 0, numSectors: sectors, pagesPerBlock, ...(sectorSize === undefined ? {} : { sectorSize }) }, { signal: ctx.signal }).catch((error: unknown) => {
    logWarn(ctx.logger, `flash: erasing SBL again after its failed read-back did not work: ${error instanceof Error ? error.message : String(error)}`);
  });
}
