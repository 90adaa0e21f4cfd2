import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { appendReworkRecord } from '../../diagnose/rework-log/index.js';
import { flashModule, type FlashResult } from '../../flash/execute/index.js';
import { makePackage } from '../../sim/package/index.js';
import type { RunningSimulator } from '../../sim/simulator.js';
import { openSerial } from '../../transport/serial.js';
import { TOOL_VERSION } from '../version.js';

// The demo's technician: a unit the guard found in QDLoader 9008 is reflashed a day or two later
// through its EDL port with a generated package, exactly as `medic flash PACKAGE --port …` does
// (validate, back up efs2, program, verify, reset), and the run goes into a rework log that is
// imported into the fleet server: "needed a reflash" as it shows in the field.

export interface ReflashJob {
  readonly sim: RunningSimulator;
  readonly imei: string;
  readonly revision: string;
  /** The simulated day of the repair (the rework record's time). */
  readonly time: Date;
  /** Where the unit's backup and rework log go. */
  readonly workDir: string;
}

export interface Reflash {
  readonly result: FlashResult;
  /** The rework log's new line (`medic log --json` form), for importRework. */
  readonly reworkLine: string;
}

export class Technician {
  readonly #packagesDir: string;
  readonly #packages = new Map<string, Promise<string>>();

  constructor(packagesDir: string) {
    this.#packagesDir = packagesDir;
  }

  /** One generated package per firmware revision, made the first time it is needed. */
  packageFor(revision: string): Promise<string> {
    let made = this.#packages.get(revision);
    if (made === undefined) {
      const dir = join(this.#packagesDir, revision);
      made = makePackage(dir, { revision, size: 'small' }).then(() => dir);
      this.#packages.set(revision, made);
    }
    return made;
  }

  async reflash(job: ReflashJob): Promise<Reflash> {
    const packageDir = await this.packageFor(job.revision);
    const edl = job.sim.info.ports.edl;
    if (edl === undefined) throw new Error(`no 9008 port on the simulator in ${job.sim.info.stateDir}`);
    const started = Date.now();
    const transport = await openSerial({ path: edl });
    let result: FlashResult;
    try {
      result = await flashModule(transport, { package: packageDir, moduleRevision: job.revision, backup: { root: join(job.workDir, 'backups') } });
    } finally {
      await transport.close();
    }
    const file = join(job.workDir, 'rework-log.jsonl');
    await appendReworkRecord(
      {
        time: job.time,
        command: 'flash',
        outcome: result.outcome === 'flashed-and-verified' ? 'verified' : 'flashed',
        unit: { imei: job.imei, port: edl },
        revision: { before: job.revision, after: result.revision },
        actions: ['found in QDLoader 9008 by the guard', `flashed ${result.revision} through EDL`, `backup of efs2 in ${result.backupDirectory}`],
        backupDirectory: result.backupDirectory,
        seconds: Math.round((Date.now() - started) / 100) / 10,
      },
      { file, toolVersion: TOOL_VERSION },
    );
    const lines = (await readFile(file, 'utf8')).trim().split('\n');
    return { result, reworkLine: lines.at(-1) ?? '' };
  }
}
