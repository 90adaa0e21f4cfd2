import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { makePackage, type PackageManifest } from '../../../src/sim/package/make-package.js';
import { md5Of, parseMd5Text, readText } from '../../helpers/package-audit.js';
import { tempDir } from '../../helpers/wait.js';

describe('makePackage: md5.txt', () => {
  let dir: { path: string; remove: () => Promise<void> };
  let manifest: PackageManifest;
  let text = '';
  before(async () => {
    dir = await tempDir();
    manifest = await makePackage(dir.path, { size: 'small', seed: 3 });
    text = (await readText(dir.path, 'md5.txt')) ?? '';
  });
  after(() => dir.remove());

  it("has one `<drive>:\\<path>\\<file>:<MD5>` line per file (quectel sheet §2.7), CRLF-terminated", () => {
    assert.ok(text.endsWith('\r\n'));
    for (const line of text.split('\r\n').slice(0, -1)) assert.match(line, /^D:\\(?:update\\(?:firehose\\)?)?[^\\:]+:[0-9A-F]{32}$/);
  });

  it('lists every file of the package but itself, and each md5 matches the file', async () => {
    const entries = parseMd5Text(text);
    const listed = entries.map(([path]) => path).sort();
    const files = manifest.files.map((file) => file.path).filter((path) => path !== 'md5.txt').sort();
    assert.deepEqual(listed, files);
    for (const [path, md5] of entries) assert.equal(md5, await md5Of(dir.path, path), path);
  });

  it('lists them in the order QFirehose 1.4.17 checked a real EC20 package (case and punctuation ignored)', () => {
    const order = parseMd5Text(text).map(([path]) => path);
    assert.deepEqual(order.slice(0, 3), ['contents.xml', 'update/appsboot.mbn', 'update/ENPRG9x07.mbn']);
    assert.ok(order.indexOf('update/mdm9607-perf-boot.img') < order.indexOf('update/mdm-perf-recovery-image-mdm9607-perf.ubi'));
    assert.equal(order.at(-1), 'update/tz.mbn');
  });

  it('agrees with the manifest', () => {
    for (const [path, md5] of parseMd5Text(text)) assert.equal(manifest.files.find((file) => file.path === path)?.md5, md5);
  });
});
