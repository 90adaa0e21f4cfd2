// The module's NAND as the one source of truth for how it boots: the factory image on a new
// module, the boot verdict (boot-chain.ts) read from what the NAND holds, the damage the wear
// model does (a torn sbl page, an erased efs2), and persistence in <stateDir>/nand.
import { join } from 'node:path';
import { UsageError } from '../core/errors.js';
import { logDebug, type Logger } from '../core/logger.js';
import { baselineOf, BOOT_CHAIN, CALIBRATION_PARTITION, REVISION_PARTITION, type BootFailure } from './boot-chain.js';
import type { SimNand } from './control/api.js';
import type { ModuleIdentity } from './identity.js';
import { modelSpec } from './models.js';
import { checkStoredBadBlocks, resolveBadBlocks, type BadBlockSpec } from './nand/bad-blocks.js';
import { SimNandError } from './nand/nand-errors.js';
import { loadNand, saveNand } from './nand/nand-persistence.js';
import { NandFlash } from './nand/nand-flash.js';
import { nandGeometry, presetOf, type NandPresetName } from './nand/nand-geometry.js';
import { PartitionTable, partitionLayout } from './nand/partition-table.js';
import { calibrationImage, factoryImages, type FactoryFirmware } from './package/factory-images.js';
import { inspectPartitionImage } from './package/partition-image.js';
import type { ModuleHealth } from './wear.js';

export const NAND_DIR = 'nand';

/**
 * The module's chip: 512 MiB in both geometries — the Toshiba part of DEFC's EC25 (quectel sheet
 * §2.6) and the "M4G" of the revisions the simulator runs. The p2K_b128K layout (same bytes per
 * partition) needs all of it; the 256 MiB p2K_b128K preset is for other tests.
 */
export const MODULE_NAND_BYTES = 512 * 1024 * 1024;

export interface FlashVerdict {
  /** What a power-on does with this NAND (USB_BOOT low, no request). */
  readonly boot: 'normal' | BootFailure;
  /** The first stage that failed, and why. */
  readonly failed?: { readonly partition: string; readonly detail: string };
  /** Revision and AT+QGMR suffix of the modem image, when it is valid. */
  readonly revision: string | undefined;
  readonly subVersion: string | undefined;
  readonly calibration: 'ok' | 'lost' | 'wrong-baseline';
  /** The firmware the calibration was made with, when efs2 is readable. */
  readonly calibratedFor: string | undefined;
}

export interface ModuleFlashOptions {
  readonly stateDir: string;
  readonly identity: ModuleIdentity;
  readonly logger?: Logger;
  /** Timing of the NAND for EDL sessions (module time). */
  readonly timeScale?: number;
  readonly sleep?: (ms: number) => Promise<void>;
  /** Geometry of a new module (default p4K_b256K); a stored one must have it when given. */
  readonly geometry?: NandPresetName;
  /** Factory bad blocks of a new module; a stored one must have them when given. */
  readonly badBlocks?: BadBlockSpec;
  /** Draws the positions of `{ count }` bad blocks. */
  readonly seed?: number;
}

export class ModuleFlash {
  readonly nand: NandFlash;
  readonly table: PartitionTable;
  readonly geometry: NandPresetName;
  readonly dir: string;
  /** True when this run made the NAND (a new module): scenarios set their condition then. */
  readonly fresh: boolean;
  readonly #logger: Logger | undefined;
  #cached: { generation: number; verdict: FlashVerdict } | undefined;
  #saving: Promise<void> = Promise.resolve();

  private constructor(nand: NandFlash, dir: string, fresh: boolean, logger: Logger | undefined) {
    this.nand = nand;
    this.dir = dir;
    this.fresh = fresh;
    this.#logger = logger;
    const preset = presetOf(nand.geometry);
    if (preset === undefined) throw new SimNandError('SIM_NAND_STATE_CORRUPT', `the NAND in ${dir} has ${nand.geometry.pageSize}-byte pages, neither geometry of the MDM9607 modules`, { hint: 'Delete the state directory or its nand/ folder; the module is made anew.' });
    this.geometry = preset;
    this.table = PartitionTable.create(partitionLayout(preset), nand.geometry);
  }

  /** Loads <stateDir>/nand, or makes the factory NAND of `identity` there. */
  static async open(options: ModuleFlashOptions): Promise<ModuleFlash> {
    const dir = join(options.stateDir, NAND_DIR);
    const time = { ...(options.timeScale === undefined ? {} : { timeScale: options.timeScale }), ...(options.sleep === undefined ? {} : { sleep: options.sleep }) };
    const loaded = await loadNand(dir, time);
    if (loaded !== undefined) {
      const flash = new ModuleFlash(loaded, dir, false, options.logger);
      if (options.geometry !== undefined && options.geometry !== flash.geometry) {
        throw new UsageError(`the module in ${options.stateDir} has a ${flash.geometry} NAND, not ${options.geometry}`, {
          hint: 'A module keeps its flash: leave out --geometry to use its own, or use a fresh state directory for a module of the other geometry.',
        });
      }
      if (options.badBlocks !== undefined) checkStoredBadBlocks(options.badBlocks, loaded.badBlocks(), options.stateDir);
      return flash;
    }
    const geometry = nandGeometry({ preset: options.geometry ?? 'p4K_b256K', totalBytes: MODULE_NAND_BYTES });
    const badBlocks = options.badBlocks === undefined ? [] : resolveBadBlocks(options.badBlocks, geometry, options.seed ?? 0);
    const nand = new NandFlash({ geometry, badBlocks, ...time });
    const flash = new ModuleFlash(nand, dir, true, options.logger);
    flash.writeFirmware(options.identity);
    flash.writeCalibration(options.identity);
    await flash.save();
    return flash;
  }

