import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SaharaStatus } from '../../../src/protocols/sahara/constants.js';
import { SaharaNakError } from '../../../src/protocols/sahara/errors.js';
import { loadProgrammer, SaharaHost, type SaharaProgress } from '../../../src/protocols/sahara/host.js';
import { createTransportPair } from '../../../src/transport/memory.js';
import { buildElf32, pblReadPattern, type SyntheticElf } from '../../helpers/elf32.js';
import { concat, hex, ScriptedPeer, toHex } from '../../helpers/scripted-peer.js';
import { isCode } from '../../helpers/medic-error.js';
import {
  CMD_READY, DONE, doneResp, endImageTx, HELLO, HELLO_RESP_COMMAND, HELLO_RESP_IMAGE, le32, readData, readData64, RESET, RESET_RESP,
} from './target-bytes.js';

const FIREHOSE_LOG = '<?xml version="1.0" encoding="UTF-8" ?>\n<data>\n<log value="Binary build date: Jan  1 2020 @ 00:00:00"/>\n</data>';
const fast = { timeouts: { helloMs: 200, packetMs: 200 } };

function pair(): [ReturnType<typeof createTransportPair>[0], ScriptedPeer] {
  const [host, device] = createTransportPair();
  return [host, new ScriptedPeer(device)];
}

/** The 9x07 PBL's walk over the programmer (§1.6–1.7): every READ_DATA answered with exactly the right bytes. */
async function walkImage(target: ScriptedPeer, elf: SyntheticElf): Promise<void> {
  for (const [offset, length] of pblReadPattern(elf)) {
    await target.send(readData(13, offset, length));
    assert.deepEqual(await target.take(length), elf.image.subarray(offset, offset + length), `bytes at 0x${offset.toString(16)}`);
  }
}

