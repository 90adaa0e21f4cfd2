import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ByteTransport } from '../../../src/transport/byte-transport.js';
import { FirehoseClient, type FirehoseProgress } from '../../../src/protocols/firehose/client.js';
import type { FirehoseTimeouts } from '../../../src/protocols/firehose/timeouts.js';
import { FirehoseNakError } from '../../../src/protocols/firehose/errors.js';
import { createTransportPair } from '../../../src/transport/memory.js';
import { createBackpressurePair } from '../../helpers/backpressure-pair.js';
import { concat, ScriptedPeer } from '../../helpers/scripted-peer.js';
import { ACK, ACK_RAW, ACK_RAW_DONE, configureAck, log, response, STARTUP } from './device-messages.js';
import { isCode } from '../../helpers/medic-error.js';

const fast: FirehoseTimeouts = { startupFirstMs: 300, startupSilenceMs: 100, responseMs: 500, eraseMs: 500, rawChunkMs: 500, finalAckMs: 500, powerDrainMs: 100 };
const encode = (text: string): Uint8Array => new TextEncoder().encode(text);
const CONFIGURE_8192 = '<?xml version="1.0" ?><data><configure MemoryName="nand" Verbose="0" AlwaysValidate="0" MaxDigestTableSizeInBytes="2048" MaxPayloadSizeToTargetInBytes="8192" ZlpAwareHost="0" SkipStorageInit="0" PAGES_PER_BLOCK="64" /></data>';

interface Session {
  readonly client: FirehoseClient;
  readonly device: ScriptedPeer;
  readonly deviceLogs: string[];
}

/** A programmer that has booted (start-up burst) and been configured for NAND, 4 KiB pages, 64 pages per block. */
async function configuredSession(pair: [ByteTransport, ByteTransport] = createTransportPair()): Promise<Session> {
  const [host, dev] = pair;
  const device = new ScriptedPeer(dev);
  const deviceLogs: string[] = [];
  const client = new FirehoseClient(host, { timeouts: fast, onLog: (line) => deviceLogs.push(line) });
  for (const message of STARTUP) await device.send(message);
  const configuring = client.configure({ memoryName: 'nand', pagesPerBlock: 64 });
  assert.equal(await device.takeXml(), CONFIGURE_8192);
  await device.send(configureAck(8192));
  await configuring;
  return { client, device, deviceLogs };
}

describe('Firehose client: start-up and configure (edl-protocols.md §2.2–2.3)', () => {
  it('waits for the start-up burst to end before sending configure, and keeps the function list', async () => {
    const [host, dev] = createTransportPair();
    const device = new ScriptedPeer(dev);
    const deviceLogs: string[] = [];
    const client = new FirehoseClient(host, { timeouts: { ...fast, startupFirstMs: 3000, startupSilenceMs: 1500 }, onLog: (line) => deviceLogs.push(line) });
    const configuring = client.configure({ memoryName: 'nand', pagesPerBlock: 64 });
    await device.send(STARTUP[0] ?? '');
    assert.equal(await device.poll(50), undefined, 'nothing is sent while the programmer is still logging');
    await device.send(STARTUP[1] ?? '');
    assert.equal(await device.takeXml(), CONFIGURE_8192);
    assert.deepEqual(client.supportedFunctions, ['program', 'configure', 'power', 'benchmark', 'read', 'getstorageinfo', 'erase', 'nop']);
    assert.equal(deviceLogs.length, 2);
    await device.send(configureAck(8192));
    const configuration = await configuring;
    assert.equal(configuration.maxPayloadSizeToTargetInBytes, 8192);
    assert.equal(configuration.maxPayloadSizeFromTargetInBytes, 4096);
    assert.equal(configuration.targetName, '9x07');
    assert.equal(configuration.attempts, 1);
  });

  it('on a NAK carrying the programmer\'s payload size, adopts it and configures again', async () => {
    const [host, dev] = createTransportPair();
    const device = new ScriptedPeer(dev);
    const client = new FirehoseClient(host, { timeouts: fast });
    const configuring = client.configure({ memoryName: 'nand', maxPayloadSizeToTargetInBytes: 1048576 });
    assert.match(await device.takeXml(), /MaxPayloadSizeToTargetInBytes="1048576"/);
    await device.send(log("Host's payload to target size is too large") + response('NAK', ' MemoryName="NAND" MaxPayloadSizeFromTargetInBytes="4096" MaxPayloadSizeToTargetInBytes="16384" MaxPayloadSizeToTargetInBytesSupported="16384" TargetName="9x07"'));
    assert.equal(
      await device.takeXml(),
      '<?xml version="1.0" ?><data><configure MemoryName="nand" Verbose="0" AlwaysValidate="0" MaxDigestTableSizeInBytes="2048" MaxPayloadSizeToTargetInBytes="16384" ZlpAwareHost="0" SkipStorageInit="0" /></data>',
    );
    await device.send(configureAck(16384));
    const configuration = await configuring;
    assert.equal(configuration.maxPayloadSizeToTargetInBytes, 16384);
    assert.equal(configuration.attempts, 2);
    assert.ok(configuration.logs.some((line) => line.includes('too large')));
  });

  it('throws FirehoseNakError with the device\'s logs when configure is refused outright', async () => {
    const [host, dev] = createTransportPair();
    const device = new ScriptedPeer(dev);
    const configuring = new FirehoseClient(host, { timeouts: fast }).configure({ memoryName: 'nand' });
    await device.takeXml();
    await device.send(log('ERROR 13: Line 912: HANDLE_CONFIGURE_FAILURE') + response('NAK'));
    await assert.rejects(configuring, isCode('FIREHOSE_NAK', (error) => {
      assert.ok(error instanceof FirehoseNakError);
      assert.equal(error.deviceError?.name, 'HANDLE_CONFIGURE_FAILURE');
      assert.match(error.hint ?? '', /MemoryName/);
    }));
  });

  it('parses bytes handed over from Sahara before reading the port', async () => {
    const [host, dev] = createTransportPair();
    const device = new ScriptedPeer(dev);
    const client = new FirehoseClient(host, { timeouts: fast, initialBytes: encode(STARTUP[0] ?? '') });
    const draining = client.drainStartupLogs();
    await device.send(STARTUP[1] ?? '');
    const startup = await draining;
    assert.equal(startup.logs.length, 2);
    assert.match(startup.logs[0] ?? '', /Binary build date/);
  });
});

