import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { openPackage } from '../../../src/flash/package/open-package.js';
import { validatePackage, type PackageValidation } from '../../../src/flash/package/validate.js';
import { buildFlashPlan } from '../../../src/flash/plan/flash-plan.js';
import { CORRUPTION_KINDS, makePackage, type CorruptionKind } from '../../../src/sim/package/index.js';

// The simulator writes its packages with its own code (`medic sim make-package`, src/sim/package),
// from the same sheets; the host reads them with this one. Where the two meet, a package the
// simulator calls good validates and plans, and each defect it can make is refused with the code
// a user would look for.

const MODULE = { moduleRevision: 'EC25AFAR05A04M4G', storage: { pageSize: 4096, pagesPerBlock: 64, totalPages: 131072, badBlocks: [] } };

const EXPECTED: Readonly<Record<CorruptionKind, string>> = {
  'md5-mismatch': 'MD5_MISMATCH',
  'missing-file': 'FILE_MISSING',
  'truncated-xml': 'XML_TRUNCATED',
  'path-traversal': 'PATH_TRAVERSAL',
  'wrong-model': 'MODEL_MISMATCH',
  'oversized-image': 'FILE_TOO_LARGE',
  'not-elf-programmer': 'PROGRAMMER_NOT_ELF32_ARM',
};

let work: string;

before(async () => {
  work = await mkdtemp(join(tmpdir(), 'medic-simpkg-'));
});
after(async () => {
  await rm(work, { recursive: true, force: true });
});

async function validateSimPackage(name: string, kind?: CorruptionKind): Promise<{ validation: PackageValidation; close: () => Promise<void> }> {
  const dir = join(work, name);
  await makePackage(dir, { size: 'small', ...(kind === undefined ? {} : { corrupt: { kind } }) });
  const pkg = await openPackage(dir);
  return { validation: await validatePackage(pkg, MODULE), close: () => pkg.close() };
}

describe('packages written by the simulator\'s make-package', () => {
  it('a good one validates and plans, with efs2 found in its partition table', async () => {
    const { validation, close } = await validateSimPackage('good');
    try {
      assert.deepEqual(validation.problems.filter((entry) => entry.severity === 'error'), []);
      const validated = validation.validated ?? assert.fail();
      assert.equal(validated.revision.raw, 'EC25AFAR05A04M4G_01.001.01.001');
      const plan = buildFlashPlan(validated, { storage: MODULE.storage, unit: { serial: 1 }, backup: { root: join(work, 'b') } });
      const efs2 = plan.steps.find((step) => step.kind === 'backup' && step.partition === 'efs2');
      assert.equal(efs2?.kind === 'backup' ? efs2.region.startSector : undefined, 20 * 64);
      assert.equal(plan.steps.filter((step) => step.kind === 'program').at(-1)?.phase, 'program-sbl');
    } finally {
      await close();
    }
  });

  for (const kind of CORRUPTION_KINDS) {
    it(`${kind} is refused with ${EXPECTED[kind]}`, async () => {
      const { validation, close } = await validateSimPackage(kind, kind);
      try {
        assert.equal(validation.ok, false);
        assert.ok(validation.problems.some((entry) => entry.severity === 'error' && entry.code === EXPECTED[kind]), validation.problems.map((entry) => entry.code).join(', '));
      } finally {
        await close();
      }
    });
  }
});