describe('Sahara host: loading a programmer (edl-protocols.md §1.6–1.7)', () => {
  it('uploads a 32-bit ELF programmer the way a 9x07 PBL reads it and accepts DONE_RESP PENDING for image 13', async () => {
    const elf = buildElf32();
    const [host, target] = pair();
    const progress: SaharaProgress[] = [];
    const loading = loadProgrammer(host, elf.image, { onProgress: (p) => progress.push(p) });
    await target.send(HELLO);
    assert.equal(toHex(await target.take(48)), toHex(HELLO_RESP_IMAGE));
    await walkImage(target, elf);
    await target.send(endImageTx(13, 0));
    assert.equal(toHex(await target.take(8)), toHex(DONE));
    await target.send(doneResp(0));
    const result = await loading;
    assert.equal(result.kind, 'loaded');
    assert.equal(result.imageId, 13);
    assert.equal(result.imageTransferStatus, 'pending');
    assert.equal(result.hello?.maxCommandPacketLength, 0x400);
    const served = pblReadPattern(elf).reduce((n, [, length]) => n + length, 0);
    assert.equal(result.bytesServed, served);
    assert.equal(progress.at(-1)?.bytes, served);
    assert.equal(progress.at(-1)?.total, elf.image.length);
    assert.ok(progress.every((p, i) => i === 0 || p.bytes > (progress[i - 1]?.bytes ?? 0)), 'progress only grows');
  });

  it('accepts DONE_RESP COMPLETE and refuses PENDING for an image that is not a programmer', async () => {
    const image = new Uint8Array(0x100).fill(0x5a);
    for (const [imageId, status, outcome] of [[13, 1, 'complete'], [5, 0, 'SAHARA_PROTOCOL']] as const) {
      const [host, target] = pair();
      const loading = loadProgrammer(host, image);
      await target.send(HELLO);
      await target.take(48);
      await target.send(readData(imageId, 0, 0x100));
      await target.take(0x100);
      await target.send(endImageTx(imageId, 0));
      await target.take(8);
      await target.send(doneResp(status));
      if (outcome === 'complete') {
        const result = await loading;
        assert.equal(result.kind === 'loaded' ? result.imageTransferStatus : result.kind, 'complete');
      } else {
        await assert.rejects(loading, isCode(outcome));
      }
    }
  });

  it('frames by the length field: packets split byte by byte, and DONE_RESP joined with the programmer\'s first log', async () => {
    const elf = buildElf32([0x40, 0x800]);
    const [host, target] = pair();
    const loading = loadProgrammer(host, elf.image);
    await target.sendSplit(HELLO, 1);
    assert.equal(toHex(await target.take(48)), toHex(HELLO_RESP_IMAGE));
    for (const [offset, length] of pblReadPattern(elf)) {
      await target.sendSplit(readData(13, offset, length), 3);
      assert.deepEqual(await target.take(length), elf.image.subarray(offset, offset + length));
    }
    await target.sendSplit(endImageTx(13, 0), 5);
    await target.take(8);
    await target.send(concat(doneResp(1), new TextEncoder().encode(FIREHOSE_LOG)));
    const result = await loading;
    assert.ok(result.kind === 'loaded');
    assert.equal(new TextDecoder().decode(result.leftover), FIREHOSE_LOG, 'the programmer\'s output is handed on, not lost');
  });

  it('serves 64-bit READ_DATA_64 requests too', async () => {
    const image = Uint8Array.from({ length: 0x3000 }, (_, i) => i & 0xff);
    const [host, target] = pair();
    const loading = loadProgrammer(host, image);
    await target.send(HELLO);
    await target.take(48);
    await target.send(readData64(13, 0x1000, 0x2000));
    assert.deepEqual(await target.take(0x2000), image.subarray(0x1000, 0x3000));
    await target.send(endImageTx(13, 0));
    await target.take(8);
    await target.send(doneResp(1));
    assert.equal((await loading).kind, 'loaded');
  });

  it('refuses a request beyond the end of the image with an error that names the programmer file', async () => {
    const [host, target] = pair();
    const loading = loadProgrammer(host, new Uint8Array(0x1000));
    await target.send(HELLO);
    await target.take(48);
    await target.send(readData(13, 0x800, 0x1000));
    await assert.rejects(loading, isCode('SAHARA_IMAGE_RANGE', (error) => {
      assert.match(error.message, /0x800\.\.0x1800/);
      assert.match(error.hint ?? '', /prog_nand_firehose_9x07\.mbn/);
    }));
  });

  it('turns every NAK code of §1.5 into SaharaNakError naming it, and resets the target', async () => {
    const names = new Map<number, string>(Object.entries(SaharaStatus).map(([name, id]) => [id, name]));
    for (let status = 0x01; status <= 0x28; status += 1) {
      const [host, target] = pair();
      const loading = loadProgrammer(host, new Uint8Array(0x100));
      await target.send(HELLO);
      await target.take(48);
      await target.send(endImageTx(13, status));
      assert.equal(toHex(await target.take(8)), toHex(RESET), `RESET after NAK 0x${status.toString(16)}`);
      await target.send(RESET_RESP);
      await assert.rejects(loading, isCode('SAHARA_NAK', (error) => {
        assert.ok(error instanceof SaharaNakError);
        assert.equal(error.status, status);
        assert.equal(error.statusName, names.get(status));
        assert.ok(error.message.includes(error.statusName), error.message);
        assert.equal(error.details.resetSent, true);
      }));
    }
  });

  it('says "wrong programmer" for the misleading program-header NAK (§5)', async () => {
    const [host, target] = pair();
    const loading = loadProgrammer(host, new Uint8Array(0x100), { resetAfterNak: false });
    await target.send(HELLO);
    await target.take(48);
    await target.send(endImageTx(13, 0x0e));
    await assert.rejects(loading, isCode('SAHARA_NAK', (error) => { assert.match(error.hint ?? '', /programmer/); }));
  });

  it('times out with a hint when the target stops asking for data', async () => {
    const [host, target] = pair();
    const loading = loadProgrammer(host, new Uint8Array(0x1000), fast);
    await target.send(HELLO);
    await target.take(48);
    await target.send(readData(13, 0, 0x34));
    await target.take(0x34);
    await assert.rejects(loading, isCode('SAHARA_TIMEOUT', (error) => { assert.match(error.hint ?? '', /Power-cycle/); }));
  });

  it('probes a silent port once with HELLO_RESP, then gives up with SAHARA_TIMEOUT', async () => {
    const [host, target] = pair();
    const loading = loadProgrammer(host, new Uint8Array(0x100), fast);
    assert.equal(toHex(await target.take(48)), toHex(HELLO_RESP_IMAGE), 'an unsolicited HELLO_RESP (qdl\'s fixed 2/1, mode 0)');
    await assert.rejects(loading, isCode('SAHARA_TIMEOUT', (error) => { assert.match(error.hint ?? '', /ModemManager/); }));
  });

  it('recovers a missed HELLO: the probe is answered with READ_DATA and the upload goes on', async () => {
    const image = new Uint8Array(0x200).fill(0xa5);
    const [host, target] = pair();
    const loading = loadProgrammer(host, image, fast);
    await target.take(48);
    await target.send(readData(13, 0, 0x200));
    assert.deepEqual(await target.take(0x200), image);
    await target.send(endImageTx(13, 0));
    await target.take(8);
    await target.send(doneResp(1));
    const result = await loading;
    assert.equal(result.kind, 'loaded');
    assert.equal(result.hello, undefined, 'no HELLO was seen');
  });

  it('detects a Firehose programmer that is already running (<?xml first) and keeps its bytes', async () => {
    const [host, target] = pair();
    const loading = loadProgrammer(host, new Uint8Array(0x100));
    await target.sendSplit(FIREHOSE_LOG, 3);
    const result = await loading;
    assert.equal(result.kind, 'firehose-already-running');
    let seen = result.leftover;
    while (seen.length < FIREHOSE_LOG.length) seen = concat(seen, await host.read(AbortSignal.timeout(2000)));
    assert.equal(new TextDecoder().decode(seen), FIREHOSE_LOG, 'what was read is handed on, the rest is still on the port');
    assert.equal(await target.poll(30), undefined, 'and nothing is sent to the programmer');
  });

  it('recovers a half-finished session: a left-over NAK is answered with RESET, then a fresh HELLO is served', async () => {
    const image = new Uint8Array(0x100).fill(1);
    const [host, target] = pair();
    const loading = loadProgrammer(host, image);
    await target.send(endImageTx(13, 0x01));
    assert.equal(toHex(await target.take(8)), toHex(RESET));
    await target.send(concat(RESET_RESP, HELLO));
    assert.equal(toHex(await target.take(48)), toHex(HELLO_RESP_IMAGE));
    await target.send(readData(13, 0, 0x100));
    await target.take(0x100);
    await target.send(endImageTx(13, 0));
    await target.take(8);
    await target.send(doneResp(0));
    assert.equal((await loading).kind, 'loaded');
  });

  it('reports the module dropping off after the recovery RESET as SAHARA_DISCONNECTED', async () => {
    const [host, target] = pair();
    const loading = loadProgrammer(host, new Uint8Array(0x100));
    await target.send(endImageTx(13, 0x01));
    await target.take(8);
    await target.send(RESET_RESP);
    await target.close();
    await assert.rejects(loading, isCode('SAHARA_DISCONNECTED', (error) => { assert.match(error.hint ?? '', /9008/); }));
  });

  it('answers a HELLO repeated by the target, as a target does after a HELLO_RESP it did not like', async () => {
    const [host, target] = pair();
    const loading = loadProgrammer(host, new Uint8Array(0x10).fill(7));
    await target.send(HELLO);
    await target.take(48);
    await target.send(HELLO);
    assert.equal(toHex(await target.take(48)), toHex(HELLO_RESP_IMAGE));
    await target.send(readData(13, 0, 0x10));
    await target.take(0x10);
    await target.send(endImageTx(13, 0));
    await target.take(8);
    await target.send(doneResp(1));
    assert.equal((await loading).kind, 'loaded');
  });

  it('rejects a garbage header instead of waiting for a 4 GB packet', async () => {
    const [host, target] = pair();
    const loading = loadProgrammer(host, new Uint8Array(0x10));
    await target.send(hex('01000000 ffffff7f'));
    await assert.rejects(loading, isCode('SAHARA_PROTOCOL'));
  });
});

