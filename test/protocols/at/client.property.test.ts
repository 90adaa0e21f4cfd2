// Random transcripts through the whole client: commands with responses and every final result,
// URCs anywhere (never with the in-flight command's prefix), control-byte garbage, blank lines,
// echo on or off, random chunk splits, and commands the module leaves unanswered, answers late
// (only when the resync probe arrives) or answers with half a line. Whatever happens, every
// command settles, every response holds exactly its own lines, and every URC reaches the
// subscriber exactly once.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { isMedicError } from '../../../src/core/errors.js';
import { AtCommandError } from '../../../src/protocols/at/errors.js';
import type { AtResponse } from '../../../src/protocols/at/response.js';
import { connect, tick, type FakeModule } from './fake-module.js';

const COMMANDS: readonly { text: string; line: (id: number) => string }[] = [
  { text: 'AT+CSQ', line: (id) => `+CSQ: ${id % 32},${id}` },
  { text: 'AT+QENG="servingcell"', line: (id) => `+QENG: "servingcell","NOCONN","LTE","FDD",214,01,${id.toString(16).toUpperCase()},188,6300,20,3,3,603,-104,-9,-78,11,23` },
  { text: 'ATI', line: (id) => (id % 3 === 0 ? 'Quectel' : `Revision: EC25EFAR02A${id}M4G`) },
  { text: 'AT+CGSN', line: (id) => `86675804${String(id).padStart(7, '0')}` },
  { text: 'AT+QNWINFO', line: (id) => `+QNWINFO: "FDD LTE",46011,"LTE BAND 3",${id}` },
  { text: 'AT+QCFG="band"', line: (id) => `+QCFG: "band",0x${id.toString(16)},0x80800c5,0x0` },
  { text: 'AT+QTEMP', line: (id) => `+QTEMP: ${id % 90},255,255` },
];

/** URC generators; each returns the lines on the wire and the key the subscriber should see. */
const URCS: readonly ((id: number) => { lines: string[]; key: string })[] = [
  (id) => single(`+QIURC: "recv",${id}`),
  (id) => single(`+CMTI: "SM",${id}`),
  (id) => single(`+QIND: "csq",${id % 32},99`),
  () => single('+CFUN: 1'),
  () => single('+CPIN: READY'),
  (id) => single(`+CREG: ${id % 6}`),
  () => single('RING'),
  () => single('+CGEV: ME DETACH'),
  (id) => ({ lines: [`+CMT: "+49${id}",,"24/01/01,00:00:00+04"`, id % 2 === 0 ? 'OK' : `hello ${id}`], key: `+CMT: "+49${id}",,"24/01/01,00:00:00+04"|${id % 2 === 0 ? 'OK' : `hello ${id}`}` }),
];

function single(line: string): { lines: string[]; key: string } {
  return { lines: [line], key: line };
}

const FINALS = ['OK', 'OK', 'OK', 'ERROR', '+CME ERROR: 10', '+CME ERROR: SIM busy', '+CMS ERROR: 500'] as const;
const GARBAGE_BYTES = [0x00, 0x01, 0x07, 0x08, 0x1b, 0x7f] as const;

const stepArbitrary = fc.record({
  command: fc.integer({ min: 0, max: COMMANDS.length - 1 }),
  lineCount: fc.integer({ min: 0, max: 3 }),
  final: fc.constantFrom(...FINALS),
  urcs: fc.array(fc.record({ kind: fc.integer({ min: 0, max: URCS.length - 1 }), slot: fc.nat({ max: 5 }) }), { maxLength: 3 }),
  behaviour: fc.constantFrom('answer', 'answer', 'answer', 'answer', 'answer', 'answer', 'silent', 'late', 'half'),
  cuts: fc.array(fc.integer({ min: 1, max: 400 }), { maxLength: 6 }),
  garbage: fc.array(fc.record({ at: fc.nat({ max: 400 }), byte: fc.constantFrom(...GARBAGE_BYTES) }), { maxLength: 4 }),
  blankLines: fc.boolean(),
});

const transcriptArbitrary = fc.record({
  echo: fc.boolean(),
  steps: fc.array(stepArbitrary, { minLength: 1, maxLength: 8 }),
});

type Step = typeof stepArbitrary extends fc.Arbitrary<infer T> ? T : never;

interface Plan {
  readonly text: string;
  readonly lines: string[];
  readonly final: string;
  readonly behaviour: Step['behaviour'];
  /** Bytes sent as soon as the command arrives. */
  readonly now: Uint8Array;
  /** Bytes held back until the resync probe arrives ('late'). */
  readonly later: Uint8Array | undefined;
  readonly urcKeys: string[];
  readonly cuts: readonly number[];
}

const encoder = new TextEncoder();
const framed = (lines: readonly string[]): string => lines.map((line) => `\r\n${line}\r\n`).join('');

function withGarbage(bytes: Uint8Array, garbage: Step['garbage']): Uint8Array {
  const out = [...bytes];
  for (const { at, byte } of garbage) out.splice(at % (out.length + 1), 0, byte);
  return Uint8Array.from(out);
}

