import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { logValues as logs } from '../../helpers/device-output.js';
import { deviceLog, deviceResponse, firehoseDoc } from '../../helpers/edl-bytes.js';
import { ERASE, firehoseHarness, pages, PROGRAM, READ } from '../../helpers/firehose-harness.js';

const ACK = deviceResponse('ACK');
const NAK = deviceResponse('NAK');
const RAW_ON = deviceResponse('ACK', { rawmode: 'true' });
const RAW_OFF = deviceResponse('ACK', { rawmode: 'false' });
const CONFIGURE = (payload: number, digest = 2048): string =>
  `<configure MemoryName="nand" Verbose="0" AlwaysValidate="0" MaxDigestTableSizeInBytes="${digest}" MaxPayloadSizeToTargetInBytes="${payload}" ZlpAwareHost="1" SkipStorageInit="0" />`;

describe('Firehose target: messages and start-up', () => {
  it('starts with the build date and the supported-function list of the boot.bf NAND build, byte for byte', async () => {
    const h = await firehoseHarness();
    assert.deepEqual(
      h.out.writes.map((bytes) => Buffer.from(bytes).toString('latin1')),
      [deviceLog('Binary build date: Dec 12 2016 @ 23:35:46'), deviceLog('Supported Functions: program configure power benchmark read getstorageinfo erase nop ')],
    );
  });

  it('every message is one write: declaration, LF, <data>, LF, element, LF, </data>, unindented, ≤ 1024 bytes, no trailing LF', async () => {
    const h = await firehoseHarness({ badBlocks: [3] });
    await h.command(CONFIGURE(1048576));
    await h.command('<getstorageinfo physical_partition_number="0" />');
    await h.command(ERASE(0, 64));
    await h.command('<patch start_sector="0" />');
    for (const bytes of h.out.writes) {
      const text = Buffer.from(bytes).toString('latin1');
      assert.ok(bytes.length <= 1024, text);
      assert.match(text, /^<\?xml version="1\.0" encoding="UTF-8" \?>\n<data>\n<(log value="[^"]*"\/>|response value="(ACK|NAK)" ([A-Za-z]+="[^"]*" )*\/>)\n<\/data>$/);
    }
  });
});

describe('Firehose target: configure', () => {
  it('NAKs a payload above its 8 KiB channel buffer with the value to use, then ACKs that value', async () => {
    const h = await firehoseHarness();
    const fields = { MemoryName: 'NAND', MaxPayloadSizeFromTargetInBytes: 4096, MaxPayloadSizeToTargetInBytes: 8192, MaxPayloadSizeToTargetInBytesSupported: 8192, TargetName: '9x07' };
    assert.deepEqual(await h.command(CONFIGURE(1048576)), [deviceResponse('NAK', fields)]);
    assert.deepEqual(await h.command(CONFIGURE(8192)), [deviceResponse('ACK', fields)]);
  });

  it('accepts a smaller payload and reports it; a missing payload means the channel buffer', async () => {
    const h = await firehoseHarness();
    const [reply] = await h.command(CONFIGURE(4096));
    assert.match(reply ?? '', /<response value="ACK" MemoryName="NAND" MaxPayloadSizeFromTargetInBytes="4096" MaxPayloadSizeToTargetInBytes="4096" /);
    const [again] = await h.command('<configure MemoryName="nand" />');
    assert.match(again ?? '', /<response value="ACK" .*MaxPayloadSizeToTargetInBytes="8192" /);
  });

  it('NAKs a digest table above 8192 with an error log', async () => {
    const h = await firehoseHarness();
    const messages = await h.command(CONFIGURE(8192, 16384));
    assert.deepEqual(logs(messages).slice(0, 1), ["Attribute 'MaxDigestTableSizeInBytes'=16384 cannot exceed 8192"]);
    assert.match(logs(messages)[1] ?? '', /^ERROR 13: Line \d+: HANDLE_CONFIGURE_FAILURE$/);
    assert.match(messages.at(-1) ?? '', /<response value="NAK" MemoryName="NAND" /);
  });

  it('NAKs a payload that is not a multiple of 512 before running the command', async () => {
    const h = await firehoseHarness();
    const messages = await h.command(CONFIGURE(1000));
    assert.deepEqual(logs(messages), ["Attribute 'MaxPayloadSizeToTargetInBytes' is not a multiple of 512", 'AssignAttribute failed']);
    assert.equal(messages.at(-1), NAK);
  });

  it('carries the build-id fields when the personality has a build id', async () => {
    const h = await firehoseHarness({ personality: { buildId: 'BOOT.BF.3.1.2-00001' } });
    const [reply] = await h.command(CONFIGURE(8192));
    assert.match(reply ?? '', /TargetName="9x07" MinVersionSupported="1" Version="1" BuildId="BOOT\.BF\.3\.1\.2-00001" DateTime="Dec 12 2016 - 23:35:46" MaxXMLSizeInBytes="4096" \/>/);
  });
});

