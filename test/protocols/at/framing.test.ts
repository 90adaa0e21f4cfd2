import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LineFramer, type FrameEvent } from '../../../src/protocols/at/framing.js';

const bytes = (text: string): Uint8Array => Uint8Array.from(text, (c) => c.charCodeAt(0));

function lines(events: readonly FrameEvent[]): string[] {
  return events.flatMap((event) => (event.kind === 'line' ? [event.text] : []));
}

function feed(framer: LineFramer, ...chunks: (string | Uint8Array)[]): FrameEvent[] {
  return chunks.flatMap((chunk) => framer.push(typeof chunk === 'string' ? bytes(chunk) : chunk));
}

describe('AT line framing', () => {
  it('splits a real response into lines and drops the blank ones', () => {
    const framer = new LineFramer();
    assert.deepEqual(lines(feed(framer, '\r\nQuectel\r\nEC25\r\nRevision: EC25EFAR02A09M4G\r\n\r\nOK\r\n')), ['Quectel', 'EC25', 'Revision: EC25EFAR02A09M4G', 'OK']);
  });

  it('takes the echo, which ends in CR alone, as a line of its own', () => {
    const framer = new LineFramer();
    assert.deepEqual(lines(feed(framer, 'AT+CSQ\r\r\n+CSQ: 99,99\r\n\r\nOK\r\n')), ['AT+CSQ', '+CSQ: 99,99', 'OK']);
  });

  it('reassembles lines split at any byte, including between CR and LF', () => {
    const text = 'AT+CSQ\r\r\n+CSQ: 23,99\r\n\r\nOK\r\n';
    for (let cut = 0; cut <= text.length; cut++) {
      const framer = new LineFramer();
      assert.deepEqual(lines(feed(framer, text.slice(0, cut), text.slice(cut))), ['AT+CSQ', '+CSQ: 23,99', 'OK'], `cut at ${cut}`);
    }
  });

  it('removes NULs and other control bytes, and a line of nothing but junk disappears', () => {
    const framer = new LineFramer();
    const junk = Uint8Array.from([0x00, 0x00, 0x0d, 0x0a, 0x4f, 0x00, 0x4b, 0x07, 0x0d, 0x0a, 0x1b, 0x7f, 0x0d, 0x0a]);
    assert.deepEqual(lines(feed(framer, junk)), ['OK']);
  });

  it('keeps bytes that are not ASCII as replacement characters instead of failing', () => {
    const framer = new LineFramer();
    const events = feed(framer, Uint8Array.from([0x7e, 0xff, 0x13, 0xfe, 0x7e, 0x0d, 0x0a]));
    const [line] = lines(events);
    assert.ok(line !== undefined && line.includes('\uFFFD'), `got ${JSON.stringify(line)}`);
  });

  it('discards an overlong line up to its terminator, reports it, and frames the next line normally', () => {
    const framer = new LineFramer({ maxLineBytes: 64 });
    const events = feed(framer, 'A'.repeat(50), 'B'.repeat(100), '\r\nOK\r\n');
    assert.deepEqual(events, [{ kind: 'overflow', dropped: 150 }, { kind: 'line', text: 'OK' }]);
  });

  it('keeps a line of exactly the cap', () => {
    const framer = new LineFramer({ maxLineBytes: 64 });
    assert.deepEqual(lines(feed(framer, `${'x'.repeat(64)}\r\n`)), ['x'.repeat(64)]);
  });

  it('forgets a half line on request, so its tail cannot glue onto the next answer', () => {
    const framer = new LineFramer();
    assert.deepEqual(feed(framer, '\r\n+QENG: "servingc'), []);
    assert.equal(framer.partialLength, 16);
    assert.equal(framer.discardPartial(), 16);
    assert.equal(framer.partialLength, 0);
    assert.deepEqual(lines(feed(framer, 'OK\r\n')), ['OK']);
  });

  it('reports the "> " text prompt, which has no terminator, as its own event', () => {
    const framer = new LineFramer();
    assert.deepEqual(feed(framer, 'AT+CMGS="123"\r\r\n> '), [{ kind: 'line', text: 'AT+CMGS="123"' }, { kind: 'prompt' }]);
    assert.equal(framer.partialLength, 0);
    assert.deepEqual(lines(feed(framer, '\r\n+CMGS: 12\r\n\r\nOK\r\n')), ['+CMGS: 12', 'OK']);
  });

  it('does not take ">" inside a line for a prompt', () => {
    const framer = new LineFramer();
    assert.deepEqual(feed(framer, 'a > b\r\n'), [{ kind: 'line', text: 'a > b' }]);
  });
});