  /** The boot verdict for what the NAND holds now (cached until the NAND changes). */
  verdict(): FlashVerdict {
    const generation = this.nand.generation;
    if (this.#cached?.generation !== generation) this.#cached = { generation, verdict: this.nand.busy.uncharged(() => this.#inspect()) };
    return this.#cached.verdict;
  }

  /** The last verdict, without reading the NAND again (cheap, may be stale while EDL writes). */
  lastVerdict(): FlashVerdict {
    return this.#cached?.verdict ?? this.verdict();
  }

  /** The chip as SimState and sim.json show it. */
  describe(): SimNand {
    const { pageSize, blockCount } = this.nand.geometry;
    const busy = this.nand.busy.byOperationUs;
    const ms = (us: number): number => Math.round(us / 1000);
    return { geometry: this.geometry, pageSize, blockCount, badBlocks: this.nand.badBlocks(), busyMs: { program: ms(busy.program), erase: ms(busy.erase), read: ms(busy.read) } };
  }

  /** ModuleHealth as the rest of the simulator and the control API show it. */
  health(verdict: FlashVerdict = this.verdict()): ModuleHealth {
    return {
      efs: verdict.calibration === 'ok' ? 'ok' : verdict.calibration === 'lost' ? 'calibration-lost' : 'wrong-baseline',
      bootChain: verdict.boot === 'normal' ? 'ok' : verdict.boot === 'edl' ? 'corrupt' : 'hangs',
    };
  }

  /** Programs the factory firmware of `identity` (every partition but efs2), as a factory flash would. */
  writeFirmware(identity: Pick<ModuleIdentity, 'model' | 'revision' | 'subVersion'>, only?: readonly string[]): void {
    this.nand.busy.uncharged(() => {
      for (const { partition, bytes } of factoryImages(firmwareOf(identity, this.geometry))) {
        if (only !== undefined && !only.includes(partition)) continue;
        this.#writePartition(partition, bytes);
      }
    });
  }

  /** The unit's calibration, made for `identity`'s firmware. */
  writeCalibration(identity: ModuleIdentity, madeFor: Pick<ModuleIdentity, 'revision' | 'subVersion'> = identity): void {
    this.nand.busy.uncharged(() => {
      this.#writePartition(CALIBRATION_PARTITION, calibrationImage(firmwareOf({ ...identity, ...madeFor }, this.geometry), identity.imei));
    });
  }

  /** A page of `partition` left torn (unreadable), as a cut during its write leaves it. */
  tear(partition: string): void {
    const spec = this.table.get(partition);
    const first = this.table.firstPage(spec);
    for (let page = first; page < first + this.table.pageCount(spec); page += 1) {
      if (this.nand.isBadBlock(this.nand.blockOfPage(page))) continue;
      this.nand.markUncorrectable(page);
      return;
    }
  }

  /** Every good block of `partition` erased. */
  erase(partition: string): void {
    const spec = this.table.get(partition);
    this.nand.busy.uncharged(() => {
      for (let block = spec.startBlock; block < spec.startBlock + spec.blockCount; block += 1) this.nand.eraseBlock(block);
    });
  }

  /** Saves the NAND into <stateDir>/nand (only what changed); saves queue behind each other. */
  save(): Promise<void> {
    const run = this.#saving.then(() => saveNand(this.nand, this.dir));
    this.#saving = run.catch(() => undefined);
    return run;
  }

  /** Laid down as the programmer writes (edl sheet §2.4): bad blocks skipped, the data moves on to the next good block. */
  #writePartition(partition: string, bytes: Uint8Array): void {
    this.erase(partition);
    const spec = this.table.get(partition);
    const { pageSize } = this.nand.geometry;
    const first = this.table.firstPage(spec);
    let offset = 0;
    for (let page = first; page < first + this.table.pageCount(spec) && offset < bytes.length; page += 1) {
      if (this.nand.isBadBlock(this.nand.blockOfPage(page))) continue;
      const data = new Uint8Array(pageSize).fill(0xff);
      data.set(bytes.subarray(offset, offset + pageSize));
      this.nand.programPage(page, data);
      offset += pageSize;
    }
  }

  #inspect(): FlashVerdict {
    let boot: FlashVerdict['boot'] = 'normal';
    let failed: FlashVerdict['failed'];
    for (const stage of BOOT_CHAIN) {
      const result = inspectPartitionImage(this.nand, this.table, stage.partition);
      if (result.valid) continue;
      boot = stage.onFailure;
      failed = { partition: stage.partition, detail: result.detail };
      break;
    }
    const modem = inspectPartitionImage(this.nand, this.table, REVISION_PARTITION);
    const efs = inspectPartitionImage(this.nand, this.table, CALIBRATION_PARTITION);
    const revision = modem.valid ? modem.revision : undefined;
    const calibratedFor = efs.valid ? efs.revision : undefined;
    const calibration = !efs.valid ? 'lost' : revision !== undefined && baselineOf(revision) !== baselineOf(efs.revision) ? 'wrong-baseline' : 'ok';
    const verdict: FlashVerdict = { boot, ...(failed === undefined ? {} : { failed }), revision, subVersion: modem.valid ? modem.subVersion : undefined, calibration, calibratedFor };
    if (this.#logger !== undefined) logDebug(this.#logger, 'sim: NAND inspected', { ...verdict });
    return verdict;
  }
}

/** The package model (ATI's name) of a module variant. */
export function firmwareOf(identity: Pick<ModuleIdentity, 'model' | 'revision' | 'subVersion'>, geometry: NandPresetName = 'p4K_b256K'): FactoryFirmware {
  const model = identity.model.includes('-') ? modelSpec(identity.model).atiName : identity.model;
  return { model, revision: identity.revision, subVersion: identity.subVersion, geometry };
}