describe('Sahara host: command mode (edl-protocols.md §1.4, §1.6)', () => {
  const serial = hex('78 56 34 12');
  const hwIdCopy = hex('00 00 00 00 E1 A0 04 00');
  const hwId = concat(hwIdCopy, hwIdCopy, hwIdCopy);
  const pkHash = new Uint8Array(96).fill(0xcc);

  async function execute(target: ScriptedPeer, command: number, reply: Uint8Array): Promise<void> {
    assert.equal(toHex(await target.take(12)), toHex(le32(0x0d, 0x0c, command)), `CMD_EXEC ${command}`);
    await target.send(le32(0x0e, 0x10, command, reply.length));
    assert.equal(toHex(await target.take(12)), toHex(le32(0x0f, 0x0c, command)), `CMD_EXEC_DATA ${command}`);
    await target.send(reply);
  }

  it('reads serial, HW id (MSM_ID 0x0004A0E1 = MDM9607) and PK hash, switches back, then loads the programmer', async () => {
    const [host, target] = pair();
    const sahara = new SaharaHost(host);
    const reading = sahara.readChipInfo();
    await target.send(HELLO);
    assert.equal(toHex(await target.take(48)), toHex(HELLO_RESP_COMMAND));
    await target.send(CMD_READY);
    await execute(target, 1, serial);
    await execute(target, 2, hwId);
    await execute(target, 3, pkHash);
    assert.equal(toHex(await target.take(12)), '0c 00 00 00 0c 00 00 00 00 00 00 00', 'CMD_SWITCH_MODE to image transfer');
    await target.send(HELLO);
    const info = await reading;
    assert.equal(info.serialNumber, 0x12345678);
    assert.equal(info.hwId?.msmId, 0x0004a0e1);
    assert.equal(info.hwId.chip, 'MDM9607');
    assert.equal(info.pkHash.length, 3);
    assert.equal(info.protocolVersion, 2);

    const loading = sahara.loadProgrammer(new Uint8Array(0x20).fill(3));
    assert.equal(toHex(await target.take(48)), toHex(HELLO_RESP_IMAGE), 'the fresh HELLO is answered for image transfer');
    await target.send(readData(13, 0, 0x20));
    await target.take(0x20);
    await target.send(endImageTx(13, 0));
    await target.take(8);
    await target.send(doneResp(0));
    assert.equal((await loading).kind, 'loaded');
  });

  it('probes a silent port for command mode and goes on when the target answers CMD_READY', async () => {
    const [host, target] = pair();
    const reading = new SaharaHost(host, fast).readChipInfo({ hwId: false, pkHash: false });
    assert.equal(toHex(await target.take(48)), toHex(HELLO_RESP_COMMAND));
    await target.send(CMD_READY);
    await execute(target, 1, serial);
    assert.equal(toHex(await target.take(12)), '0c 00 00 00 0c 00 00 00 00 00 00 00');
    await target.send(HELLO);
    const info = await reading;
    assert.equal(info.serialNumber, 0x12345678);
    assert.equal(info.hwId, undefined);
  });

  it('turns an unsupported command (END_IMAGE_TX status 1, as a Quectel SC20 answers) into SAHARA_NAK and resets', async () => {
    const [host, target] = pair();
    const reading = new SaharaHost(host).readChipInfo({ hwId: false, pkHash: false });
    await target.send(HELLO);
    await target.take(48);
    await target.send(CMD_READY);
    await target.take(12);
    await target.send(hex('04000000 10000000 0d000000 01000000'));
    assert.equal(toHex(await target.take(8)), toHex(RESET));
    await target.send(RESET_RESP);
    await assert.rejects(reading, isCode('SAHARA_NAK', (error) => {
      assert.ok(error instanceof SaharaNakError);
      assert.equal(error.statusName, 'InvalidCommand');
    }));
  });

  it('refuses command mode on a protocol-1 target without sending anything, keeping its HELLO for the upload', async () => {
    const [host, target] = pair();
    const sahara = new SaharaHost(host);
    const reading = sahara.readChipInfo();
    await target.send(hex('01000000 14000000 01000000 01000000 00040000'));
    await assert.rejects(reading, isCode('SAHARA_PROTOCOL'));
    assert.equal(sahara.pendingHello?.version, 1);
    assert.equal(await target.poll(30), undefined);
  });

  it('reports a running Firehose programmer as SAHARA_FIREHOSE_RUNNING', async () => {
    const [host, target] = pair();
    const reading = new SaharaHost(host).readChipInfo();
    await target.send(FIREHOSE_LOG);
    await assert.rejects(reading, isCode('SAHARA_FIREHOSE_RUNNING'));
  });
});
