import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkProgrammerElf } from '../../../src/flash/package/elf-check.js';
import { geometryFromName } from '../../../src/flash/package/geometry.js';
import { identifyPackageRevision } from '../../../src/flash/package/package-revision.js';
import { checkRevisionFit } from '../../../src/flash/package/revision-check.js';
import { buildSyntheticElf } from '../../helpers/synthetic-elf.js';

const codes = (problems: readonly { readonly code: string }[]): string[] => problems.map((entry) => entry.code);

describe('which firmware a package is (quectel-ec25.md §2.6, §2.9)', () => {
  it('reads the revision from the folder or zip name and contents.xml, and they must agree', () => {
    const agreed = identifyPackageRevision({
      names: [{ source: 'zip name', name: 'EC25EFAR06A01M4G_20.200.20.200' }, { source: 'folder name', name: 'EC25EFAR06A01M4G' }],
      contentsXml: '<contents>\n<product_info><product_name>MDM9607.LE.2.0</product_name></product_info>\n<build_id>BOOT.BF.3.1.2-EC25EFAR06A01M4G</build_id>\n</contents>',
    });
    assert.deepEqual(agreed.problems, []);
    assert.equal(agreed.revision?.raw, 'EC25EFAR06A01M4G_20.200.20.200');
    assert.deepEqual(agreed.evidence.map((entry) => entry.source), ['zip name EC25EFAR06A01M4G_20.200.20.200', 'folder name EC25EFAR06A01M4G', 'contents.xml line 3']);
    const conflict = identifyPackageRevision({ names: [{ source: 'folder name', name: 'EC25EFAR06A01M4G' }], given: 'EC25EFAR08A01M4G' });
    assert.deepEqual(codes(conflict.problems), ['PACKAGE_REVISION_CONFLICT']);
    assert.equal(conflict.revision, undefined);
    assert.deepEqual(codes(identifyPackageRevision({ names: [{ source: 'folder name', name: 'firmware-new' }] }).problems), ['PACKAGE_REVISION_UNKNOWN']);
  });

  it('takes the sub-version the simulator\'s contents.xml carries', () => {
    const result = identifyPackageRevision({ names: [{ source: 'folder name', name: 'pkg' }], contentsXml: '<quectel_info>\n<revision>EC25AFAR05A04M4G</revision>\n<sub_version>01.001.01.001</sub_version>\n</quectel_info>' });
    assert.equal(result.revision?.raw, 'EC25AFAR05A04M4G_01.001.01.001');
  });
});

describe('may this package go on this module (quectel-ec25.md §2.9 baseline rule)', () => {
  const pkg = identifyPackageRevision({ names: [{ source: 'folder name', name: 'EC25EFAR06A01M4G_20.200.20.200' }] }).revision;

  it('passes the same model, letters, baseline and memory code; notes a downgrade within the baseline', () => {
    assert.deepEqual(codes(checkRevisionFit(pkg, 'EC25EFAR06A01M4G').problems), []);
    assert.deepEqual(codes(checkRevisionFit(pkg, 'EC25EFAR06A17M4G_20.200.20.200').problems), ['DOWNGRADE']);
  });

  it('flags each difference with its own code', () => {
    assert.deepEqual(codes(checkRevisionFit(pkg, 'EG25GGBR07A08M2G').problems), ['MODEL_MISMATCH', 'REGION_MISMATCH', 'MEMORY_CODE_MISMATCH', 'BASELINE_CHANGE']);
    assert.deepEqual(codes(checkRevisionFit(pkg, 'EC25EFAR06A01M2G').problems), ['MEMORY_CODE_MISMATCH']);
    assert.deepEqual(codes(checkRevisionFit(pkg, 'EC25EFAR02A09M4G').problems), ['BASELINE_CHANGE']);
    assert.deepEqual(codes(checkRevisionFit(pkg, 'EC25EFAR02A09M4G', { allowBaselineChange: true }).problems), ['BASELINE_CHANGE_ALLOWED']);
    assert.deepEqual(codes(checkRevisionFit(pkg, 'EC25EFAR06A01M4G_30.200.30.200').problems), ['SUFFIX_FAMILY_DIFFERS']);
    assert.deepEqual(codes(checkRevisionFit(pkg, 'Revision: garbage').problems), ['MODULE_REVISION_UNPARSEABLE']);
  });
});

describe('programmer ELF header and geometry names', () => {
  it('accepts a 32-bit little-endian ARM ELF and says why it refuses others', () => {
    assert.equal(checkProgrammerElf(buildSyntheticElf().bytes).ok, true);
    assert.match(checkProgrammerElf(buildSyntheticElf({ elfClass: 2 }).bytes).reason ?? '', /64-bit/);
    const mips = buildSyntheticElf().bytes;
    mips[18] = 8;
    assert.match(checkProgrammerElf(mips).reason ?? '', /e_machine 8/);
    assert.match(checkProgrammerElf(new Uint8Array(10)).reason ?? '', /only 10 bytes/);
  });

  it('reads p4K_b256K and p2K_b128K from file names', () => {
    assert.deepEqual(geometryFromName('rawprogram_nand_p4K_b256K_update.xml'), { pageSize: 4096, pagesPerBlock: 64, token: 'p4K_b256K' });
    assert.deepEqual(geometryFromName('patch_p2K_b128K.xml'), { pageSize: 2048, pagesPerBlock: 64, token: 'p2K_b128K' });
    assert.equal(geometryFromName('rawprogram0.xml'), undefined);
  });
});
