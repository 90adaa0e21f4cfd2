import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isMedicError } from '../../../src/core/errors.js';
import { MemoryLogger } from '../../../src/core/logger.js';
import { switchToEdl } from '../../../src/protocols/diag/switch-to-edl.js';
import { encodeHdlcFrame } from '../../../src/protocols/diag/hdlc.js';
import { createTransportPair } from '../../../src/transport/memory.js';
import { concat, hex, ScriptedPeer, toHex } from '../../helpers/scripted-peer.js';

const EDL_FRAME = '4b 65 01 00 54 0f 7e';

describe('switchToEdl (DIAG download command, quectel-ec25.md §2.4)', () => {
  it('sends 4B 65 01 00 54 0F 7E and succeeds when the module echoes it', async () => {
    const [host, device] = createTransportPair();
    const module = new ScriptedPeer(device);
    const running = switchToEdl(host, { intervalMs: 2000 });
    const request = await module.take(7);
    assert.equal(toHex(request), EDL_FRAME);
    await module.send(request);
    assert.deepEqual(await running, { attempts: 1, confirmedBy: 'echo' });
  });

  it('retries until the module answers, and takes an echo split in pieces after unrelated frames', async () => {
    const [host, device] = createTransportPair();
    const module = new ScriptedPeer(device);
    const running = switchToEdl(host, { attempts: 5, intervalMs: 50 });
    assert.equal(toHex(await module.take(7)), EDL_FRAME);
    assert.equal(toHex(await module.take(7)), EDL_FRAME);
    const echo = concat(encodeHdlcFrame(hex('1D 00 11 22')), hex('4B 65 01 00 54 0F 7E'));
    await module.sendSplit(echo, 2);
    const result = await running;
    assert.equal(result.confirmedBy, 'echo');
    assert.ok(result.attempts >= 2, `confirmed on attempt ${result.attempts}`);
  });

  it('gives up after the configured attempts with an error that says to use the DM port', async () => {
    const [host, device] = createTransportPair();
    const module = new ScriptedPeer(device);
    await assert.rejects(switchToEdl(host, { attempts: 3, intervalMs: 20 }), (error: unknown) => {
      assert.ok(isMedicError(error));
      assert.equal(error.code, 'DIAG_EDL_SWITCH_FAILED');
      assert.match(error.hint ?? '', /DM/);
      assert.match(error.hint ?? '', /USB_BOOT/);
      return true;
    });
    assert.equal(toHex(await module.take(21)), [EDL_FRAME, EDL_FRAME, EDL_FRAME].join(' '), 'three requests were sent');
    assert.equal(await module.poll(50), undefined, 'and no fourth');
  });

  it('reports a DIAG "bad command" answer as a rejection', async () => {
    const [host, device] = createTransportPair();
    const module = new ScriptedPeer(device);
    const running = switchToEdl(host, { intervalMs: 2000 });
    await module.take(7);
    await module.send(encodeHdlcFrame(hex('13 4B 65 01 00')));
    await assert.rejects(running, (error: unknown) => isMedicError(error) && error.code === 'DIAG_REJECTED' && /USB_BOOT/.test(error.hint ?? ''));
  });

  it('takes the port going away right after the request as the module rebooting', async () => {
    const [host, device] = createTransportPair();
    const module = new ScriptedPeer(device);
    const logger = new MemoryLogger();
    const running = switchToEdl(host, { intervalMs: 2000, logger });
    await module.take(7);
    await module.close();
    assert.deepEqual(await running, { attempts: 1, confirmedBy: 'disconnect' });
  });

  it('fails with DIAG_DISCONNECTED when the port is already closed', async () => {
    const [host] = createTransportPair();
    await host.close();
    await assert.rejects(switchToEdl(host), (error: unknown) => isMedicError(error) && error.code === 'DIAG_DISCONNECTED');
  });
});
