import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseStorageInfo } from '../../../src/protocols/firehose/storage-info.js';
import { SupportedFunctionsCollector } from '../../../src/protocols/firehose/startup.js';

describe('getstorageinfo and start-up logs (edl-protocols.md §2.2, §2.7)', () => {
  it('reads the boot.bf NAND build\'s KEY = value lines, without inventing block geometry', () => {
    const info = parseStorageInfo([
      '[FLASH_INFO]',
      'FLASH_NAME=TOSHIBA_NAND',
      'SECTOR_SIZE_IN_BYTES = 4096',
      'NUM_PARTITION_SECTORS = 131072',
      'num_physical_partitions = 1',
      'TOTAL_SECTOR_SIZE_IN_BYTES= 4320',
      '[BAD_BLOCK_LIST]',
      'BAD_BLOCK=17',
      'BAD_BLOCK=0x3ff',
      'TOTAL_BAD_BLOCK=2',
    ]);
    assert.equal(info.pageSize, 4096);
    assert.equal(info.totalPages, 131072);
    assert.equal(info.totalSectorSize, 4320);
    assert.equal(info.flashName, 'TOSHIBA_NAND');
    assert.equal(info.physicalPartitions, 1);
    assert.deepEqual(info.badBlocks, [17, 0x3ff]);
    assert.equal(info.totalBadBlocks, 2);
    assert.equal(info.pagesPerBlock, undefined);
    assert.equal(info.totalBlocks, undefined);
  });

  it('reads the JSON storage_info of newer programmers', () => {
    const info = parseStorageInfo(['INFO: {"storage_info": {"total_blocks":2048,"block_size":262144,"page_size":4096,"num_physical":1,"mem_type":"NAND","prod_name":"NM14FSK2LAXCL"}}']);
    assert.equal(info.totalBlocks, 2048);
    assert.equal(info.pageSize, 4096);
    assert.equal(info.blockSize, 262144);
    assert.equal(info.pagesPerBlock, 64);
    assert.equal(info.memoryType, 'NAND');
    assert.equal(info.flashName, 'NM14FSK2LAXCL');
  });

  it('collects the function list in both formats', () => {
    const old = new SupportedFunctionsCollector();
    old.push('Binary build date: Mar 27 2019 @ 03:21:31');
    old.push('Supported Functions: program configure power benchmark read getstorageinfo erase nop ');
    assert.deepEqual(old.functions, ['program', 'configure', 'power', 'benchmark', 'read', 'getstorageinfo', 'erase', 'nop']);
    const sdx = new SupportedFunctionsCollector();
    for (const line of ['Supported Functions (3):', 'program', 'configure', 'erase', 'End of supported functions 3', 'Chip serial num: 1']) sdx.push(line);
    assert.deepEqual(sdx.functions, ['program', 'configure', 'erase']);
  });
});
