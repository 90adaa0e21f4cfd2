import assert from 'node:assert/strict';
import { appendFile, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { appendReworkRecord, filterReworkRecords, readReworkLog, REWORK_SCHEMA_VERSION, reworkLogPath, ReworkLogError } from '../../../src/diagnose/rework-log/index.js';
import { tempDir } from '../../helpers/wait.js';

describe('rework log store', () => {
  it('appends records as JSON lines with schema, id, time and tool, and reads them back in order', async () => {
    await using dir = await tempDir();
    const file = join(dir.path, 'nested', 'rework-log.jsonl');
    const first = await appendReworkRecord({ command: 'flash', outcome: 'verified', unit: { serial: '2c7c0125' }, revision: { before: 'A', after: 'B' }, time: new Date('2026-11-20T10:00:00Z') }, { file, toolVersion: '9.9.9' });
    await appendReworkRecord({ command: 'diagnose', outcome: 'diagnosed', unit: { imei: '866758040000008' }, observations: { vbat: 3.8, usb: '9008', usb_boot: 'low' }, verdict: { cause: 'boot-chain-corrupt', confidence: 0.9 } }, { file });
    assert.equal(first.schema, REWORK_SCHEMA_VERSION);
    assert.deepEqual(first.tool, { name: 'modem-medic', version: '9.9.9' });
    const text = await readFile(file, 'utf8');
    assert.equal(text.split('\n').length, 3, 'two lines, each ending in a newline');
    const log = await readReworkLog({ file });
    assert.deepEqual(log.skipped, []);
    assert.deepEqual(log.records.map((record) => record.outcome), ['verified', 'diagnosed']);
    assert.equal(log.records[0]?.time, '2026-11-20T10:00:00.000Z');
    assert.equal(log.records[1]?.verdict?.cause, 'boot-chain-corrupt');
    assert.notEqual(log.records[0].id, log.records[1].id);
  });

  it('parallel appends (a batch finishing together) keep every record whole', async () => {
    await using dir = await tempDir();
    const file = join(dir.path, 'log.jsonl');
    await Promise.all(Array.from({ length: 20 }, (_, index) => appendReworkRecord({ command: 'flash --all', outcome: 'verified', unit: { usbPath: `1-${index}` }, actions: ['x'.repeat(5000)] }, { file })));
    const log = await readReworkLog({ file });
    assert.equal(log.records.length, 20);
    assert.deepEqual(log.skipped, []);
  });

  it('tolerates a torn last line: it is skipped with a reason, and the next append starts on a line of its own', async () => {
    await using dir = await tempDir();
    const file = join(dir.path, 'log.jsonl');
    await appendReworkRecord({ command: 'flash', outcome: 'verified' }, { file });
    await appendFile(file, '{"schema":1,"id":"abc","time":"2026-11-2');
    const torn = await readReworkLog({ file });
    assert.equal(torn.records.length, 1);
    assert.deepEqual(torn.skipped.map((line) => [line.line, line.torn]), [[2, true]]);
    assert.match(torn.skipped[0]?.reason ?? '', /cut short/);
    await appendReworkRecord({ command: 'flash', outcome: 'failed-recoverable' }, { file });
    const after = await readReworkLog({ file });
    assert.deepEqual(after.records.map((record) => record.outcome), ['verified', 'failed-recoverable']);
    assert.deepEqual(after.skipped.map((line) => [line.line, line.torn]), [[2, false]], 'the torn fragment stays, now a damaged line in the middle');
  });

  it('skips lines that are not records (another schema, a wrong outcome) and says why', async () => {
    await using dir = await tempDir();
    const file = join(dir.path, 'log.jsonl');
    await writeFile(file, '{"schema":2,"id":"x"}\n[1,2]\n');
    await appendReworkRecord({ command: 'flash', outcome: 'refused' }, { file });
    const log = await readReworkLog({ file });
    assert.equal(log.records.length, 1);
    assert.match(log.skipped[0]?.reason ?? '', /schema 2/);
    assert.match(log.skipped[1]?.reason ?? '', /not a JSON object/);
  });

  it('refuses a malformed record and an unwritable file with a hint', async () => {
    await using dir = await tempDir();
    await assert.rejects(appendReworkRecord({ command: 'flash', outcome: 'exploded' as 'failed' }, { file: join(dir.path, 'log.jsonl') }), (error: unknown) => error instanceof ReworkLogError && /outcome "exploded"/.test(error.message));
    await writeFile(join(dir.path, 'blocker'), 'a file, not a folder');
    await assert.rejects(appendReworkRecord({ command: 'flash', outcome: 'verified' }, { file: join(dir.path, 'blocker', 'log.jsonl') }), (error: unknown) => error instanceof ReworkLogError && error.code === 'REWORK_LOG_UNWRITABLE' && /--rework-log/.test(error.hint ?? ''));
  });

  it('an absent log is empty, not an error', async () => {
    await using dir = await tempDir();
    const log = await readReworkLog({ file: join(dir.path, 'none.jsonl') });
    assert.equal(log.exists, false);
    assert.deepEqual(log.records, []);
  });

  it('lives at --rework-log, else $MEDIC_REWORK_LOG, else $XDG_STATE_HOME/medic, else ~/.local/state/medic', () => {
    assert.equal(reworkLogPath({ file: '/x/log.jsonl', env: { MEDIC_REWORK_LOG: '/y' } }), '/x/log.jsonl');
    assert.equal(reworkLogPath({ env: { MEDIC_REWORK_LOG: '/y/log.jsonl', XDG_STATE_HOME: '/s' } }), '/y/log.jsonl');
    assert.equal(reworkLogPath({ env: { XDG_STATE_HOME: '/s' } }), '/s/medic/rework-log.jsonl');
    assert.equal(reworkLogPath({ env: { XDG_STATE_HOME: 'relative' }, home: '/home/tech' }), '/home/tech/.local/state/medic/rework-log.jsonl', 'a relative XDG_STATE_HOME is ignored (XDG spec)');
    assert.equal(reworkLogPath({ env: {}, home: '/home/tech' }), '/home/tech/.local/state/medic/rework-log.jsonl');
  });

  it('filters by date and by unit (IMEI, serial with or without 0x, USB path)', async () => {
    await using dir = await tempDir();
    const file = join(dir.path, 'log.jsonl');
    await appendReworkRecord({ command: 'flash', outcome: 'verified', unit: { serial: '2c7c0125', usbPath: '1-2' }, time: new Date('2026-11-01T00:00:00Z') }, { file });
    await appendReworkRecord({ command: 'flash', outcome: 'verified', unit: { imei: '866758040000008' }, time: new Date('2026-11-20T00:00:00Z') }, { file });
    const { records } = await readReworkLog({ file });
    assert.equal(filterReworkRecords(records, { since: new Date('2026-11-10') }).length, 1);
    assert.equal(filterReworkRecords(records, { unit: '0x2C7C0125' }).length, 1);
    assert.equal(filterReworkRecords(records, { unit: '866758040000008' }).length, 1);
    assert.equal(filterReworkRecords(records, { unit: '1-2' }).length, 1);
    assert.equal(filterReworkRecords(records, { unit: 'nobody' }).length, 0);
  });
});
