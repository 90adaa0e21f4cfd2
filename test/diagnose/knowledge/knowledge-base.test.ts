import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { knowledgeBase } from '../../../src/diagnose/knowledge/index.js';
import { specOf } from '../../../src/diagnose/observations/index.js';

describe('the knowledge base', () => {
  it('has every cause the issue names, each with evidence, next steps and a source', () => {
    const ids = knowledgeBase.map((cause) => cause.id);
    for (const id of ['boot-chain-corrupt', 'boot-hang-no-usb', 'usb-boot-held', 'never-started', 'no-power', 'weak-supply', 'pwrkey-bad-levels', 'calibration-lost', 'baseline-mismatch', 'sim-missing', 'no-network', 'port-held', 'usb-autosuspend', 'risky-settings', 'healthy']) {
      assert.ok(ids.includes(id), id);
    }
    assert.equal(new Set(ids).size, ids.length, 'ids are unique');
    for (const cause of knowledgeBase) {
      assert.ok(cause.evidence.some((e) => e.weight > 0), `${cause.id} has evidence for it`);
      assert.ok(cause.next.length > 0, `${cause.id} says what to do`);
      assert.ok(cause.sources.length > 0, `${cause.id} names its source`);
    }
  });

  it('only speaks of observations and values the vocabulary knows', () => {
    for (const cause of knowledgeBase) {
      for (const evidence of cause.evidence) {
        const spec = specOf(evidence.key);
        assert.ok(spec, `${cause.id}: unknown key ${evidence.key}`);
        if ('is' in evidence.test) {
          const values = spec.kind === 'choice' ? spec.values : [];
          assert.equal(spec.kind, 'choice', `${cause.id}: ${evidence.key} is not a choice`);
          for (const value of evidence.test.is) assert.ok(values.includes(value), `${cause.id}: ${evidence.key}=${value}`);
        } else {
          assert.equal(spec.kind, 'number', `${cause.id}: ${evidence.key} is not a number`);
        }
      }
      for (const id of cause.rootOf ?? []) assert.ok(knowledgeBase.some((c) => c.id === id), `${cause.id} roots unknown ${id}`);
    }
  });

  it('gives the field report\'s flash command and the USB_BOOT strap in plain words', () => {
    const corrupt = knowledgeBase.find((cause) => cause.id === 'boot-chain-corrupt');
    assert.match(corrupt?.next[0]?.text ?? '', /medic flash PACKAGE --port \{edlPort\}/);
    const hang = knowledgeBase.find((cause) => cause.id === 'boot-hang-no-usb');
    assert.match(hang?.next.map((step) => step.text).join(' ') ?? '', /Tie USB_BOOT .* to VDD_EXT/);
    const calibration = knowledgeBase.find((cause) => cause.id === 'calibration-lost');
    assert.match(calibration?.next[0]?.text ?? '', /--restore-calibration DIR/);
  });
});
