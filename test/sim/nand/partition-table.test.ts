import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isMedicError } from '../../../src/core/errors.js';
import { NandFlash } from '../../../src/sim/nand/nand-flash.js';
import { nandGeometry } from '../../../src/sim/nand/nand-geometry.js';
import { bootImageLooksValid, inspectPartition, isPartitionErased, readPartitionImage } from '../../../src/sim/nand/partition-state.js';
import { EC25_PARTITION_LAYOUT, layoutBytes, PartitionTable, partitionLayout } from '../../../src/sim/nand/partition-table.js';

describe('partition table', () => {
  it('places the EC25 partitions of the sheet: sbl at 0, MIBIB at sector 640, efs2 at 0x500000 (+0x1600000)', () => {
    const geometry = nandGeometry();
    const table = PartitionTable.create(EC25_PARTITION_LAYOUT, geometry);
    const blockBytes = geometry.pageSize * geometry.pagesPerBlock;
    assert.equal(table.firstPage(table.get('sbl')), 0);
    assert.equal(table.firstPage(table.get('mibib')), 640);
    const efs2 = table.get('efs2');
    assert.equal(efs2.startBlock * blockBytes, 0x500000);
    assert.equal(efs2.blockCount * blockBytes, 0x1600000);
    assert.deepEqual(table.list().map((p) => p.name).slice(0, 3), ['sbl', 'mibib', 'efs2']);
    assert.equal(table.atBlock(25)?.name, 'efs2');
    assert.ok(PartitionTable.create(EC25_PARTITION_LAYOUT, nandGeometry({ preset: 'p2K_b128K' })));
  });

  it('gives p2K_b128K the same bytes per partition: twice the 128 KiB blocks, efs2 still at 0x500000 (+0x1600000)', () => {
    const p4k = partitionLayout('p4K_b256K');
    const p2k = partitionLayout('p2K_b128K');
    assert.equal(p4k, EC25_PARTITION_LAYOUT);
    assert.deepEqual(p2k.map((spec) => spec.name), p4k.map((spec) => spec.name));
    for (const [index, spec] of p2k.entries()) {
      const reference = p4k[index];
      assert.ok(reference !== undefined);
      assert.deepEqual([spec.startBlock * 128 * 1024, spec.blockCount * 128 * 1024], [reference.startBlock * 256 * 1024, reference.blockCount * 256 * 1024], spec.name);
    }
    const efs2 = p2k.find((spec) => spec.name === 'efs2');
    assert.deepEqual([(efs2?.startBlock ?? 0) * 128 * 1024, (efs2?.blockCount ?? 0) * 128 * 1024], [0x500000, 0x1600000]);
    // Both need a 512 MiB chip; the 256 MiB p2K_b128K preset is too small for it.
    assert.equal(layoutBytes(p2k, 128 * 1024), 512 * 1024 * 1024);
    assert.equal(layoutBytes(p4k, 256 * 1024), 512 * 1024 * 1024);
    assert.ok(PartitionTable.create(p2k, nandGeometry({ preset: 'p2K_b128K', totalBytes: 512 * 1024 * 1024 })));
    assert.throws(() => PartitionTable.create(p2k, nandGeometry({ preset: 'p2K_b128K' })), /beyond the 2048-block NAND/);
  });

  it('refuses overlaps, duplicates, unknown names and layouts bigger than the chip', () => {
    const small = nandGeometry({ totalBytes: 4 * 1024 * 1024 });
    const code = (fn: () => unknown): string | undefined => {
      try {
        fn();
      } catch (error) {
        return isMedicError(error) ? error.code : 'other';
      }
      return undefined;
    };
    assert.equal(code(() => PartitionTable.create(EC25_PARTITION_LAYOUT, small)), 'SIM_NAND_PARTITION');
    assert.equal(code(() => PartitionTable.create([{ name: 'a', startBlock: 0, blockCount: 4 }, { name: 'b', startBlock: 3, blockCount: 2 }], small)), 'SIM_NAND_PARTITION');
    assert.equal(code(() => PartitionTable.create([{ name: 'a', startBlock: 0, blockCount: 1 }, { name: 'a', startBlock: 1, blockCount: 1 }], small)), 'SIM_NAND_PARTITION');
    assert.equal(code(() => PartitionTable.create([{ name: 'a', startBlock: 0, blockCount: 1 }], small).get('efs2')), 'SIM_NAND_PARTITION');
  });
});

describe('partition state', () => {
  const geometry = nandGeometry({ totalBytes: 4 * 1024 * 1024 }); // 16 blocks
  const layout = [
    { name: 'sbl', startBlock: 0, blockCount: 3 },
    { name: 'mibib', startBlock: 3, blockCount: 1 },
    { name: 'efs2', startBlock: 4, blockCount: 4 },
  ];
  const table = PartitionTable.create(layout, geometry);
  const elfPage = (): Uint8Array => {
    const p = new Uint8Array(4096).fill(0x42);
    p.set([0x7f, 0x45, 0x4c, 0x46]);
    return p;
  };

  it('tells an erased partition from a written one and from one with a torn page', () => {
    const nand = new NandFlash({ geometry, timeScale: 0 });
    assert.ok(isPartitionErased(nand, table, 'efs2'));
    nand.programPage(4 * 64 + 2, new Uint8Array(4096).fill(1));
    const written = inspectPartition(nand, table, 'efs2');
    assert.equal(written.state, 'programmed');
    assert.equal(written.programmedPages, 1);
    assert.equal(written.lastProgrammedPage, 2);
    nand.markUncorrectable(4 * 64 + 3);
    const torn = inspectPartition(nand, table, 'efs2');
    assert.equal(torn.state, 'damaged');
    assert.deepEqual(torn.uncorrectablePages, [4 * 64 + 3]);
  });

  it('reads a partition image the way the programmer wrote it around a bad block', () => {
    const nand = new NandFlash({ geometry, badBlocks: [1], timeScale: 0 });
    for (let p = 0; p < 64; p += 1) nand.programPage(p, new Uint8Array(4096).fill(0xa0));
    nand.programPage(2 * 64, new Uint8Array(4096).fill(0xa1)); // block 1 is bad: data moved on
    const image = readPartitionImage(nand, table, 'sbl', 65 * 4096);
    assert.equal(image[64 * 4096 - 1], 0xa0);
    assert.equal(image[64 * 4096], 0xa1);
    assert.deepEqual(inspectPartition(nand, table, 'sbl').badBlocks, [1]);
  });

  it('says whether the boot chain looks bootable: ELF at sbl, no torn page, or the expected bytes', () => {
    const nand = new NandFlash({ geometry, timeScale: 0 });
    assert.equal(bootImageLooksValid(nand, table), false);
    nand.programPage(0, elfPage());
    nand.programPage(1, new Uint8Array(4096).fill(7));
    assert.equal(bootImageLooksValid(nand, table), true);
    const expected = new Uint8Array(2 * 4096);
    expected.set(elfPage());
    expected.fill(7, 4096);
    assert.equal(bootImageLooksValid(nand, table, { expected }), true);
    expected[5000] = 8;
    assert.equal(bootImageLooksValid(nand, table, { expected }), false);
    nand.markUncorrectable(2);
    assert.equal(bootImageLooksValid(nand, table), false);
  });
});
