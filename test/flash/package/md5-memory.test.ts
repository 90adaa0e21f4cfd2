import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import yazl from 'yazl';
import { md5OfPackageFile } from '../../../src/flash/package/md5-stream.js';
import { openPackage } from '../../../src/flash/package/open-package.js';

// A package's images are ~90 MB (quectel-ec25.md §2.6): hashing one must not hold it in memory.
// Measured as the growth of the resident set while a 50 MB image is hashed, against a baseline
// taken after a full garbage collection — a memory bound, not a timing.

const SIZE = 50 * 1024 * 1024;
const CHUNK = 1024 * 1024;
/** Well under the file size: a whole-file buffer (or two) would blow through it. */
const LIMIT = 20 * 1024 * 1024;

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

let work: string;
let expectedMd5: string;

before(async () => {
  work = await mkdtemp(join(tmpdir(), 'medic-md5-'));
  const root = join(work, 'EC25EFAR06A01M4G');
  await mkdir(join(root, 'update', 'firehose'), { recursive: true });
  // Written from one reused buffer, hashed on the way: the reference MD5 never sees the whole file either.
  const hash = createHash('md5');
  const out = createWriteStream(join(root, 'update', 'NON-HLOS.ubi'));
  const chunk = new Uint8Array(CHUNK);
  for (let written = 0; written < SIZE; written += CHUNK) {
    for (let i = 0; i < CHUNK; i += 1) chunk[i] = ((written + i) * 131 + ((written + i) >>> 13)) & 0xff;
    hash.update(chunk);
    if (!out.write(Buffer.from(chunk))) await new Promise<void>((resolve) => out.once('drain', () => { resolve(); }));
  }
  await new Promise<void>((resolve, reject) => {
    out.on('error', reject);
    out.end(() => {
      resolve();
    });
  });
  expectedMd5 = hash.digest('hex');
  const zip = new yazl.ZipFile();
  zip.addFile(join(root, 'update', 'NON-HLOS.ubi'), 'EC25EFAR06A01M4G/update/NON-HLOS.ubi');
  zip.end();
  await new Promise<void>((resolve, reject) => {
    const file = createWriteStream(join(work, 'EC25EFAR06A01M4G.zip'));
    file.on('close', resolve);
    file.on('error', reject);
    zip.outputStream.pipe(file);
  });
});

after(async () => {
  await rm(work, { recursive: true, force: true });
});

async function peakGrowthWhileHashing(location: string): Promise<{ growth: number; md5: string; bytes: number }> {
  const pkg = await openPackage(location);
  try {
    gc();
    const baseline = process.memoryUsage.rss();
    let peak = baseline;
    const result = await md5OfPackageFile(pkg, 'update/NON-HLOS.ubi', {
      onProgress: () => {
        peak = Math.max(peak, process.memoryUsage.rss());
      },
    });
    return { growth: peak - baseline, md5: result.md5, bytes: result.bytes };
  } finally {
    await pkg.close();
  }
}

describe('streaming MD5 of a 50 MB image keeps memory bounded', () => {
  it('from a package folder', async () => {
    const { growth, md5, bytes } = await peakGrowthWhileHashing(join(work, 'EC25EFAR06A01M4G'));
    assert.equal(bytes, SIZE);
    assert.equal(md5, expectedMd5);
    assert.ok(growth < LIMIT, `resident set grew by ${(growth / 1048576).toFixed(1)} MiB while hashing a ${SIZE / 1048576} MiB file`);
  });

  it('from a deflated .zip, inflated as it is read', async () => {
    const { growth, md5, bytes } = await peakGrowthWhileHashing(join(work, 'EC25EFAR06A01M4G.zip'));
    assert.equal(bytes, SIZE);
    assert.equal(md5, expectedMd5);
    assert.ok(growth < LIMIT, `resident set grew by ${(growth / 1048576).toFixed(1)} MiB while hashing a ${SIZE / 1048576} MiB file`);
  });
});
