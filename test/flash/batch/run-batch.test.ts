import assert from 'node:assert/strict';
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runBatch, type BatchEvent, type BatchUnit } from '../../../src/flash/batch/index.js';
import { makePackage } from '../../../src/sim/package/index.js';
import { tempDir } from '../../helpers/wait.js';

// The batch runner's bad paths that need no module: a package refused once for every unit, and
// units whose port is not there. (The happy path and a power cut run on simulators in
// test/cli/flash-all.test.ts.)

const revision = 'EC25AFAR05A06M4G';
let work: Awaited<ReturnType<typeof tempDir>>;
let good: string;
let corrupt: string;

function unit(id: string, port: string): BatchUnit {
  return { id, usbPath: id, mode: 'edl', port, view: { sysfsRoot: '/nonexistent/sys', devRoot: '/nonexistent/dev' } };
}

before(async () => {
  work = await tempDir();
  good = join(work.path, revision);
  await makePackage(good, { revision, size: 'small' });
  corrupt = join(work.path, 'corrupt', revision);
  await makePackage(corrupt, { revision, size: 'small', corrupt: { kind: 'md5-mismatch' } });
});
after(async () => {
  await work.remove();
});

describe('runBatch', () => {
  it('refuses a bad package once for every unit, before any unit is touched', async () => {
    const events: BatchEvent[] = [];
    const summary = await runBatch({
      package: corrupt,
      units: [unit('1-1', '/nonexistent/ttyUSB0'), unit('1-2', '/nonexistent/ttyUSB1')],
      logDir: join(work.path, 'logs-1'),
      backupRoot: join(work.path, 'backups-1'),
      moduleRevision: 'EC25AFAR05A04M4G',
      onEvent: (event) => events.push(event),
      openTransport: () => assert.fail('no unit may be opened'),
    });
    assert.deepEqual(summary.counts, { verified: 0, flashed: 0, refused: 2, 'failed-recoverable': 0, failed: 0 });
    for (const result of summary.results) {
      assert.equal(result.error?.code, 'FLASH_PACKAGE_REFUSED');
      assert.match(result.error.message, /md5/i);
      assert.match(result.next ?? '', /Nothing was written to any unit/);
    }
    assert.deepEqual(events.map((event) => event.type), ['batch', 'done', 'done']);
    assert.deepEqual(await readdir(join(work.path, 'logs-1')), []);
  });

  it('a unit whose port cannot be opened fails alone, with its log file and a next step; the package is not the problem', async () => {
    const summary = await runBatch({
      package: good,
      units: [unit('1-1', join(work.path, 'no-such-tty'))],
      logDir: join(work.path, 'logs-2'),
      backupRoot: join(work.path, 'backups-2'),
      moduleRevision: 'EC25AFAR05A04M4G',
    });
    const [result] = summary.results;
    assert.equal(result?.outcome, 'failed');
    assert.match(result.next ?? '', /./);
    assert.equal(summary.revision.split('_')[0], revision);
    const log = await readFile(result.logFile, 'utf8');
    assert.match(log, /outcome: failed/);
    assert.match(log, /next: /);
  });
});
