import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isMedicError } from '../../../src/core/errors.js';
import { readExtendedBuildId } from '../../../src/protocols/diag/build-id.js';
import { parseExtendedBuildId } from '../../../src/protocols/diag/ext-build-id.js';
import { encodeHdlcFrame } from '../../../src/protocols/diag/hdlc.js';
import { createTransportPair } from '../../../src/transport/memory.js';
import { concat, hex, ScriptedPeer, toHex } from '../../helpers/scripted-peer.js';

const ascii = (text: string): Uint8Array => new TextEncoder().encode(text);

// UNVERIFIED layout (not in the fact sheet; see src/protocols/diag/ext-build-id.ts): cmd, format,
// reserved[2], msm u32, model u32, build id\0, model string\0.
const answer = concat(hex('7C 00 00 00'), hex('E1 A0 04 00'), hex('25 00 00 00'), ascii('EC25EFAR06A06M4G\0EC25\0'));

describe('extended build id (quectel-ec25.md §2.4)', () => {
  it('sends 7E 7C 93 49 7E and parses the answer', async () => {
    const [host, device] = createTransportPair();
    const module = new ScriptedPeer(device);
    const running = readExtendedBuildId(host);
    assert.equal(toHex(await module.take(5)), '7e 7c 93 49 7e');
    await module.sendSplit(encodeHdlcFrame(answer), 5);
    const id = await running;
    assert.equal(id.buildId, 'EC25EFAR06A06M4G');
    assert.equal(id.modelString, 'EC25');
    assert.equal(id.msmHwVersion, 0x0004a0e1);
    assert.equal(id.mobileModelId, 0x25);
  });

  it('is lenient: no terminating NUL, no model string', () => {
    const id = parseExtendedBuildId(concat(hex('7C 00 00 00 00 00 00 00 00 00 00 00'), ascii('EG25GGBR07A08M2G')));
    assert.equal(id.buildId, 'EG25GGBR07A08M2G');
    assert.equal(id.modelString, undefined);
  });

  it('rejects an answer too short for its fixed header', () => {
    assert.throws(() => parseExtendedBuildId(hex('7C 00 00')), (error: unknown) => isMedicError(error) && error.code === 'DIAG_PROTOCOL');
  });

  it('reports a "bad command" answer as DIAG_REJECTED with a hint to use AT+QGMR', async () => {
    const [host, device] = createTransportPair();
    const module = new ScriptedPeer(device);
    const running = readExtendedBuildId(host);
    await module.take(5);
    await module.send(encodeHdlcFrame(hex('13 7C')));
    await assert.rejects(running, (error: unknown) => isMedicError(error) && error.code === 'DIAG_REJECTED' && /QGMR/.test(error.hint ?? ''));
  });

  it('times out with DIAG_TIMEOUT when the port stays silent', async () => {
    const [host] = createTransportPair();
    await assert.rejects(readExtendedBuildId(host, { timeoutMs: 30 }), (error: unknown) => isMedicError(error) && error.code === 'DIAG_TIMEOUT' && /DM/.test(error.hint ?? ''));
  });
});
