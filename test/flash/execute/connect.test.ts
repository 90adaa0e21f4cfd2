import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { MemoryLogger } from '../../../src/core/logger.js';
import { connectEdl } from '../../../src/flash/execute/connect.js';
import { makePackage } from '../../../src/sim/package/index.js';
import { edlLink, FACTORY_REVISION, factoryModule, FAST_TIMEOUTS, writePages, type SimModule } from '../../helpers/edl-module.js';
import { tempDir } from '../../helpers/wait.js';

// Connecting reads the module's own partition table before anything is planned. It is at sector
// 640 on the EC25's 4 KiB-page NAND; qdl also looks at 1024 and 2048 (linux-msm/qdl gpt.c), and
// so does medic, so a module whose MIBIB sits elsewhere is still planned from its own table.

let work: Awaited<ReturnType<typeof tempDir>>;
let programmer: () => Promise<Uint8Array>;

before(async () => {
  work = await tempDir();
  const pkg = join(work.path, FACTORY_REVISION);
  await makePackage(pkg, { size: 'small', revision: FACTORY_REVISION });
  programmer = async () => new Uint8Array(await readFile(join(pkg, 'update', 'firehose', 'prog_nand_firehose_9x07.mbn')));
});
after(async () => {
  await work.remove();
});

/** The MIBIB's 4 pages moved from sector 640 (block 10) to `sector`; block 10 left erased. */
function moveMibib(module: SimModule, sector: number): void {
  const pages: Uint8Array[] = [];
  for (let page = 640; page < 644; page += 1) {
    const read = module.nand.readPage(page);
    assert.ok(read.status === 'data', `page ${page} holds the table`);
    pages.push(read.data);
  }
  const bytes = new Uint8Array(pages.reduce((sum, page) => sum + page.length, 0));
  pages.reduce((at, page) => (bytes.set(page, at), at + page.length), 0);
  module.nand.eraseBlock(10);
  writePages(module.nand, sector, bytes);
}

async function connectTo(module: SimModule): Promise<{ names: string[] | undefined; logs: string }> {
  const link = edlLink(module);
  const logger = new MemoryLogger();
  const connection = await connectEdl(link.host, { programmer, logger, ...FAST_TIMEOUTS });
  await link.host.close();
  return { names: connection.moduleTable?.partitions.map((partition) => partition.name), logs: logger.records.map((record) => record.message).join('\n') };
}

describe('connectEdl: the module\'s own partition table', () => {
  it('is read at sector 640, and found at 1024 or 2048 when it was moved there', async () => {
    const atHome = await connectTo(await factoryModule(work.path));
    assert.ok(atHome.names?.includes('efs2'), atHome.logs);
    assert.match(atHome.logs, /partition table \(sector 640\) lists/);
    for (const sector of [1024, 2048]) {
      const module = await factoryModule(work.path);
      moveMibib(module, sector);
      const moved = await connectTo(module);
      assert.deepEqual(moved.names, atHome.names, `the same table, read at ${sector}`);
      assert.match(moved.logs, new RegExp(`partition table \\(sector ${sector}\\) lists`));
    }
  });

  it('is reported missing when no candidate sector holds one, so the plan falls back to the package\'s', async () => {
    const module = await factoryModule(work.path);
    module.nand.eraseBlock(10);
    const missing = await connectTo(module);
    assert.equal(missing.names, undefined);
    assert.match(missing.logs, /no partition table on the module at sectors 640, 1024, 2048/);
  });
});
