import { logInfo, silentLogger } from '../../core/logger.js';
import type { ByteTransport } from '../../transport/byte-transport.js';
import type { NandGeometry } from '../package/geometry.js';
import { PER_UNIT_PARTITIONS, type PerUnitPartition } from '../package/per-unit.js';
import { manifestForBackups, type BackupResult } from '../plan/backup-manifest.js';
import { backupSteps } from '../plan/backup-steps.js';
import { FlashPlanError } from '../plan/errors.js';
import { choosePartitionLayout } from '../plan/partition-layout.js';
import { planTotals } from '../plan/totals.js';
import { backupDirectoryFor, type BackupLocation, type UnitIdentity } from '../plan/unit-identity.js';
import { prepareBackupDirectory, writeManifest } from './backup-files.js';
import { withSerial } from './unit.js';
import { connectEdl, connectOptionsFrom, type EdlConnection } from './connect.js';
import { FlashRefusedError } from './errors.js';
import type { ExecutionOptions } from './options.js';
import { programmerLoader, type ProgrammerSource } from './programmer.js';
import { ProgressTracker } from './progress.js';
import { runSteps } from './step-runner.js';
import { monotonicMs } from '../../core/time.js';

// `medic backup`: the first phase of a flash on its own — read each per-unit partition (efs2 and
// the others of per-unit.ts) at least twice, keep it only if the reads agree, write backup.json —
// then reset the module or leave the programmer running for a flash that follows.

export interface BackupModuleOptions extends ExecutionOptions {
  /** The programmer to upload; undefined when a programmer already runs. */
  readonly programmer: ProgrammerSource;
  readonly unit?: UnitIdentity | undefined;
  readonly backup: BackupLocation;
  /** Recorded in the manifest. */
  readonly moduleRevision?: string | undefined;
  readonly partitions?: readonly PerUnitPartition[] | undefined;
  readonly assumeReferenceLayout?: boolean | undefined;
  /** Reads per partition, all compared; default and minimum 2. */
  readonly reads?: number | undefined;
  /** Reset the module afterwards; default false: the programmer keeps running (EDL). */
  readonly reset?: boolean | undefined;
}

export interface BackupModuleResult {
  readonly backupDirectory: string;
  readonly manifestFile: string;
  readonly partitions: readonly BackupResult[];
  readonly bytes: number;
  readonly seconds: number;
  readonly reset: boolean;
}

export async function backupModule(transport: ByteTransport, options: BackupModuleOptions): Promise<BackupModuleResult> {
  const logger = options.logger ?? silentLogger;
  const started = monotonicMs();
  const connection = await connectEdl(transport, connectOptionsFrom(options, logger, programmerLoader(options.programmer)));
  const { steps, directory } = planBackup(connection, options);
  await prepareBackupDirectory(directory);
  const tracker = new ProgressTracker(options.onProgress, planTotals(steps).bytes, steps.length);
  const outcome = await runSteps({ client: connection.client, tracker, logger, signal: options.signal, package: undefined, backupDirectory: directory, rerun: 'medic backup', kind: 'flash' }, steps, () => Promise.resolve());
  const geometry = { pageSize: connection.moduleStorage.pageSize, pagesPerBlock: connection.moduleStorage.pagesPerBlock };
  const manifest = manifestForBackups(steps, outcome.backups, { unit: withSerial(options.unit, connection.serialNumber), badBlocks: connection.moduleStorage.badBlocks, now: options.now, geometry, moduleRevision: options.moduleRevision });
  const manifestFile = await writeManifest(directory, manifest);
  logInfo(logger, `backup: ${outcome.backups.map((entry) => entry.partition).join(', ')} saved in ${directory}`);
  let reset = false;
  if (options.reset === true) {
    const power = await connection.client.power({ value: 'reset', delayInSeconds: 10, signal: options.signal }).catch(() => ({ acknowledged: false }));
    reset = power.acknowledged;
  }
  return { backupDirectory: directory, manifestFile, partitions: outcome.backups, bytes: outcome.readBytes, seconds: (monotonicMs() - started) / 1000, reset };
}

function planBackup(connection: EdlConnection, options: BackupModuleOptions): { steps: ReturnType<typeof backupSteps>; directory: string } {
  const { pageSize, pagesPerBlock } = connection.moduleStorage;
  const geometry: NandGeometry = { pageSize, pagesPerBlock, token: `p${pageSize / 1024}K_b${(pageSize * pagesPerBlock) / 1024}K` };
  const perUnit = options.partitions ?? PER_UNIT_PARTITIONS;
  try {
    const layout = choosePartitionLayout({ moduleTable: connection.moduleTable, packageTable: undefined, assumeReferenceLayout: options.assumeReferenceLayout, geometry, perUnit });
    const directory = backupDirectoryFor(options.backup, withSerial(options.unit, connection.serialNumber), options.now ?? new Date());
    const steps = backupSteps({ geometry, layout, storage: connection.moduleStorage, perUnit, directory, reads: Math.max(2, options.reads ?? 2) });
    return { steps, directory };
  } catch (error) {
    if (!(error instanceof FlashPlanError)) throw error;
    throw new FlashRefusedError('FLASH_PLAN_REFUSED', error.message, { hint: `${error.hint ?? ''} Nothing was read or written.`.trim(), cause: error, details: { planCode: error.code } });
  }
}
