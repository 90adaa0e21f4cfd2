import assert from 'node:assert/strict';
import { appendFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { appendReworkRecord } from '../../src/diagnose/rework-log/index.js';
import { runMedic } from '../helpers/medic.js';
import { tempDir } from '../helpers/wait.js';

// medic log over a rework log written by the store, as a user (and the fleet server) reads it.
let work: Awaited<ReturnType<typeof tempDir>>;
let file: string;

before(async () => {
  work = await tempDir();
  file = join(work.path, 'rework-log.jsonl');
  await appendReworkRecord({ command: 'flash --all', outcome: 'verified', unit: { serial: '2c7c0125', usbPath: '1-1' }, revision: { before: 'EC25AFAR05A04M4G', after: 'EC25AFAR05A06M4G_01.001.01.001' }, time: new Date('2026-11-01T08:00:00Z'), batch: 'b1' }, { file, toolVersion: '0.1.0' });
  await appendReworkRecord({
    command: 'flash',
    outcome: 'failed-recoverable',
    unit: { imei: '866758040000008' },
    actions: ['backed up efs2', 'stopped part-way, "power cut"'],
    error: { code: 'FLASH_INTERRUPTED', message: 'the flash stopped, at "modem"\nsecond line' },
    next: 'Power-cycle, then run `medic flash PKG` again',
    time: new Date('2026-11-20T09:30:00Z'),
  }, { file, toolVersion: '0.1.0' });
});
after(async () => {
  await work.remove();
});

describe('medic log', () => {
  it('lists the records as a table, oldest first', async () => {
    const result = await runMedic(['log', '--file', file]);
    assert.equal(result.code, 0, result.stderr);
    const lines = result.stdout.trim().split('\n');
    assert.match(lines[0] ?? '', /^time\s+unit\s+command\s+revision\s+outcome/);
    assert.match(lines[1] ?? '', /^2026-11-01 08:00:00Z\s+serial 2c7c0125\s+flash --all\s+EC25AFAR05A04M4G → EC25AFAR05A06M4G_01\.001\.01\.001\s+verified/);
    assert.match(lines[2] ?? '', /866758040000008\s+flash\s+-\s+failed-recoverable\s+-\s+FLASH_INTERRUPTED/);
  });

  it('--json: one record per line, with its schema version (what the fleet server imports)', async () => {
    const result = await runMedic(['log', '--file', file, '--json']);
    assert.equal(result.code, 0, result.stderr);
    const records = result.stdout.trim().split('\n').map((line) => JSON.parse(line) as { schema: number; outcome: string; tool: { version: string } });
    assert.deepEqual(records.map((record) => [record.schema, record.outcome, record.tool.version]), [[1, 'verified', '0.1.0'], [1, 'failed-recoverable', '0.1.0']]);
  });

  it('--csv: RFC 4180 quoting of commas, quotes and newlines, CRLF line ends', async () => {
    const result = await runMedic(['log', '--file', file, '--csv']);
    assert.equal(result.code, 0, result.stderr);
    const text = result.stdout;
    assert.ok(text.startsWith('time,id,schema,tool_version,command,imei,serial,usb_path,'), text.slice(0, 80));
    assert.ok(text.includes('"backed up efs2\nstopped part-way, ""power cut"""'), 'newline, comma and doubled quotes inside one quoted field');
    assert.ok(text.includes(',"the flash stopped, at ""modem""\nsecond line",'), 'the error message quoted');
    assert.equal(text.split('\r\n').length, 4, 'header + 2 records, each ending in CRLF');
  });

  it('--since and --unit narrow the list; a bad date is a usage error', async () => {
    const since = await runMedic(['log', '--file', file, '--json', '--since', '2026-11-10']);
    assert.equal(since.stdout.trim().split('\n').length, 1);
    const unit = await runMedic(['log', '--file', file, '--json', '--unit', '2c7c0125']);
    assert.match(unit.stdout, /"outcome":"verified"/);
    assert.doesNotMatch(unit.stdout, /failed-recoverable/);
    const bad = await runMedic(['log', '--file', file, '--since', 'yesterday']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--since yesterday: not a date/);
    const both = await runMedic(['log', '--file', file, '--json', '--csv']);
    assert.equal(both.code, 2);
  });

  it('warns about a torn last line and still lists every whole record; finds the log through $MEDIC_REWORK_LOG', async () => {
    const torn = join(work.path, 'torn.jsonl');
    await appendReworkRecord({ command: 'flash', outcome: 'verified', unit: { usbPath: '1-4' } }, { file: torn });
    await appendFile(torn, '{"schema":1,"id":"cut-sh');
    const result = await runMedic(['log', '--json'], { env: { ...process.env, MEDIC_REWORK_LOG: torn } });
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stdout.trim().split('\n').length, 1);
    assert.match(result.stderr, /warning: .*torn\.jsonl line 2 skipped: the last record was cut short .*records before it are intact/);
  });

  it('says when there is no log yet', async () => {
    const result = await runMedic(['log', '--file', join(work.path, 'none.jsonl')]);
    assert.equal(result.code, 0);
    assert.match(result.stderr, /No rework log yet/);
  });
});