function plan(step: Step, index: number): Plan {
  const command = COMMANDS[step.command];
  assert.ok(command !== undefined);
  const lines = Array.from({ length: step.lineCount }, (_, j) => command.line(index * 10 + j + 1));
  const urcs = step.urcs.map(({ kind, slot }, j) => {
    const make = URCS[kind];
    assert.ok(make !== undefined);
    return { ...make(index * 10 + j + 1), slot: slot % (lines.length + 2) };
  });
  const urcKeys = urcs.map((urc) => urc.key);
  const blank = step.blankLines ? '\r\n\r\n' : '';
  let now: string;
  let later: string | undefined;
  if (step.behaviour === 'answer') {
    const sequence: string[] = [];
    for (let position = 0; position <= lines.length + 1; position++) {
      for (const urc of urcs.filter((u) => u.slot === position)) sequence.push(blank + framed(urc.lines));
      if (position < lines.length) sequence.push(framed([lines[position] ?? '']));
      if (position === lines.length) sequence.push(blank + framed([step.final]));
    }
    now = sequence.join('');
  } else {
    now = urcs.map((urc) => framed(urc.lines)).join('');
    if (step.behaviour === 'late') later = framed([...lines, step.final]);
    if (step.behaviour === 'half') now += `\r\n${command.line(index * 10 + 9).slice(0, 7)}`;
  }
  return {
    text: command.text,
    lines,
    final: step.final,
    behaviour: step.behaviour,
    now: step.behaviour === 'half' ? encoder.encode(now) : withGarbage(encoder.encode(now), step.garbage),
    later: later === undefined ? undefined : withGarbage(encoder.encode(later), step.garbage),
    urcKeys,
    cuts: step.cuts,
  };
}

async function writeChunked(module: FakeModule, bytes: Uint8Array, cuts: readonly number[]): Promise<void> {
  const points = [...new Set(cuts.map((cut) => cut % (bytes.length + 1)))].sort((a, b) => a - b);
  let start = 0;
  for (const point of [...points, bytes.length]) {
    if (point > start) {
      await module.write(bytes.subarray(start, point));
      await tick();
    }
    start = Math.max(start, point);
  }
}

function rejectAfter(ms: number, what: string): { promise: Promise<never>; cancel: () => void } {
  let timer: NodeJS.Timeout | undefined;
  const promise = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      reject(new Error(`hang: ${what} not settled within ${ms} ms`));
    }, ms);
  });
  return {
    promise,
    cancel: () => {
      clearTimeout(timer);
    },
  };
}

/** What the user of send() must see for one planned step. */
function checkResult(result: PromiseSettledResult<AtResponse>, p: Plan, where: string): void {
  if (result.status === 'fulfilled') {
    assert.ok(p.behaviour === 'answer' && p.final === 'OK', `${where}: resolved`);
    assert.deepEqual(result.value.lines, p.lines, where);
    return;
  }
  const reason: unknown = result.reason;
  if (p.behaviour !== 'answer') {
    assert.ok(isMedicError(reason) && reason.code === 'AT_TIMEOUT', `${where}: ${String(reason)}`);
    return;
  }
  assert.ok(p.final !== 'OK', `${where}: rejected with ${String(reason)}`);
  assert.ok(reason instanceof AtCommandError, `${where}: ${String(reason)}`);
  assert.deepEqual(reason.lines, p.lines, where);
  assert.equal(reason.final.line, p.final, where);
}

describe('AtClient property: random transcripts', () => {
  it('settles every command with exactly its own lines and delivers every URC exactly once', { timeout: 300_000 }, async () => {
    await fc.assert(
      fc.asyncProperty(transcriptArbitrary, async ({ echo, steps }) => {
        const plans = steps.map(plan);
        let next = 0;
        let pendingLate: { bytes: Uint8Array; cuts: readonly number[] } | undefined;
        const mismatches: string[] = [];
        const { client, close } = connect(
          async (command, module) => {
            if (command === 'AT') {
              if (pendingLate !== undefined) {
                await writeChunked(module, pendingLate.bytes, pendingLate.cuts);
                pendingLate = undefined;
              }
              await module.write('\r\nOK\r\n');
              return;
            }
            const current = plans[next++];
            if (current?.text !== command) {
              mismatches.push(`module got ${command}, expected ${current?.text ?? 'nothing'}`);
              return;
            }
            await writeChunked(module, current.now, current.cuts);
            if (current.later !== undefined) pendingLate = { bytes: current.later, cuts: current.cuts };
          },
          // quietMs is the resync's quiet period; it only has to outlast the gap between two writes of
          // the fake module, which runs on the same event loop.
          { echo, client: { quietMs: 50, probeTimeoutMs: 3000 } },
        );
        const delivered: string[] = [];
        client.onUrc((urc) => delivered.push(urc.data === undefined ? urc.line : [urc.line, ...urc.data].join('|')));

        const settled = Promise.allSettled(plans.map((p) => client.send(p.text, { timeoutMs: p.behaviour === 'answer' ? 20_000 : 60 })));
        const deadline = rejectAfter(60_000, 'the transcript');
        let results: PromiseSettledResult<AtResponse>[];
        try {
          results = await Promise.race([settled, deadline.promise]);
          // Everything the module sent before this probe has been read once its OK arrives.
          await Promise.race([client.send('AT'), deadline.promise]);
        } finally {
          deadline.cancel();
        }
        await close();

        assert.deepEqual(mismatches, []);
        results.forEach((result, i) => {
          const p = plans[i];
          assert.ok(p !== undefined);
          checkResult(result, p, `step ${i} (${p.behaviour} ${p.text} → ${p.final})`);
        });
        const expected = plans.flatMap((p) => p.urcKeys);
        assert.deepEqual([...delivered].sort(), [...expected].sort());
      }),
      { numRuns: 50 },
    );
  });
});
