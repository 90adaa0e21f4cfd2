import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { looksLikeQualcommTestRoot, parseHwId, parsePkHash, parseSerialNumber } from '../../../src/protocols/sahara/chip-info.js';
import { hex } from '../../helpers/scripted-peer.js';

describe('Sahara chip ids (edl-protocols.md §1.4)', () => {
  it('reads MSM_ID, OEM_ID and MODEL_ID from the 64-bit HW id and names the MDM9607', () => {
    const copy = hex('34 12 51 00 E1 A0 04 00');
    const id = parseHwId(new Uint8Array([...copy, ...copy, ...copy]));
    assert.ok(id);
    assert.equal(id.msmId, 0x0004a0e1);
    assert.equal(id.oemId, 0x0051);
    assert.equal(id.modelId, 0x1234);
    assert.equal(id.chip, 'MDM9607');
  });

  it('leaves an unknown MSM_ID unnamed and a short reply unparsed', () => {
    assert.equal(parseHwId(hex('00 00 00 00 01 02 03 04'))?.chip, undefined);
    assert.equal(parseHwId(hex('00 00 00')), undefined);
  });

  it('reads the serial number and splits the PK hash into its 32-byte copies', () => {
    assert.equal(parseSerialNumber(hex('78 56 34 12')), 0x12345678);
    const hash = new Uint8Array(96).map((_, i) => i % 32);
    const copies = parsePkHash(hash);
    assert.equal(copies.length, 3);
    assert.equal(copies[0], Array.from({ length: 32 }, (_, i) => i.toString(16).padStart(2, '0')).join(''));
  });

  it('spots the ends of Qualcomm\'s test root hash', () => {
    assert.equal(looksLikeQualcommTestRoot(`cc3153a8${'0'.repeat(52)}380f`), true);
    assert.equal(looksLikeQualcommTestRoot('0'.repeat(64)), false);
  });
});
