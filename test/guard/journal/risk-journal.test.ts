import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { appendFile, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { isMedicError } from '../../../src/core/errors.js';
import { MemoryLogger } from '../../../src/core/logger.js';
import type { RiskEvent } from '../../../src/guard/events/event.js';
import { checkEvent } from '../../../src/guard/events/validate.js';
import { encodeRecord } from '../../../src/guard/journal/record-format.js';
import { RiskJournal, type RiskJournalOptions } from '../../../src/guard/journal/risk-journal.js';
import { newBootSessionId } from '../../../src/guard/journal/session-id.js';
import { tempDir, waitFor } from '../../helpers/wait.js';

const UNIT = 'unit-0042';
let dir: string;
let cleanup: () => Promise<void>;

beforeEach(async () => {
  const temp = await tempDir('medic-journal-');
  dir = temp.path;
  cleanup = temp.remove;
});
afterEach(async () => {
  await cleanup();
});

function options(overrides: Partial<RiskJournalOptions> = {}): RiskJournalOptions {
  return { unitId: UNIT, ...overrides };
}

async function readAll(journal: RiskJournal, from = 1): Promise<RiskEvent[]> {
  const events: RiskEvent[] = [];
  for await (const event of journal.readFrom(from)) events.push(event);
  return events;
}

async function segmentFiles(): Promise<string[]> {
  return (await readdir(dir)).filter((name) => name.endsWith('.jsonl')).sort();
}

/** Every line of every segment as JSON: what `jq` on the journal would see. */
async function allLines(): Promise<unknown[]> {
  const lines: unknown[] = [];
  for (const name of await segmentFiles()) {
    const text = await readFile(join(dir, name), 'utf8');
    for (const line of text.split('\n').filter((l) => l !== '')) lines.push(JSON.parse(line));
  }
  return lines;
}

function codeOf(error: unknown): string | undefined {
  return isMedicError(error) ? error.code : undefined;
}

async function appendSamples(journal: RiskJournal, count: number, from = 3000): Promise<RiskEvent[]> {
  const written: RiskEvent[] = [];
  for (let i = 0; i < count; i += 1) written.push(await journal.append({ type: 'vbat-sample', data: { mV: from + i } }));
  return written;
}

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/u;

describe('risk journal: append and read back', () => {
  it('names boot sessions with random version-4 UUIDs (from /dev/urandom, not node:crypto)', () => {
    const ids = Array.from({ length: 1000 }, () => newBootSessionId());
    for (const id of ids) assert.match(id, UUID_V4);
    assert.equal(new Set(ids).size, ids.length);
  });

  it('fills in the envelope and reads events back in order', async () => {
    const journal = await RiskJournal.open(dir, options());
    const { bootSession, boot, powerLoss } = await journal.startBootSession('power-on');
    assert.equal(powerLoss, undefined, 'a new journal has no previous session to have lost');
    assert.match(bootSession, UUID_V4);
    const sample = await journal.append({ type: 'vbat-sample', data: { mV: 3800 } });
    const cfun = await journal.append({ type: 'cfun-transition', data: { from: 1, to: 0, by: 'connman', decision: 'refused', reason: 'budget' } });
    assert.deepEqual([boot.seq, sample.seq, cfun.seq], [1, 2, 3]);
    for (const event of [boot, sample, cfun]) {
      assert.equal(event.unit, UNIT);
      assert.equal(event.bootSession, bootSession);
      assert.equal(event.schema, 1);
      assert.equal(checkEvent(event).ok, true);
    }
    assert.deepEqual(await readAll(journal), [boot, sample, cfun]);
    assert.deepEqual(await readAll(journal, 2), [sample, cfun]);
    assert.deepEqual(await readAll(journal, 4), []);
    await journal.close();
    // On disk: plain JSON lines, each with its checksum.
    const lines = await allLines();
    assert.equal(lines.length, 3);
    assert.deepEqual((lines[1] as { event: RiskEvent }).event, sample);
    assert.match((lines[1] as { crc32: string }).crc32, /^[0-9a-f]{8}$/);
  });

  it('keeps the order of concurrent appends', async () => {
    const journal = await RiskJournal.open(dir, options());
    await journal.startBootSession('power-on');
    const events = await Promise.all(Array.from({ length: 50 }, (_, i) => journal.append({ type: 'vbat-sample', data: { mV: 3000 + i } })));
    assert.deepEqual(events.map((e) => e.seq), Array.from({ length: 50 }, (_, i) => i + 2));
    const read = await readAll(journal, 2);
    assert.deepEqual(read.map((e) => (e.type === 'vbat-sample' ? e.data.mV : -1)), Array.from({ length: 50 }, (_, i) => 3000 + i));
    await journal.close();
  });

  it('refuses an event before the first boot session, and a malformed event, without using up a sequence', async () => {
    const journal = await RiskJournal.open(dir, options());
    await assert.rejects(journal.append({ type: 'vbat-sample', data: { mV: 3800 } }), (error) => codeOf(error) === 'JOURNAL_NO_BOOT_SESSION');
    await journal.startBootSession('unknown');
    // A caller outside TypeScript's reach sends a bad event.
    const bad = JSON.parse('{"type":"vbat-sample","data":{"mV":"high"}}') as Parameters<RiskJournal['append']>[0];
    await assert.rejects(journal.append(bad), (error) => codeOf(error) === 'EVENT_INVALID' && /data\.mV/.test((error as Error).message));
    await assert.rejects(journal.append({ type: 'boot', data: { reason: 'power-on' } }), (error) => codeOf(error) === 'JOURNAL_RESERVED_TYPE');
    const next = await journal.append({ type: 'vbat-sample', data: { mV: 3800 } });
    assert.equal(next.seq, 2);
    await journal.close();
    await assert.rejects(journal.append({ type: 'vbat-sample', data: { mV: 1 } }), (error) => codeOf(error) === 'JOURNAL_CLOSED');
  });

  it('refuses a journal directory of another unit and a unit id unfit for topics', async () => {
    const journal = await RiskJournal.open(dir, options());
    await journal.startBootSession('power-on');
    await journal.close();
    await assert.rejects(RiskJournal.open(dir, options({ unitId: 'unit-0043' })), (error) => codeOf(error) === 'JOURNAL_OTHER_UNIT');
    await assert.rejects(RiskJournal.open(join(dir, 'x'), options({ unitId: 'a/b' })), (error) => codeOf(error) === 'JOURNAL_OPTIONS');
  });

  it('lets one writer at a time have the journal, and takes over a lock its dead owner left', async () => {
    const journal = await RiskJournal.open(dir, options());
    await assert.rejects(RiskJournal.open(dir, options()), (error) => codeOf(error) === 'JOURNAL_LOCKED' && /in use by process/.test((error as Error).message));
    await journal.close();
    const exited = spawnSync(process.execPath, ['-e', '']);
    await writeFile(join(dir, 'writer.lock'), `${exited.pid}\n`);
    const again = await RiskJournal.open(dir, options());
    await again.close();
  });

  it('takes the clock and the boot-session ids it is given, and checks its settings', async () => {
    let tick = 0;
    const journal = await RiskJournal.open(dir, options({
      clock: { wallTime: () => new Date(Date.UTC(2026, 10, 23, 22, 0, tick)), monoMs: () => 1000 * (tick += 1) },
      newBootSessionId: () => 'session-a',
    }));
    const { boot } = await journal.startBootSession('recovered-from-edl');
    const sample = await journal.append({ type: 'temperature', data: { sensor: 'xo_therm', celsius: 38 } });
    assert.deepEqual([boot.bootSession, boot.wallTime, boot.monoMs], ['session-a', '2026-11-23T22:00:00.000Z', 1000]);
    assert.deepEqual([sample.wallTime, sample.monoMs], ['2026-11-23T22:00:01.000Z', 2000]);
    await journal.close();
    for (const bad of [{ maxBytes: 10 }, { keepFiles: 0 }, { fsync: { intervalMs: -5 } }]) {
      await assert.rejects(RiskJournal.open(dir, options(bad)), (error) => codeOf(error) === 'JOURNAL_OPTIONS', JSON.stringify(bad));
    }
  });

  it('batched fsync: the timer makes records durable on its own', async () => {
    const journal = await RiskJournal.open(dir, options({ fsync: { intervalMs: 5 } }));
    await journal.startBootSession('power-on');
    await appendSamples(journal, 3);
    await waitFor(() => journal.durableSeq === 4, 10_000, 'the batched fsync');
    assert.equal((await readAll(journal)).length, 4);
    await journal.close();
  });

  it('batched fsync: records become readable once flushed', async () => {
    const journal = await RiskJournal.open(dir, options({ fsync: { intervalMs: 60_000 } }));
    await journal.startBootSession('power-on');
    await appendSamples(journal, 5);
    // Written, not yet on disk: the uplink must not see them (a power cut could take them back).
    assert.equal(journal.durableSeq, 0);
    assert.deepEqual(await readAll(journal), []);
    await journal.flush();
    assert.equal(journal.durableSeq, 6);
    assert.equal((await readAll(journal)).length, 6);
    await journal.close();
    const reopened = await RiskJournal.open(dir, options());
    assert.equal(reopened.lastSeq, 6);
    await reopened.close();
  });
});

describe('risk journal: rotation', () => {
  it('rotates by size, continues the sequence across files and reads across them in order', async () => {
    const journal = await RiskJournal.open(dir, options({ maxBytes: 2048, keepFiles: 100 }));
    await journal.startBootSession('power-on');
    const written = await appendSamples(journal, 60);
    const files = await segmentFiles();
    assert.ok(files.length > 3, `expected several segments, got ${files.length}`);
    for (const name of files) assert.ok((await readFile(join(dir, name))).length <= 2048, `${name} is within maxBytes`);
    const all = await readAll(journal);
    assert.deepEqual(all.map((e) => e.seq), Array.from({ length: 61 }, (_, i) => i + 1));
    assert.deepEqual(all.slice(1), written);
    // From the middle of a later segment.
    assert.deepEqual((await readAll(journal, 45)).map((e) => e.seq), Array.from({ length: 17 }, (_, i) => i + 45));
    await journal.close();
  });

  it('keeps only keepFiles segments and warns when it deletes events the server has not acknowledged', async () => {
    const logger = new MemoryLogger();
    const journal = await RiskJournal.open(dir, options({ maxBytes: 1024, keepFiles: 3, logger }));
    await journal.startBootSession('power-on');
    await appendSamples(journal, 40);
    assert.equal((await segmentFiles()).length, 3);
    const kept = await readAll(journal);
    assert.equal(kept.at(-1)?.seq, 41);
    assert.ok((kept[0]?.seq ?? 0) > 1, 'the oldest events are gone');
    assert.deepEqual(kept.map((e) => e.seq), Array.from({ length: kept.length }, (_, i) => (kept[0]?.seq ?? 0) + i), 'what is kept is contiguous');
    assert.ok(logger.records.some((r) => r.level === 'warn' && /not acknowledged/.test(r.message)));
    assert.equal(journal.pending().count, kept.length, 'pending counts only what is still there');
    await journal.close();
    const reopened = await RiskJournal.open(dir, options({ maxBytes: 1024, keepFiles: 3 }));
    assert.equal(reopened.lastSeq, 41);
    assert.equal((await reopened.append({ type: 'vbat-sample', data: { mV: 1 } })).seq, 42);
    await reopened.close();
  });
});

describe('risk journal: restarts', () => {
  it('continues the sequence and the boot session across a reopen', async () => {
    const first = await RiskJournal.open(dir, options());
    const { bootSession } = await first.startBootSession('power-on');
    await appendSamples(first, 3);
    await first.close();
    const second = await RiskJournal.open(dir, options());
    assert.equal(second.lastSeq, 4);
    assert.equal(second.bootSession, bootSession, 'the guard restarted, the module did not: same boot session');
    const next = await second.append({ type: 'agent-lifecycle', data: { phase: 'started', clean: true } });
    assert.equal(next.seq, 5);
    assert.equal(next.bootSession, bootSession);
    await second.close();
  });

  it('records an ungraceful power loss when a boot follows a session with no graceful shutdown', async () => {
    const first = await RiskJournal.open(dir, options());
    const one = await first.startBootSession('power-on');
    const last = await first.append({ type: 'vbat-sample', data: { mV: 3500 } });
    await first.close();
    const second = await RiskJournal.open(dir, options());
    const two = await second.startBootSession('power-on');
    assert.notEqual(two.bootSession, one.bootSession);
    assert.equal(two.boot.seq, 3);
    assert.deepEqual(two.powerLoss?.data, { previousBootSession: one.bootSession, previousLastSeq: last.seq, previousLastWallTime: last.wallTime, bootReason: 'power-on' });
    assert.equal(two.powerLoss.seq, 4);
    assert.equal(two.powerLoss.bootSession, two.bootSession);
    // This time it shuts down in order (then the agent logs that it stops): no power loss.
    await second.append({ type: 'shutdown-graceful', data: { method: 'qpowd', confirmedBy: 'powered-down-urc', requestedBy: 'guard' } });
    await second.append({ type: 'agent-lifecycle', data: { phase: 'stopping', detail: 'SIGTERM' } });
    await second.close();
    const third = await RiskJournal.open(dir, options());
    const three = await third.startBootSession('power-on');
    assert.equal(three.powerLoss, undefined);
    // And within one run: an unexpected RDY with no shutdown before it is one too.
    const four = await third.startBootSession('unexpected-rdy', 'RDY out of the blue');
    assert.equal(four.powerLoss?.data.bootReason, 'unexpected-rdy');
    await third.close();
  });

  it('acknowledged and pending survive a reopen, and replay resumes after the acknowledgement', async () => {
    const first = await RiskJournal.open(dir, options());
    await first.startBootSession('power-on');
    await appendSamples(first, 9);
    assert.deepEqual(first.pending(), { acknowledged: 0, lastSeq: 10, count: 10 });
    await first.acknowledge(6);
    await first.acknowledge(4); // late, smaller acknowledgements change nothing
    assert.deepEqual(first.pending(), { acknowledged: 6, lastSeq: 10, count: 4 });
    await assert.rejects(first.acknowledge(11), (error) => codeOf(error) === 'JOURNAL_ACK_AHEAD');
    await first.close();
    const second = await RiskJournal.open(dir, options());
    assert.deepEqual(second.pending(), { acknowledged: 6, lastSeq: 10, count: 4 });
    const replay = await readAll(second, second.pending().acknowledged + 1);
    assert.deepEqual(replay.map((e) => e.seq), [7, 8, 9, 10]);
    await second.close();
  });

  it('an unreadable acknowledgement cursor means: send everything again (the server drops duplicates)', async () => {
    const first = await RiskJournal.open(dir, options());
    await first.startBootSession('power-on');
    await appendSamples(first, 2);
    await first.acknowledge(2);
    await first.close();
    await writeFile(join(dir, 'acknowledged.json'), '{"unit":"unit-0042","ackn');
    const logger = new MemoryLogger();
    const second = await RiskJournal.open(dir, options({ logger }));
    assert.deepEqual(second.pending(), { acknowledged: 0, lastSeq: 3, count: 3 });
    assert.ok(logger.records.some((r) => r.level === 'warn' && /sent again/.test(r.message)));
    await second.close();
  });

  it('never hands out an acknowledged sequence again, even when the segments are gone', async () => {
    const first = await RiskJournal.open(dir, options());
    await first.startBootSession('power-on');
    await appendSamples(first, 4);
    await first.acknowledge(5);
    await first.close();
    for (const name of await segmentFiles()) await writeFile(join(dir, name), '');
    const second = await RiskJournal.open(dir, options());
    const { boot } = await second.startBootSession('unknown');
    assert.equal(boot.seq, 6);
    await second.close();
  });
});

describe('risk journal: torn and damaged records', () => {
  async function journalWithFive(): Promise<RiskEvent[]> {
    const journal = await RiskJournal.open(dir, options());
    await journal.startBootSession('power-on');
    await appendSamples(journal, 4);
    const all = await readAll(journal);
    await journal.close();
    return all;
  }

  async function activeSegment(): Promise<string> {
    const name = (await segmentFiles()).at(-1);
    assert.ok(name !== undefined);
    return join(dir, name);
  }

  it('drops a partial last line with a warning and keeps every record before it', async () => {
    const before = await journalWithFive();
    const next = encodeRecord({ ...before[1] as RiskEvent, seq: 6 });
    await appendFile(await activeSegment(), next.subarray(0, Math.floor(next.length / 2)));
    const logger = new MemoryLogger();
    const journal = await RiskJournal.open(dir, options({ logger }));
    assert.equal(journal.openReport.droppedTail.length, 1);
    assert.match(journal.openReport.droppedTail[0]?.reason ?? '', /no newline/);
    assert.ok(logger.records.some((r) => r.level === 'warn' && /dropped 1 torn/.test(r.message)));
    assert.deepEqual(await readAll(journal), before);
    const appended = await journal.append({ type: 'vbat-sample', data: { mV: 3333 } });
    assert.equal(appended.seq, 6);
    await journal.close();
    // The file is clean JSON lines again: the torn bytes are gone, the new record follows.
    const lines = await allLines();
    assert.equal(lines.length, 6);
  });

  it('drops a complete last line whose checksum does not match', async () => {
    const before = await journalWithFive();
    const line = encodeRecord({ ...before[1] as RiskEvent, seq: 6 }).toString('utf8').replace('"mV":3000', '"mV":3999');
    await appendFile(await activeSegment(), line);
    const logger = new MemoryLogger();
    const journal = await RiskJournal.open(dir, options({ logger }));
    assert.match(journal.openReport.droppedTail[0]?.reason ?? '', /checksum mismatch/);
    assert.ok(logger.records.some((r) => r.level === 'warn'));
    const read = await readAll(journal);
    assert.deepEqual(read, before);
    assert.ok(!read.some((e) => e.type === 'vbat-sample' && e.data.mV === 3999), 'the damaged record is not returned');
    assert.equal((await journal.append({ type: 'vbat-sample', data: { mV: 1 } })).seq, 6);
    await journal.close();
  });

  it('drops garbage at the end and skips a damaged record in the middle without losing the ones after it', async () => {
    const before = await journalWithFive();
    const path = await activeSegment();
    const text = await readFile(path, 'utf8');
    const lines = text.split('\n');
    lines[2] = (lines[2] ?? '').replace('"mV":3001', '"mV":9001');
    await writeFile(path, `${lines.join('\n')}\u0000\u0000garbage`);
    const journal = await RiskJournal.open(dir, options({ logger: new MemoryLogger() }));
    assert.equal(journal.openReport.damagedLines, 1);
    assert.deepEqual((await readAll(journal)).map((e) => e.seq), before.filter((e) => e.seq !== 3).map((e) => e.seq));
    assert.equal(journal.lastSeq, 5);
    await journal.close();
  });
});

describe('risk journal: a real crash (SIGKILL mid-write)', () => {
  const writer = fileURLToPath(new URL('./crash-writer.js', import.meta.url));

  /** Runs the writer until it has reported `count` more records, then kills it; returns what it reported. */
  function runAndKill(count: number): Promise<number[]> {
    return new Promise((resolve, reject) => {
      const child = spawn(process.execPath, [writer, dir, '4096'], { stdio: ['ignore', 'pipe', 'pipe'] });
      const reported: number[] = [];
      let buffer = '';
      let stderr = '';
      let killed = false;
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      child.stdout.on('data', (chunk: Buffer) => {
        buffer += chunk.toString();
        const lines = buffer.split('\n');
        buffer = lines.pop() ?? '';
        for (const line of lines) if (/^\d+$/.test(line)) reported.push(Number(line));
        if (!killed && reported.length >= count) {
          killed = true;
          child.kill('SIGKILL');
        }
      });
      child.on('exit', (_code, signal) => {
        if (signal === 'SIGKILL') resolve(reported);
        else reject(new Error(`crash writer exited on its own: ${stderr}`));
      });
    });
  }

  it('after each kill: every fsynced record is there, nothing corrupt is returned, the sequence goes on', async () => {
    const seen: number[] = [];
    for (const count of [150, 230, 90]) {
      const reported = await runAndKill(count);
      assert.ok(reported.length >= count);
      seen.push(...reported);
      const journal = await RiskJournal.open(dir, { unitId: 'crash-unit', maxBytes: 4096, keepFiles: 1000, logger: new MemoryLogger() });
      const events = await readAll(journal);
      const seqs = events.map((e) => e.seq);
      // Every record the writer saw fsynced is present …
      for (const seq of seen) assert.ok(seqs.includes(seq), `record ${seq} survived`);
      // … everything returned is a valid event, in order, without gaps or repeats …
      for (const event of events) assert.equal(checkEvent(event).ok, true);
      assert.deepEqual(seqs, Array.from({ length: seqs.length }, (_, i) => i + 1));
      assert.equal(journal.lastSeq, seqs.at(-1));
      // … and appends continue with the next sequence.
      const next = await journal.append({ type: 'agent-lifecycle', data: { phase: 'started', clean: false } });
      assert.equal(next.seq, journal.lastSeq);
      assert.equal(next.seq, (seqs.at(-1) ?? 0) + 1);
      seen.push(next.seq);
      await journal.close();
    }
    assert.ok((await segmentFiles()).length > 1, 'the crashes happened across rotations too');
  });
});