describe('Firehose target: getstorageinfo', () => {
  it('logs the flash facts and the bad-block list, then ACKs', async () => {
    const h = await firehoseHarness({ badBlocks: [3, 9] });
    const messages = await h.command('<getstorageinfo physical_partition_number="0" />');
    assert.deepEqual(logs(messages), [
      '[FLASH_INFO]',
      'FLASH_NAME=FM6BD4G2GXA',
      'SECTOR_SIZE_IN_BYTES = 4096',
      'NUM_PARTITION_SECTORS = 1024',
      'num_physical_partitions = 1',
      'TOTAL_SECTOR_SIZE_IN_BYTES= 4320',
      '[BAD_BLOCK_LIST]',
      'BAD_BLOCK=3',
      'BAD_BLOCK=9',
      'TOTAL_BAD_BLOCK=2',
    ]);
    assert.equal(messages.at(-1), ACK);
  });
});

describe('Firehose target: erase', () => {
  it('erases whole blocks and skips bad ones with a log', async () => {
    const h = await firehoseHarness({ badBlocks: [2] });
    h.nand.programPage(64, new Uint8Array(4096).fill(1));
    const messages = await h.command(ERASE(0, 4 * 64));
    assert.deepEqual(logs(messages), ['start_sector = 0 and num_partition_sectors =0x100)', 'Skipping: bad block 0x2']);
    assert.equal(messages.at(-1), ACK);
    assert.equal(h.nand.pageState(64), 'erased');
  });

  it('NAKs a start or a length that is not whole blocks', async () => {
    const h = await firehoseHarness();
    const start = await h.command(ERASE(10, 64));
    assert.deepEqual(logs(start).slice(1), ['start_sector unaligned']);
    assert.equal(start.at(-1), NAK);
    const count = await h.command(ERASE(64, 100));
    assert.deepEqual(logs(count).slice(1), ['num_partition_sectors unaligned']);
    assert.equal(count.at(-1), NAK);
  });

  it('ACKs zero blocks, erases the whole chip for 0/0xFFFFFFFF, refuses 0xFFFFFFFF elsewhere', async () => {
    const h = await firehoseHarness();
    assert.deepEqual(logs(await h.command(ERASE(0, 0))).slice(1), ['num_blocks to erase are ZERO']);
    h.nand.programPage(15 * 64, new Uint8Array(4096));
    const whole = await h.command(ERASE(0, 0xffffffff));
    assert.deepEqual(logs(whole).slice(1), ['Erasing entire FLASH chip']);
    assert.equal(whole.at(-1), ACK);
    assert.equal(h.nand.pageState(15 * 64), 'erased');
    const bad = await h.command(ERASE(64, 0xffffffff));
    assert.deepEqual(logs(bad).slice(1), ['num_partition_sectors =0xffffffff too high and start_sector:64 not equal to zero']);
    assert.equal(bad.at(-1), NAK);
  });

  it('fails an erase past the end of the chip with ERROR 6', async () => {
    const h = await firehoseHarness();
    const messages = await h.command(ERASE(15 * 64, 2 * 64));
    assert.match(logs(messages).at(-1) ?? '', /^ERROR 6: Line \d+: STORAGE_DEVICE_ERASE_FAILURE$/);
    assert.equal(messages.at(-1), NAK);
  });
});

