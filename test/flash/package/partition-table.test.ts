import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { findPartition, parseNandPartitionTable, partitionAtSector, partitionSectors } from '../../../src/flash/package/partition-table.js';
import { buildMibib, EC25_PARTITIONS } from '../../helpers/ec25-package.js';

describe('NAND partition table (MIBIB, edl-protocols.md §2.9)', () => {
  it('finds the table in partition_complete_p4K_b256K.mbn and reads the EC25 layout of the sheet', () => {
    const table = parseNandPartitionTable(buildMibib()) ?? assert.fail('no table');
    assert.equal(table.offset, 4096);
    assert.equal(table.partitions.length, EC25_PARTITIONS.length);
    const efs2 = findPartition(table, 'efs2');
    assert.deepEqual(efs2 && { name: efs2.name, rawName: efs2.rawName, startBlock: efs2.startBlock, blockCount: efs2.blockCount, attributes: efs2.attributes }, {
      name: 'efs2', rawName: '0:EFS2', startBlock: 20, blockCount: 88, attributes: [0xff, 0x01, 0xff],
    });
    assert.deepEqual(partitionSectors(efs2 ?? assert.fail(), 64), { startSector: 1280, numSectors: 5632 });
    assert.equal(findPartition(table, 'qdsp6sw_b')?.rawName, '0:qdsp6sw_B');
    // The last partition runs to the end of the chip (length all ones).
    const system = findPartition(table, 'system') ?? assert.fail();
    assert.equal(system.blockCount, undefined);
    assert.equal(partitionSectors(system, 64), undefined);
    assert.deepEqual(partitionSectors(system, 64, 2048), { startSector: 1204 * 64, numSectors: 844 * 64 });
    assert.equal(partitionAtSector(table, 1280 + 100, 64)?.name, 'efs2');
    assert.equal(partitionAtSector(table, 0, 64)?.name, 'sbl');
  });

  it('finds the table at 2 KiB pages too (DEFC: entries at 0x810)', () => {
    const table = parseNandPartitionTable(buildMibib(EC25_PARTITIONS, 2048, 128 * 1024)) ?? assert.fail('no table');
    assert.equal(table.offset, 2048);
    assert.equal(findPartition(table, 'efs2')?.startBlock, 40);
  });

  it('says nothing about bytes that hold no table: erased flash, garbage, a cut-off table', () => {
    assert.equal(parseNandPartitionTable(new Uint8Array(16384).fill(0xff)), undefined);
    assert.equal(parseNandPartitionTable(Uint8Array.from({ length: 16384 }, (_, i) => (i * 97) & 0xff)), undefined);
    assert.equal(parseNandPartitionTable(buildMibib().subarray(0, 4096 + 100)), undefined);
    const unprintable = buildMibib();
    unprintable[4096 + 16] = 0x01;
    assert.equal(parseNandPartitionTable(unprintable), undefined);
  });
});
