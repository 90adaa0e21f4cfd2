// A package written into the simulator's NAND the way the rawprogram says — erase the partition,
// program the file page by page, padded with 0x00 like QFirehose (edl sheet §2.4) — lands where
// the NAND model's partition table looks, and the boot logic can check it there.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { NandFlash } from '../../../src/sim/nand/nand-flash.js';
import { nandGeometry } from '../../../src/sim/nand/nand-geometry.js';
import { bootImageLooksValid, readPartitionImage } from '../../../src/sim/nand/partition-state.js';
import { MODULE_NAND_BYTES } from '../../../src/sim/module-flash.js';
import { EC25_PARTITION_LAYOUT, PartitionTable, partitionLayout } from '../../../src/sim/nand/partition-table.js';
import type { ImageInspection } from '../../../src/sim/package/image-format.js';
import { inspectPartitionImage } from '../../../src/sim/package/partition-image.js';
import { makePackage } from '../../../src/sim/package/make-package.js';
import { programElements, readText, resolveProgramFile } from '../../helpers/package-audit.js';
import { tempDir } from '../../helpers/wait.js';

interface Flashed {
  readonly nand: NandFlash;
  readonly table: PartitionTable;
}

async function flashPackage(dir: string, preset: 'p4K_b256K' | 'p2K_b128K', options: { stopAfterPages?: Map<number, number> } = {}): Promise<Flashed> {
  const geometry = nandGeometry({ preset, totalBytes: MODULE_NAND_BYTES });
  const nand = new NandFlash({ geometry, timeScale: 0 });
  const table = PartitionTable.create(partitionLayout(preset), geometry);
  const xml = (await readText(dir, `update/firehose/rawprogram_nand_${preset}_update.xml`)) ?? '';
  for (const program of programElements(xml)) {
    const path = resolveProgramFile(program.filename);
    assert.ok(path !== undefined);
    const bytes = await readFile(join(dir, path));
    const firstBlock = program.startSector / geometry.pagesPerBlock;
    for (let block = firstBlock; block < firstBlock + program.sectors / geometry.pagesPerBlock; block += 1) assert.equal(nand.eraseBlock(block), 'ok');
    const pages = Math.min(Math.ceil(bytes.length / geometry.pageSize), options.stopAfterPages?.get(program.startSector) ?? Infinity);
    for (let index = 0; index < pages; index += 1) {
      const page = new Uint8Array(geometry.pageSize);
      page.set(bytes.subarray(index * geometry.pageSize, (index + 1) * geometry.pageSize));
      assert.equal(nand.programPage(program.startSector + index, page), 'ok');
    }
  }
  return { nand, table };
}

function inspectPartition({ nand, table }: Flashed, name: string): ImageInspection {
  return inspectPartitionImage(nand, table, name);
}

describe('a package flashed into the simulated NAND', () => {
  for (const preset of ['p4K_b256K', 'p2K_b128K'] as const) {
    it(`holds a valid image in every programmed partition (${preset})`, async () => {
      await using dir = await tempDir();
      await makePackage(dir.path, { geometry: preset, size: 'small', revision: 'EC25AFAR05A04M4G' });
      const flashed = await flashPackage(dir.path, preset);
      const expected: [string, string][] = [
        ['sbl', 'sbl1.mbn'],
        ['mibib', `partition_complete_${preset}.mbn`],
        ['tz', 'tz.mbn'],
        ['rpm', 'rpm.mbn'],
        ['aboot', 'appsboot.mbn'],
        ['boot', 'mdm9607-perf-boot.img'],
        ['recovery', 'mdm9607-perf-boot.img'],
        ['recoveryfs', 'mdm-perf-recovery-image-mdm9607-perf.ubi'],
        ['recoveryfs_b', 'mdm-perf-recovery-image-mdm9607-perf.ubi'],
        ['modem', 'NON-HLOS.ubi'],
        ['qdsp6sw_b', 'NON-HLOS.ubi'],
        ['system', 'mdm9607-perf-sysfs.ubi'],
        ['sys_back', 'mdm9607-perf-sysfs.ubi'],
      ];
      for (const [partition, image] of expected) {
        const result = inspectPartition(flashed, partition);
        assert.deepEqual([result.valid, result.image, result.revision], [true, image, 'EC25AFAR05A04M4G'], partition);
      }
      assert.equal(inspectPartition(flashed, 'efs2').valid, false, 'efs2 is not written');
      assert.equal(bootImageLooksValid(flashed.nand, flashed.table), true, "the NAND model's own sbl check passes");
    });
  }

  it('shows an erased sbl as erased, and a modem write cut short as corrupt', async () => {
    await using dir = await tempDir();
    await makePackage(dir.path, { size: 'small' });
    const modemStart = (EC25_PARTITION_LAYOUT.find((spec) => spec.name === 'modem')?.startBlock ?? 0) * 64;
    const flashed = await flashPackage(dir.path, 'p4K_b256K', { stopAfterPages: new Map([[modemStart, 2]]) });
    const modem = inspectPartition(flashed, 'modem');
    assert.deepEqual([modem.valid, modem.valid ? '' : modem.reason, modem.revision], [false, 'checksum-mismatch', 'EC25AFAR05A04M4G']);
    for (let block = 0; block < 10; block += 1) flashed.nand.eraseBlock(block);
    const sbl = inspectPartition(flashed, 'sbl');
    assert.equal(sbl.valid ? 'valid' : sbl.reason, 'erased');
  });

  it('carries the partition table edl reads at sector 640: MIBIB magic, then the table on the next page', async () => {
    await using dir = await tempDir();
    await makePackage(dir.path, { size: 'small' });
    const { nand, table } = await flashPackage(dir.path, 'p4K_b256K');
    const mibib = Buffer.from(readPartitionImage(nand, table, 'mibib', 3 * 4096));
    assert.deepEqual([mibib.readUInt32LE(0), mibib.readUInt32LE(4)], [0xfe569fac, 0xcd7f127a]);
    const page1 = mibib.subarray(4096);
    assert.deepEqual([page1.readUInt32LE(0), page1.readUInt32LE(4)], [0x55ee73aa, 0xe35ebddb]);
    const count = page1.readUInt32LE(12);
    const entries = Array.from({ length: count }, (_, index) => {
      const at = 16 + index * 28;
      const name = page1.subarray(at, at + 16).toString('latin1').replace(/\0+$/, '');
      return { name, start: page1.readUInt32LE(at + 16), blocks: page1.readUInt32LE(at + 20), attr3: page1[at + 26] };
    });
    assert.deepEqual(
      entries.map((entry) => [entry.name.slice(2).toLowerCase(), entry.start, entry.blocks]),
      EC25_PARTITION_LAYOUT.map((spec) => [spec.name, spec.startBlock, spec.blockCount]),
    );
    const efs2 = entries.find((entry) => entry.name === '0:EFS2');
    assert.deepEqual([(efs2?.start ?? 0) * 256 * 1024, (efs2?.blocks ?? 0) * 256 * 1024, efs2?.attr3], [0x500000, 0x1600000, 0xff]);
  });
});
