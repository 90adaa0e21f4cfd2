import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { logValues as logs } from '../../helpers/device-output.js';
import { deviceResponse, firehoseDoc } from '../../helpers/edl-bytes.js';
import { ERASE, firehoseHarness, pages, PROGRAM } from '../../helpers/firehose-harness.js';

const RAW_ON = deviceResponse('ACK', { rawmode: 'true' });

describe('Firehose faults', () => {
  it('NAKs a named command with its ERROR line and leaves the flash alone', async () => {
    const h = await firehoseHarness({ faults: { nakCommands: ['program'] } });
    await h.command(ERASE(0, 64));
    const messages = await h.command(PROGRAM(0, 1));
    assert.match(logs(messages)[0] ?? '', /^ERROR 21: Line \d+: HANDLE_PROGRAM_FAILURE$/);
    assert.equal(messages.at(-1), deviceResponse('NAK'));
    assert.equal(h.nand.usedPages, 0);
    assert.equal((await h.command(ERASE(0, 64))).at(-1), deviceResponse('ACK'), 'other commands still work');
  });

  it('noisy logs: extra log lines before every response, the responses unchanged', async () => {
    const h = await firehoseHarness({ faults: { noisyLogs: 3 } });
    const messages = await h.command(ERASE(0, 64));
    assert.equal(messages.length, 1 + 3 + 1);
    assert.deepEqual(logs(messages).slice(1), ['Noise 1/3: simulated device chatter', 'Noise 2/3: simulated device chatter', 'Noise 3/3: simulated device chatter']);
    assert.equal(messages.at(-1), deviceResponse('ACK'));
  });

  it('drops the link after N received bytes: pages before are written, the rest never arrive, no page is torn', async () => {
    const h = await firehoseHarness();
    await h.command(ERASE(0, 64));
    const start = h.target.receivedBytes;
    const doc = firehoseDoc(PROGRAM(0, 4));
    h.target.setFaults({ dropLinkAfterReceivedBytes: start + doc.length + 2 * 4096 + 100 });
    assert.equal((await h.raw(doc)).at(-1), RAW_ON);
    const after = await h.raw(pages(1, 4));
    assert.deepEqual(after, [], 'the device says nothing more');
    assert.equal(h.target.state, 'link-down');
    assert.equal(h.stops.length, 1);
    const report = h.stops[0];
    assert.ok(report !== undefined);
    assert.equal(report.reason, 'link-drop');
    assert.equal(report.command, 'program');
    assert.deepEqual(report.program, { startSector: 0, pagesWritten: 2, nextPage: 2 });
    assert.equal(report.tornPage, undefined);
    assert.equal(report.receivedBytes, start + doc.length + 2 * 4096 + 100);
    assert.deepEqual([0, 1, 2, 3].map((p) => h.nand.pageState(p)), ['programmed', 'programmed', 'erased', 'erased']);
  });

  it('cuts power after N received bytes in the middle of a page: earlier pages written, that page torn, later ones erased', async () => {
    const h = await firehoseHarness();
    await h.command(ERASE(0, 64));
    const doc = firehoseDoc(PROGRAM(0, 4));
    h.target.setFaults({ cutPowerAfterReceivedBytes: h.target.receivedBytes + doc.length + 2 * 4096 + 100 });
    await h.raw(doc);
    await h.raw(pages(1, 4));
    assert.equal(h.target.state, 'power-cut');
    assert.deepEqual(h.stops.map((stop) => [stop.reason, stop.tornPage]), [['power-cut', 2]]);
    assert.deepEqual([0, 1, 2, 3].map((p) => h.nand.pageState(p)), ['programmed', 'programmed', 'uncorrectable', 'erased']);
  });

  it('a simulator that does not want torn pages can say so', async () => {
    const h = await firehoseHarness({ tearPageOnPowerCut: false });
    await h.command(ERASE(0, 64));
    await h.command(PROGRAM(0, 2));
    await h.raw(pages(1, 2).subarray(0, 4096 + 10));
    assert.equal(h.target.powerCut()?.tornPage, undefined);
    assert.deepEqual([0, 1].map((p) => h.nand.pageState(p)), ['programmed', 'erased']);
  });

  it('a power cut exactly on a page boundary tears nothing', async () => {
    const h = await firehoseHarness();
    await h.command(ERASE(0, 64));
    const doc = firehoseDoc(PROGRAM(0, 4));
    h.target.setFaults({ cutPowerAfterReceivedBytes: h.target.receivedBytes + doc.length + 3 * 4096 });
    await h.raw(doc);
    await h.raw(pages(1, 4));
    assert.equal(h.stops[0]?.tornPage, undefined);
    assert.deepEqual([0, 1, 2, 3].map((p) => h.nand.pageState(p)), ['programmed', 'programmed', 'programmed', 'erased']);
  });

  it('powerCut() from the simulator (VBAT removed) stops a transfer where it is', async () => {
    const h = await firehoseHarness();
    await h.command(ERASE(64, 64));
    await h.command(PROGRAM(64, 3));
    await h.raw(pages(1, 3).subarray(0, 4096 + 10));
    const report = h.target.powerCut();
    assert.ok(report !== undefined);
    assert.equal(report.reason, 'power-cut');
    assert.equal(report.tornPage, 65);
    assert.deepEqual(report.program, { startSector: 64, pagesWritten: 1, nextPage: 65 });
    assert.equal(h.nand.pageState(65), 'uncorrectable');
    assert.deepEqual(await h.raw(pages(2, 2)), []);
  });

  it('a power cut while idle between commands reports no command and harms nothing', async () => {
    const h = await firehoseHarness();
    await h.command(ERASE(0, 64));
    const report = h.target.powerCut();
    assert.ok(report !== undefined);
    assert.equal(report.command, undefined);
    assert.equal(report.tornPage, undefined);
    assert.equal(h.nand.usedPages, 0);
  });

  it('drops the link after N sent bytes: the host gets a cut-off message and then nothing', async () => {
    const h = await firehoseHarness();
    h.target.setFaults({ dropLinkAfterSentBytes: h.target.sentBytes + 50 });
    const messages = await h.command('<getstorageinfo physical_partition_number="0" />');
    assert.equal(messages.length, 1);
    assert.equal(messages[0]?.length, 50);
    assert.equal(h.target.state, 'link-down');
    assert.equal(h.stops[0]?.reason, 'link-drop');
  });
});