describe('Firehose target: program and read', () => {
  it('programs erased pages and reads them back; never-written pages read 0xFF', async () => {
    const h = await firehoseHarness();
    await h.command(ERASE(0, 128));
    const start = await h.command(PROGRAM(62, 3));
    assert.deepEqual(start, [deviceLog('INSIDE HANDLE PROGRAM'), deviceLog('start_sector 62, last_sector_address 65'), RAW_ON]);
    const data = pages(1, 3);
    assert.deepEqual(await h.raw(data), [deviceLog('Finished sector address 62'), RAW_OFF]);
    const read = await h.read(READ(62, 4));
    assert.deepEqual(read.before, [deviceLog('raw_data_buffer_sector_capacity 2'), deviceLog('start_sector 62 and num_partition_sectors4'), RAW_ON]);
    assert.deepEqual(read.data.subarray(0, 3 * 4096), data);
    assert.ok(read.data.subarray(3 * 4096).every((byte) => byte === 0xff));
    assert.equal(read.data.length, 4 * 4096);
    assert.deepEqual(read.after, [RAW_OFF]);
  });

  it('reads in chunks of the configured payload (one write per chunk)', async () => {
    const h = await firehoseHarness();
    await h.command(CONFIGURE(8192));
    h.target.receive(firehoseDoc(READ(0, 5)));
    await h.target.whenIdle();
    const sizes = h.out.take().map((bytes) => bytes.length);
    assert.deepEqual(sizes.slice(3, 6), [8192, 8192, 4096]);
  });

  it('refuses to program a page that is not erased: "Write failed", the data is still consumed, NAK rawmode="false"', async () => {
    const h = await firehoseHarness();
    await h.command(ERASE(0, 64));
    await h.command(PROGRAM(0, 2));
    await h.raw(pages(1, 2));
    assert.deepEqual(await h.command(PROGRAM(1, 2)), [deviceLog('INSIDE HANDLE PROGRAM'), deviceLog('start_sector 1, last_sector_address 3'), RAW_ON]);
    const end = await h.raw(pages(2, 2));
    assert.deepEqual(end, [deviceLog('Write failed errno 1'), deviceLog('Finished sector address 1'), deviceResponse('NAK', { rawmode: 'false' })]);
    const page2 = h.nand.readPage(2);
    assert.equal(page2.status, 'erased', 'pages after the failed one are not written');
    assert.equal((await h.command('<getstorageinfo physical_partition_number="0" />')).at(-1), ACK, 'the stream is still in step');
  });

  it('checks SECTOR_SIZE_IN_BYTES and PAGES_PER_BLOCK against the chip (with the programmer’s misprint) and the range', async () => {
    const h = await firehoseHarness();
    const size = await h.command(PROGRAM(0, 1, 2048));
    assert.deepEqual(logs(size).slice(0, 2), ['INSIDE HANDLE PROGRAM', "Attribute 'SECTOR_SIZE_IN_BYTES'=2048 must be equal to disk sector size 4096"]);
    assert.match(logs(size)[2] ?? '', /^ERROR 21: Line \d+: HANDLE_PROGRAM_FAILURE$/);
    assert.equal(size.at(-1), NAK);
    const ppb = await h.command('<program SECTOR_SIZE_IN_BYTES="4096" num_partition_sectors="1" start_sector="0" PAGES_PER_BLOCK="128" />');
    assert.equal(logs(ppb)[1], "Attribute 'PAGES_PER_BLOCK'=4096 must be equal to disk pages per block 64");
    assert.equal(ppb.at(-1), NAK);
    const range = await h.command(PROGRAM(16 * 64 - 1, 2));
    assert.equal(logs(range)[1], 'Programming region exceeds total block count');
    assert.equal(range.at(-1), NAK);
  });

  it('a program without PAGES_PER_BLOCK fails on a fresh programmer and uses the last value later (attributes persist)', async () => {
    const h = await firehoseHarness();
    const bare = '<program SECTOR_SIZE_IN_BYTES="4096" num_partition_sectors="1" start_sector="0" />';
    assert.equal(logs(await h.command(bare))[1], "Attribute 'PAGES_PER_BLOCK'=4096 must be equal to disk pages per block 64");
    await h.command(ERASE(0, 64));
    assert.equal((await h.command(bare)).at(-1), RAW_ON);
  });

  it('skips a bad block at a block boundary: the data lands in the next good block', async () => {
    const h = await firehoseHarness({ badBlocks: [1] });
    await h.command(ERASE(0, 3 * 64));
    await h.command(PROGRAM(63, 2));
    const data = pages(3, 2);
    assert.equal((await h.raw(data)).at(-1), RAW_OFF);
    const first = h.nand.readPage(63);
    const moved = h.nand.readPage(128);
    assert.ok('data' in first && 'data' in moved);
    assert.deepEqual(first.data, data.subarray(0, 4096));
    assert.deepEqual(moved.data, data.subarray(4096));
  });

  it('reads a bad block as 0xBB, a torn page as 0xDD, an erased page as 0xFF', async () => {
    const h = await firehoseHarness({ badBlocks: [1] });
    h.nand.markUncorrectable(63);
    const read = await h.read(READ(62, 3));
    assert.ok(read.data.subarray(0, 4096).every((byte) => byte === 0xff));
    assert.ok(read.data.subarray(4096, 8192).every((byte) => byte === 0xdd));
    assert.ok(read.data.subarray(8192).every((byte) => byte === 0xbb));
  });

  it('with bad_block_at_end="1" skips a bad block and pads the end with 0xFF', async () => {
    const h = await firehoseHarness({ badBlocks: [1] });
    await h.command(ERASE(128, 64));
    await h.command(PROGRAM(128, 1));
    await h.raw(pages(4, 1));
    const read = await h.read(READ(64, 65, 4096, 'bad_block_at_end="1" '));
    assert.equal(read.data.length, 65 * 4096);
    assert.deepEqual(read.data.subarray(0, 4096), pages(4, 1));
    assert.ok(read.data.subarray(4096).every((byte) => byte === 0xff));
  });

  it('NAKs a read whose sector size is not the page size, and a read beyond the chip', async () => {
    const h = await firehoseHarness();
    const size = await h.command(READ(0, 1, 2048));
    assert.deepEqual(logs(size).slice(0, 1), ["Attribute 'SECTOR_SIZE_IN_BYTES'=2048 must be equal to disk sector size 4096"]);
    assert.match(logs(size)[1] ?? '', /^ERROR 4: Line \d+: STORAGE_READ_FAILURE$/);
    const beyond = await h.command(READ(16 * 64, 64));
    assert.equal(logs(beyond)[0], 'Trying to read beyond total sectors');
    assert.equal(beyond.at(-1), NAK);
  });

  it('reads page + spare with get_spare="1" when the sector size says so', async () => {
    const h = await firehoseHarness();
    const read = await h.read(READ(0, 1, 4320, 'get_spare="1" '));
    assert.equal(read.data.length, 4320);
    assert.ok(read.data.every((byte) => byte === 0xff));
  });

  it('works the same on the p2K_b128K geometry (2048-byte sectors)', async () => {
    const h = await firehoseHarness({ preset: 'p2K_b128K' });
    assert.equal(logs(await h.command('<getstorageinfo physical_partition_number="0" />'))[2], 'SECTOR_SIZE_IN_BYTES = 2048');
    await h.command(ERASE(64, 64, 2048));
    await h.command(PROGRAM(64, 5, 2048));
    const data = pages(5, 5, 2048);
    assert.equal((await h.raw(data)).at(-1), RAW_OFF);
    const read = await h.read(READ(64, 5, 2048));
    assert.deepEqual(read.data, data);
    assert.equal(logs(await h.command(PROGRAM(0, 1)))[1], "Attribute 'SECTOR_SIZE_IN_BYTES'=4096 must be equal to disk sector size 2048");
  });

  it('does not count the LF a host puts after </data> as raw data', async () => {
    const h = await firehoseHarness();
    await h.command(ERASE(0, 64));
    h.target.receive(Uint8Array.from([...firehoseDoc(PROGRAM(0, 1)), 0x0a]));
    await h.target.whenIdle();
    h.out.take();
    const data = pages(6, 1);
    assert.equal((await h.raw(data)).at(-1), RAW_OFF);
    const back = h.nand.readPage(0);
    assert.ok('data' in back);
    assert.deepEqual(back.data, data);
  });

  it('takes the raw data in any split, even byte by byte across page boundaries', async () => {
    const h = await firehoseHarness();
    await h.command(ERASE(0, 64));
    await h.command(PROGRAM(0, 2));
    const data = pages(7, 2);
    for (let at = 0; at < data.length; at += 1000) h.target.receive(data.subarray(at, at + 1000));
    await h.target.whenIdle();
    assert.equal(h.out.takeText().at(-1), RAW_OFF);
    assert.equal(h.nand.pageState(1), 'programmed');
  });
});

