import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parsePatchXml } from '../../../src/flash/package/patch.js';
import { parseRawprogram } from '../../../src/flash/package/rawprogram.js';
import { patchXml, rawprogramXml } from '../../helpers/ec25-package.js';

const FILE = 'update/firehose/rawprogram_nand_p4K_b256K_update.xml';

function codes(problems: readonly { readonly code: string }[]): string[] {
  return problems.map((entry) => entry.code);
}

describe('rawprogram XML as Quectel writes it (quectel-ec25.md §2.7)', () => {
  it('reads erase and program lines, converts ..\\ paths, skips empty file names and keeps vendor lines', () => {
    const { rawprogram, problems } = parseRawprogram(rawprogramXml(), FILE);
    assert.deepEqual(problems, []);
    assert.equal(rawprogram.programs.length, 13);
    assert.equal(rawprogram.erases.length, 13);
    const sbl = rawprogram.programs[0] ?? assert.fail();
    assert.equal(sbl.filename, '..\\sbl1.mbn');
    assert.deepEqual(sbl.candidates, ['update/sbl1.mbn']);
    assert.equal(sbl.startSector, 0);
    assert.equal(sbl.numSectors, 640);
    assert.equal(sbl.sectorSize, 4096);
    assert.equal(sbl.pagesPerBlock, 64);
    assert.equal(sbl.label, 'sbl');
    const mibib = rawprogram.programs[1] ?? assert.fail();
    assert.deepEqual(mibib.candidates, ['update/firehose/partition_complete_p4K_b256K.mbn', 'update/partition_complete_p4K_b256K.mbn']);
    assert.equal(mibib.startSector, 640);
    // The efs2 line has filename="" — QFirehose skips it, so must we (it would erase calibration otherwise).
    assert.equal(rawprogram.skippedLines.length, 1);
    assert.equal(rawprogram.vendor.length, 1);
    const vendor = rawprogram.vendor[0] ?? assert.fail();
    assert.equal(vendor.tag, 'erase');
    assert.equal(vendor.attributes.c_project_name, 'EC25');
    assert.equal(vendor.attributes.vendor, 'quectel');
  });

  it('takes sparse attributes: a line carries only what it needs', () => {
    const xml = '<?xml version="1.0" ?>\n<data>\n<erase SECTOR_SIZE_IN_BYTES="4096" num_partition_sectors="64" start_sector="64."/>\n<program filename="x.mbn" start_sector="0x40"/>\n</data>\n';
    const { rawprogram, problems } = parseRawprogram(xml, FILE);
    assert.deepEqual(problems, []);
    const erase = rawprogram.erases[0] ?? assert.fail();
    const program = rawprogram.programs[0] ?? assert.fail();
    assert.equal(erase.startSector, 64);
    assert.equal(erase.pagesPerBlock, undefined);
    assert.equal(erase.physicalPartitionNumber, undefined);
    assert.equal(program.startSector, 64);
    assert.equal(program.numSectors, undefined);
  });

  it('skips an erase without SECTOR_SIZE_IN_BYTES, as QFirehose does (edl-protocols.md §2.9), and says so', () => {
    const xml = '<data>\n<erase num_partition_sectors="64" start_sector="64"/>\n</data>\n';
    const { rawprogram, problems } = parseRawprogram(xml, FILE);
    assert.equal(rawprogram.erases.length, 0);
    assert.deepEqual(codes(problems), ['ERASE_SKIPPED']);
    assert.equal(problems.at(0)?.severity, 'info');
  });

  it('refuses a truncated file and names the file and line', () => {
    const full = rawprogramXml();
    const cut = full.slice(0, full.indexOf('filename="..\\NON-HLOS.ubi"') + 12);
    const { problems } = parseRawprogram(cut, FILE);
    assert.deepEqual(codes(problems), ['XML_TRUNCATED', 'XML_TRUNCATED']);
    const first = problems[0] ?? assert.fail();
    assert.equal(first.file, FILE);
    assert.equal(first.line, cut.split('\r\n').length);
    assert.match(first.message, /rawprogram_nand_p4K_b256K_update\.xml line \d+: the file ends inside an element/);
    // Cut at a line boundary: no </data>.
    const lines = full.split('\r\n');
    const { problems: early } = parseRawprogram(lines.slice(0, 10).join('\r\n'), FILE);
    assert.deepEqual(codes(early), ['XML_TRUNCATED']);
    assert.match(early[0]?.message ?? '', /no closing <\/data>/);
    assert.deepEqual(codes(parseRawprogram('', FILE).problems), ['XML_TRUNCATED']);
  });

  it('refuses an element split over lines, garbage, duplicated attributes and non-numbers', () => {
    const xml = [
      '<data>',
      '<program filename="..\\sbl1.mbn"',
      '   start_sector="0"/>',
      'hello',
      '<erase SECTOR_SIZE_IN_BYTES="4096" SECTOR_SIZE_IN_BYTES="4096" num_partition_sectors="64" start_sector="0"/>',
      '<erase SECTOR_SIZE_IN_BYTES="4096" num_partition_sectors="NUM_DISK_SECTORS-33." start_sector="0"/>',
      '</data>',
    ].join('\n');
    const { rawprogram, problems } = parseRawprogram(xml, FILE);
    assert.deepEqual(codes(problems), ['XML_MALFORMED', 'XML_MALFORMED', 'XML_MALFORMED', 'XML_MALFORMED', 'XML_BAD_ATTRIBUTE']);
    assert.deepEqual(problems.map((entry) => entry.line), [2, 3, 4, 5, 6]);
    assert.equal(rawprogram.programs.length, 0);
    assert.equal(rawprogram.erases.length, 0);
  });

  it('refuses file names that leave the package: absolute, drive letters, .. above the root', () => {
    const xml = [
      '<data>',
      '<program filename="/etc/passwd" start_sector="0"/>',
      '<program filename="C:\\Windows\\evil.mbn" start_sector="0"/>',
      '<program filename="..\\..\\..\\..\\home\\user\\.ssh\\id_rsa" start_sector="0"/>',
      '<program filename="..\\..\\contents.xml" start_sector="0"/>',
      '</data>',
    ].join('\r\n');
    const { rawprogram, problems } = parseRawprogram(xml, FILE);
    assert.deepEqual(codes(problems), ['PATH_TRAVERSAL', 'PATH_TRAVERSAL', 'PATH_TRAVERSAL']);
    assert.deepEqual(problems.map((entry) => entry.line), [2, 3, 4]);
    assert.match(problems[2]?.message ?? '', /climbs out of the package/);
    // ..\..\contents.xml stays inside the package root: allowed.
    assert.deepEqual(rawprogram.programs.map((program) => program.candidates[0]), ['contents.xml']);
  });

  it('says "not a text file" once for binary garbage instead of one problem per line', () => {
    const garbage = String.fromCharCode(...Array.from({ length: 4000 }, (_, i) => (i * 37) % 256));
    const { problems } = parseRawprogram(garbage, FILE);
    assert.deepEqual(codes(problems), ['XML_MALFORMED']);
    assert.match(problems[0]?.message ?? '', /not a text file/);
  });
});

describe('patch XML (quectel-ec25.md §2.7)', () => {
  it('keeps only filename="DISK" lines for the device', () => {
    const xml = patchXml().replace('</data>', '  <patch SECTOR_SIZE_IN_BYTES="4096" byte_offset="16" filename="DISK" physical_partition_number="0" size_in_bytes="8" start_sector="5" value="0" what="disk"/>\r\n</data>');
    const { patches, problems } = parsePatchXml(xml, 'update/firehose/patch_p4K_b256K.xml');
    assert.deepEqual(problems, []);
    assert.equal(patches.hostLines.length, 1);
    assert.equal(patches.disk.length, 1);
    const disk = patches.disk[0] ?? assert.fail();
    assert.equal(disk.attributes.start_sector, '5');
    assert.equal(disk.attributes.what, 'disk');
  });
});
