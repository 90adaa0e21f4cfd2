import assert from 'node:assert/strict';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { XMLParser } from 'fast-xml-parser';
import { makePackage } from '../../../src/sim/package/make-package.js';
import { partitionLayout } from '../../../src/sim/nand/partition-table.js';
import { programElements, readText, resolveProgramFile } from '../../helpers/package-audit.js';
import { tempDir } from '../../helpers/wait.js';
import { xmlProblem } from '../../helpers/xml-well-formed.js';

// quectel sheet §2.7 / edl sheet §2.9: QFirehose reads the rawprogram line by line, so each
// element is on its own line; DEFC's real EC25 line is the model for the attributes.
const ELEMENT_LINE = /^\s*<(erase|program) [^<>]*\/>$/;

describe('makePackage: rawprogram and patch XML', () => {
  for (const [geometry, pageSize] of [['p4K_b256K', 4096], ['p2K_b128K', 2048]] as const) {
    describe(geometry, () => {
      let dir: { path: string; remove: () => Promise<void> };
      let rawprogram = '';
      before(async () => {
        dir = await tempDir();
        await makePackage(dir.path, { geometry, size: 'small' });
        rawprogram = (await readText(dir.path, `update/firehose/rawprogram_nand_${geometry}_update.xml`)) ?? '';
      });
      after(() => dir.remove());

      it('is well-formed XML with one element per line inside <data>', () => {
        assert.equal(xmlProblem(rawprogram), undefined);
        assert.notEqual(xmlProblem(rawprogram.slice(0, -12)), undefined, 'the check notices a cut-off copy');
        const lines = rawprogram.split('\n').filter((line) => line.trim().length > 0);
        assert.equal(lines[0], '<?xml version="1.0" ?>');
        assert.equal(lines[1], '<data>');
        assert.equal(lines.at(-1), '</data>');
        for (const line of lines.slice(2, -1)) assert.match(line, ELEMENT_LINE);
      });

      it('writes the lines the way DEFC shows a real one: attributes in ASCII order, pages as sectors', () => {
        const mibib = rawprogram.split('\n').find((line) => line.includes('partition_complete'));
        // Sector 640 on p4K_b256K (edl sheet §2.9); the same bytes, twice the pages, on p2K_b128K (partitionLayout).
        const sectors = geometry === 'p4K_b256K' ? 640 : 1280;
        assert.equal(
          mibib,
          `  <program PAGES_PER_BLOCK="64" SECTOR_SIZE_IN_BYTES="${pageSize}" filename="partition_complete_${geometry}.mbn" num_partition_sectors="${sectors}" physical_partition_number="0" start_sector="${sectors}"/>`,
        );
      });

      it('references every image with a Windows ..\\ path that resolves to a file of the package', async () => {
        const programs = programElements(rawprogram);
        assert.ok(programs.length >= 10);
        for (const program of programs) {
          if (!program.filename.startsWith('partition_complete')) assert.match(program.filename, /^\.\.\\[^\\/]+$/);
          const path = resolveProgramFile(program.filename);
          assert.ok(path !== undefined, program.filename);
          const info = await stat(join(dir.path, path));
          assert.ok(info.size <= program.sectors * program.sectorSize, `${path} fits its partition`);
          assert.equal(program.sectorSize, pageSize);
        }
      });

      it('programs the partitions of the NAND model, sbl at sector 0 and never efs2', () => {
        const layout = partitionLayout(geometry);
        const byStart = new Map(layout.map((spec) => [spec.startBlock * 64, spec]));
        const programs = programElements(rawprogram);
        const labels = programs.map((program) => {
          const spec = byStart.get(program.startSector);
          assert.ok(spec !== undefined, `start_sector ${program.startSector} is a partition start`);
          assert.equal(program.sectors, spec.blockCount * 64);
          return spec.name;
        });
        assert.deepEqual(labels, ['sbl', 'mibib', 'tz', 'rpm', 'aboot', 'boot', 'recovery', 'recoveryfs_b', 'modem', 'recoveryfs', 'qdsp6sw_b', 'sys_back', 'system']);
        assert.equal(programs[0]?.filename, '..\\sbl1.mbn');
        const efs2 = (layout.find((spec) => spec.name === 'efs2')?.startBlock ?? 0) * 64;
        assert.ok(efs2 > 0 && !rawprogram.includes(`start_sector="${efs2}"`), 'efs2 is neither erased nor programmed');
      });

      it('erases each programmed partition, block-aligned, before its program line', () => {
        const lines = rawprogram.split('\n').filter((line) => ELEMENT_LINE.test(line));
        const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' });
        for (let index = 0; index < lines.length; index += 1) {
          const line = lines[index] ?? '';
          if (!line.includes('<program')) continue;
          const start = /start_sector="(\d+)"/.exec(line)?.[1];
          const erase = lines.slice(0, index).find((earlier) => earlier.includes('<erase') && earlier.includes(`start_sector="${start ?? ''}"`));
          assert.ok(erase !== undefined, `an erase precedes ${line}`);
          const attrs = (parser.parse(erase) as { erase: Record<string, string> }).erase;
          assert.equal(Number(attrs.start_sector) % 64, 0);
          assert.equal(Number(attrs.num_partition_sectors) % 64, 0);
          assert.equal(attrs.PAGES_PER_BLOCK, '64');
        }
      });

      it('ships a patch file that parses and sends nothing to a NAND programmer', async () => {
        const patch = (await readText(dir.path, `update/firehose/patch_${geometry}.xml`)) ?? '';
        assert.equal(xmlProblem(patch), undefined);
        assert.ok(!/filename="DISK"/.test(patch), 'no DISK patch lines (QFirehose would send them)');
      });

      it('ships a contents.xml and partition_nand.xml that parse and name the package', async () => {
        const contents = (await readText(dir.path, 'contents.xml')) ?? '';
        assert.equal(xmlProblem(contents), undefined);
        const info = (new XMLParser().parse(contents) as { contents: { quectel_info: Record<string, string> } }).contents.quectel_info;
        assert.deepEqual(info, { model: 'EC25', revision: 'EC25AFAR05A04M4G', sub_version: '01.001.01.001', storage_type: 'nand', nand_geometry: geometry });
        const partitions = (await readText(dir.path, 'update/partition_nand.xml')) ?? '';
        assert.equal(xmlProblem(partitions), undefined);
        const names = (new XMLParser().parse(partitions) as { nandboot: { partitions: { partition: { name: string }[] } } }).nandboot.partitions.partition.map((p) => p.name);
        assert.deepEqual(names.slice(0, 3), ['0:SBL', '0:MIBIB', '0:EFS2']);
        assert.equal(names.length, partitionLayout(geometry).length);
      });
    });
  }
});