describe('Firehose target: other commands and bad input', () => {
  it('power reset: log, ACK, then the chip resets and the programmer answers nothing more', async () => {
    const h = await firehoseHarness();
    const messages = await h.command('<power DelayInSeconds="10" value="reset" />');
    assert.deepEqual(messages, [deviceLog('Inside handlePower() - Requested POWER_RESET'), ACK]);
    assert.deepEqual(h.powers, ['reset']);
    assert.equal(h.target.state, 'reset');
    assert.deepEqual(await h.command('<getstorageinfo physical_partition_number="0" />'), []);
  });

  it('power off, and an unknown power value is NAKed', async () => {
    const off = await firehoseHarness();
    assert.deepEqual(await off.command('<power value="off" />'), [deviceLog('Inside handlePower() - Requested POWER_OFF'), ACK]);
    assert.deepEqual(off.powers, ['off']);
    const bogus = await firehoseHarness();
    const messages = await bogus.command('<power value="reboot" />');
    assert.equal(logs(messages)[0], 'To be here means power_action was not understood with power tag. Target is *not* being reset or powered off');
    assert.equal(messages.at(-1), NAK);
    assert.deepEqual(bogus.powers, []);
  });

  it('nop with an attribute logs and ACKs; <nop /> is NAKed by the parser', async () => {
    const h = await firehoseHarness();
    const nop = await h.command('<nop value="ping" />');
    assert.deepEqual(logs(nop), ['Binary build date: Dec 12 2016 @ 23:35:46\n', 'fh.attrs.Verbose is set to 0', 'Supported Functions: program configure power benchmark read getstorageinfo erase nop ']);
    assert.equal(nop.at(-1), ACK);
    assert.deepEqual(await h.command('<nop />'), [deviceLog("XML not formed correctly. Could not find '=' character"), NAK]);
  });

  it('unknown tags get the warning log and a NAK', async () => {
    const h = await firehoseHarness();
    assert.deepEqual(await h.command('<setbootablestoragedrive value="1" />'), [deviceLog("**WARNING Ignoring Unrecognized tag 'setbootablestoragedrive'"), NAK]);
  });

  it('an XML packet larger than 4096 bytes: ERROR 22 and NAK, then the next packet works', async () => {
    const h = await firehoseHarness();
    const messages = await h.command(`<nop value="1" ${'x="1" '.repeat(800)}/>`);
    assert.match(logs(messages)[0] ?? '', /^XML \(\d+ bytes\) is too big for buffer \(max 4096 bytes\)$/);
    assert.match(logs(messages)[1] ?? '', /^ERROR 22: Line \d+: XML_PACKET_TOO_LARGE$/);
    assert.equal(messages.at(-1), NAK);
    assert.equal((await h.command('<getstorageinfo physical_partition_number="0" />')).at(-1), ACK);
  });

  it('garbage without </data> is dropped once it exceeds the XML buffer', async () => {
    const h = await firehoseHarness();
    const messages = await h.raw(new Uint8Array(5000).fill(0x41));
    assert.equal(messages.at(-1), NAK);
    assert.equal((await h.command('<getstorageinfo physical_partition_number="0" />')).at(-1), ACK);
  });

  it('Verbose="1" makes the programmer log every attribute it recognises or ignores', async () => {
    const h = await firehoseHarness();
    await h.command('<configure MemoryName="nand" Verbose="1" MaxPayloadSizeToTargetInBytes="8192" />');
    const messages = await h.command('<getstorageinfo physical_partition_number="0" label="x" />');
    assert.deepEqual(logs(messages).slice(0, 2), [
      "Recognized Attribute Number 10 ('physical_partition_number') with value '0' type is 'i'",
      "IGNORING UNRECOGNIZED Attribute 'label' with value 'x'",
    ]);
  });

  it('benchmark TestWritePerformance erases block 0 — the start of sbl — and fills it with 0xAA', async () => {
    const h = await firehoseHarness();
    h.nand.programPage(1, new Uint8Array(4096).fill(0x11));
    const messages = await h.command('<benchmark TestWritePerformance="1" />');
    assert.deepEqual(logs(messages).slice(0, 2), ['Going to test writes for lengths 4096 to 8192 for 10 trials. This can take a while.', 'Block0 would be erased for write test starting from sector0']);
    assert.deepEqual(logs(messages).slice(2), ['Writing 4096 bytes 200 us', 'Writing 8192 bytes 400 us']);
    assert.equal(messages.at(-1), ACK);
    const page0 = h.nand.readPage(0);
    assert.ok('data' in page0 && page0.data.every((byte) => byte === 0xaa));
    assert.equal(h.nand.pageState(1), 'erased', 'the old sbl page is gone');
  });
});
