import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { describe, it } from 'node:test';
import { medicBin, runMedic } from '../helpers/medic.js';
import { tempDir } from '../helpers/wait.js';

const REWORK = JSON.stringify({ schema: 1, id: 'c0ffee00-0000-4000-8000-0000000000c1', time: '2026-11-20T10:00:00.000Z', tool: { name: 'modem-medic', version: '0.1.0' }, command: 'flash', unit: { imei: '861234567890001' }, revision: { after: 'EC25EFAR06A01M4G' }, observations: {}, actions: ['flashed'], outcome: 'verified' });

describe('medic fleet operator / import-production / import-rework', () => {
  it('adds an operator, imports production records and the rework log, and the server lets the operator in', async () => {
    await using dir = await tempDir('medic-fleet-dash-');
    const store = ['--data-dir', dir.path];
    const added = await runMedic(['fleet', 'operator', 'add', 'alice', ...store, '--json'], { input: 'a long enough password\n', timeoutMs: 90_000 });
    assert.equal(added.code, 0, added.stderr);
    assert.deepEqual(JSON.parse(added.stdout), { ok: true, operator: 'alice', added: true });
    const short = await runMedic(['fleet', 'operator', 'add', 'bob', ...store], { input: 'short\n', timeoutMs: 90_000 });
    assert.equal(short.code, 2);
    assert.match(short.stderr, /shorter than 10 characters/u);

    const csv = join(dir.path, 'production.csv');
    await writeFile(csv, 'unit,batch,production_date,module_revision,imei\r\nunit-p1,B7,2026-07-01,EC25EFAR06A01M4G,861234567890001\r\n');
    const production = await runMedic(['fleet', 'import-production', csv, ...store], { timeoutMs: 90_000 });
    assert.equal(production.code, 0, production.stderr);
    assert.equal(production.stdout, 'production records: 1 rows, 1 new, 0 updated; 0 rework records newly tied to a unit\n');

    const rework = await runMedic(['fleet', 'import-rework', '-', ...store, '--json'], { input: `${REWORK}\n`, timeoutMs: 90_000 });
    assert.equal(rework.code, 0, rework.stderr);
    assert.deepEqual(JSON.parse(rework.stdout), { ok: true, records: 1, imported: 1, duplicates: 0, linked: 1, unlinked: [] });

    const server = spawn(process.execPath, [medicBin, 'fleet', 'serve', ...store, '--port', '0', '--mqtt-port', '0', '--json'], { stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      const line = await new Promise<string>((resolve, reject) => {
        createInterface({ input: server.stdout }).once('line', resolve);
        server.once('exit', (code) => { reject(new Error(`fleet serve exited with ${code}`)); });
      });
      const { http, schemaVersion } = JSON.parse(line) as { http: string; schemaVersion: number };
      assert.equal(schemaVersion, 2);
      const login = await fetch(`${http}/login`, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'name=alice&password=a+long+enough+password' });
      assert.equal(login.status, 303);
      assert.match(login.headers.get('set-cookie') ?? '', /^medic_session=/u);
    } finally {
      server.kill('SIGTERM');
      await new Promise((resolve) => server.once('exit', resolve));
    }
  });

  it('refuses a bad CSV whole with the line numbers (exit 4), and a file that is not there (exit 2)', async () => {
    await using dir = await tempDir('medic-fleet-dash-');
    const csv = join(dir.path, 'bad.csv');
    await writeFile(csv, 'unit,imei\nunit-1,861234567890001\nunit-2,12\nunit-3,"86123\n');
    const bad = await runMedic(['fleet', 'import-production', csv, '--data-dir', dir.path, '--json'], { timeoutMs: 90_000 });
    assert.equal(bad.code, 4, bad.stderr);
    const answer = JSON.parse(bad.stdout) as { ok: boolean; error: { code: string; details: { problems: { line: number }[] } } };
    assert.equal(answer.error.code, 'FLEET_IMPORT_BAD_ROWS');
    assert.deepEqual(answer.error.details.problems.map((problem) => problem.line), [4]);
    assert.match(bad.stderr, /nothing imported — line 4: a quoted field is not closed/u);
    const rework = await runMedic(['fleet', 'import-rework', '-', '--data-dir', dir.path], { input: 'garbage\n', timeoutMs: 90_000 });
    assert.equal(rework.code, 4);
    assert.match(rework.stderr, /line 1: not JSON/u);
    const missing = await runMedic(['fleet', 'import-production', join(dir.path, 'nope.csv'), '--data-dir', dir.path]);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /cannot read/u);
  });
});