describe('Firehose client: NAND commands (edl-protocols.md §2.4–2.7)', () => {
  it('erases a block-aligned range', async () => {
    const { client, device } = await configuredSession();
    const erasing = client.erase({ startSector: 0, numSectors: 640, sectorSize: 4096 });
    assert.equal(await device.takeXml(), '<?xml version="1.0" ?><data><erase SECTOR_SIZE_IN_BYTES="4096" num_partition_sectors="640" start_sector="0" PAGES_PER_BLOCK="64" /></data>');
    await device.send(log('Erasing start sector 0, num sectors 640') + ACK);
    const result = await erasing;
    assert.deepEqual(result.logs, ['Erasing start sector 0, num sectors 640']);
  });

  it('refuses an unaligned NAND erase before sending anything', async () => {
    const { client, device } = await configuredSession();
    await assert.rejects(client.erase({ startSector: 10, numSectors: 64, sectorSize: 4096 }), isCode('USAGE', (error) => { assert.match(error.message, /start_sector 10/); }));
    assert.equal(await device.poll(30), undefined);
  });

  it('programs a 10000-byte file as three 4 KiB sectors, padded with 0xFF, in payload-sized writes', async () => {
    const { client, device } = await configuredSession();
    const file = Uint8Array.from({ length: 10000 }, (_, i) => (i * 13) & 0xff);
    const progress: FirehoseProgress[] = [];
    const programming = client.program({ startSector: 640, sectorSize: 4096, filename: 'partition_complete_p4K_b256K.mbn' }, file, { onProgress: (p) => progress.push(p) });
    assert.equal(
      await device.takeXml(),
      '<?xml version="1.0" ?><data><program SECTOR_SIZE_IN_BYTES="4096" num_partition_sectors="3" physical_partition_number="0" start_sector="640" PAGES_PER_BLOCK="64" filename="partition_complete_p4K_b256K.mbn" /></data>',
    );
    await device.send(ACK_RAW);
    const before = device.chunkSizes.length;
    const written = await device.take(12288);
    assert.deepEqual(written.subarray(0, 10000), file);
    assert.ok(written.subarray(10000).every((byte) => byte === 0xff), 'the last sector is padded with 0xFF');
    assert.deepEqual(device.chunkSizes.slice(before), [8192, 4096], 'one write per payload, none larger than 8192');
    await device.send(log('Finished sector address 643') + ACK_RAW_DONE);
    const result = await programming;
    assert.equal(result.bytes, 12288);
    assert.equal(result.sourceBytes, 10000);
    assert.deepEqual(progress.at(-1), { bytes: 12288, total: 12288 });
  });

  it('turns a NAK with an ERROR log into FirehoseNakError carrying the log and a geometry hint', async () => {
    const { client, device } = await configuredSession();
    const programming = client.program({ startSector: 0, sectorSize: 2048 }, new Uint8Array(2048));
    await device.takeXml();
    await device.send(
      log("Attribute 'PAGES_PER_BLOCK'=2048 must be equal to disk pages per block 64") + log('ERROR 21: Line 1180: HANDLE_PROGRAM_FAILURE') + response('NAK'),
    );
    await assert.rejects(programming, isCode('FIREHOSE_NAK', (error) => {
      assert.ok(error instanceof FirehoseNakError);
      assert.equal(error.command, 'program');
      assert.deepEqual(error.deviceError && [error.deviceError.number, error.deviceError.line, error.deviceError.name], [21, 1180, 'HANDLE_PROGRAM_FAILURE']);
      assert.equal(error.deviceLogs.length, 2);
      assert.match(error.message, /ERROR 21: Line 1180: HANDLE_PROGRAM_FAILURE/);
      assert.match(error.hint ?? '', /PAGES_PER_BLOCK/);
    }));
  });

  it('streams a large source with back-pressure: never more than a couple of transfers ahead of the device', async () => {
    const { client, device } = await configuredSession(createBackpressurePair());
    let pulled = 0;
    async function* source(): AsyncGenerator<Uint8Array> {
      for (let i = 0; i < 200; i += 1) {
        await Promise.resolve();
        pulled += 1000;
        yield new Uint8Array(1000).fill(i);
      }
    }
    const programming = client.program({ startSector: 1280, sectorSize: 4096 }, source(), { byteLength: 200000 });
    assert.match(await device.takeXml(), /num_partition_sectors="49"/);
    await device.send(ACK_RAW);
    const start = device.received;
    let ahead = 0;
    let got = 0;
    const total = 49 * 4096;
    while (got < total) {
      // A device slower than the host: it takes its time (a macrotask) before each read.
      await new Promise((resolve) => setTimeout(resolve, 1));
      const chunk = await device.take(Math.min(8192, total - got));
      got += chunk.length;
      ahead = Math.max(ahead, pulled - (device.received - start));
      assert.ok(chunk.every((byte, i) => byte === (got - chunk.length + i < 200000 ? Math.floor((got - chunk.length + i) / 1000) : 0xff)), 'data in order');
    }
    assert.ok(ahead <= 2 * 8192 + 1000, `the host read ${ahead} bytes ahead of the device`);
    await device.send(ACK_RAW_DONE);
    assert.equal((await programming).sourceBytes, 200000);
  });

  it('completes the command but reports a source that delivers less than announced', async () => {
    const { client, device } = await configuredSession();
    async function* short(): AsyncGenerator<Uint8Array> {
      await Promise.resolve();
      yield new Uint8Array(5000).fill(1);
    }
    const programming = client.program({ startSector: 0, sectorSize: 4096 }, short(), { byteLength: 10000 });
    await device.takeXml();
    await device.send(ACK_RAW);
    const written = await device.take(12288);
    assert.ok(written.subarray(5000).every((byte) => byte === 0xff));
    await device.send(ACK_RAW_DONE);
    await assert.rejects(programming, isCode('FIREHOSE_DATA_SIZE', (error) => { assert.match(error.message, /5000 of 10000/); }));
  });

  it('reports the device vanishing mid-program as FIREHOSE_DISCONNECTED', async () => {
    const { client, device } = await configuredSession();
    const programming = client.program({ startSector: 0, sectorSize: 4096 }, new Uint8Array(65536));
    await device.takeXml();
    await device.send(ACK_RAW);
    await device.take(8192);
    await device.close();
    await assert.rejects(programming, isCode('FIREHOSE_DISCONNECTED'));
  });

  it('reads raw data that shares reads with the ACKs around it', async () => {
    const { client, device } = await configuredSession();
    const data = Uint8Array.from({ length: 16384 }, (_, i) => (i * 31) & 0xff);
    const reading = client.read({ startSector: 64, numSectors: 4, sectorSize: 4096 });
    assert.equal(await device.takeXml(), '<?xml version="1.0" ?><data><read SECTOR_SIZE_IN_BYTES="4096" num_partition_sectors="4" physical_partition_number="0" start_sector="64" PAGES_PER_BLOCK="64" /></data>');
    await device.send(concat(encode(ACK_RAW), data.subarray(0, 5000)));
    await device.send(data.subarray(5000, 12000));
    await device.send(concat(data.subarray(12000), encode(ACK_RAW_DONE)));
    assert.deepEqual(await reading, data);
  });

  it('streams a read into an async sink, in order, with progress', async () => {
    const { client, device } = await configuredSession();
    const data = Uint8Array.from({ length: 8192 }, (_, i) => i & 0xff);
    const seen: number[] = [];
    const progress: FirehoseProgress[] = [];
    const reading = client.readTo({ startSector: 0, numSectors: 2, sectorSize: 4096 }, async (chunk) => {
      await Promise.resolve();
      seen.push(...chunk);
    }, { onProgress: (p) => progress.push(p) });
    await device.takeXml();
    await device.send(ACK_RAW);
    await device.sendSplit(data, 3000);
    await device.send(ACK_RAW_DONE);
    assert.equal((await reading).bytes, 8192);
    assert.deepEqual(seen, [...data]);
    assert.deepEqual(progress.at(-1), { bytes: 8192, total: 8192 });
  });

  it('reads storage info from the log lines and uses its page size afterwards', async () => {
    const { client, device } = await configuredSession();
    const asking = client.getStorageInfo();
    assert.equal(await device.takeXml(), '<?xml version="1.0" ?><data><getstorageinfo physical_partition_number="0" /></data>');
    for (const line of ['[FLASH_INFO]', 'FLASH_NAME=TOSHIBA_NAND', 'SECTOR_SIZE_IN_BYTES = 4096', 'NUM_PARTITION_SECTORS = 131072', 'num_physical_partitions = 1', 'TOTAL_SECTOR_SIZE_IN_BYTES= 4320', '[BAD_BLOCK_LIST]', 'TOTAL_BAD_BLOCK=0']) await device.send(log(line));
    await device.send(ACK);
    const info = await asking;
    assert.equal(info.pageSize, 4096);
    assert.equal(info.totalPages, 131072);
    const erasing = client.erase({ startSector: 0, numSectors: 64 });
    assert.match(await device.takeXml(), /SECTOR_SIZE_IN_BYTES="4096"/);
    await device.send(ACK);
    await erasing;
  });

  it('resets: ACK, the last logs, then the device drops off — not an error', async () => {
    const { client, device, deviceLogs } = await configuredSession();
    const resetting = client.power({ value: 'reset' });
    assert.equal(await device.takeXml(), '<?xml version="1.0" ?><data><power DelayInSeconds="10" value="reset" /></data>');
    await device.send(ACK + log('Will issue reset/power off 100 useconds, if this hangs check if watchdog is enabled') + log('bsp_target_reset() 1'));
    await device.close();
    const result = await resetting;
    assert.equal(result.acknowledged, true);
    assert.deepEqual(result.logs.slice(-1), ['bsp_target_reset() 1']);
    assert.ok(deviceLogs.includes('bsp_target_reset() 1'), 'device logs reach onLog as they arrive');
  });

  it('a device that drops off before its power ACK is reported as unacknowledged, not as an error', async () => {
    const { client, device } = await configuredSession();
    const powering = client.power({ value: 'off', delayInSeconds: 1 });
    assert.match(await device.takeXml(), /<power DelayInSeconds="1" value="off" \/>/);
    await device.close();
    assert.deepEqual(await powering, { acknowledged: false, logs: [] });
  });

  it('times out with a hint when the programmer stops answering', async () => {
    const { client } = await configuredSession();
    await assert.rejects(client.nop(), isCode('FIREHOSE_TIMEOUT', (error) => { assert.match(error.hint ?? '', /EDL/); }));
  });

  it('refuses what the NAND programmer would reject: program before configure, no PAGES_PER_BLOCK, a block-0 write benchmark', async () => {
    const [host] = createTransportPair();
    const fresh = new FirehoseClient(host, { timeouts: fast });
    await assert.rejects(fresh.program({ startSector: 0, sectorSize: 4096 }, new Uint8Array(10)), isCode('USAGE', (error) => { assert.match(error.hint ?? '', /configure/); }));

    const [host2, dev2] = createTransportPair();
    const device = new ScriptedPeer(dev2);
    const client = new FirehoseClient(host2, { timeouts: fast });
    const configuring = client.configure({ memoryName: 'nand' });
    await device.takeXml();
    await device.send(configureAck(8192));
    await configuring;
    await assert.rejects(client.erase({ startSector: 0, numSectors: 64, sectorSize: 4096 }), isCode('USAGE', (error) => { assert.match(error.message, /PAGES_PER_BLOCK/); }));
    await assert.rejects(client.benchmark({ TestWritePerformance: 1 }), isCode('USAGE', (error) => { assert.match(error.message, /block 0/); }));
    assert.equal(await device.poll(30), undefined, 'none of it reached the device');
  });
});
