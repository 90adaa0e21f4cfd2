import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isMedicError } from '../../../src/core/errors.js';
import { checkStoredBadBlocks, parseBadBlocks, parseGeometry, resolveBadBlocks } from '../../../src/sim/nand/bad-blocks.js';
import { nandGeometry } from '../../../src/sim/nand/nand-geometry.js';

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    return isMedicError(error) ? `${error.code}${error.hint === undefined ? ' (no hint)' : ''}` : 'not a MedicError';
  }
  return undefined;
}

describe('factory bad blocks', () => {
  const geometry = nandGeometry({ preset: 'p2K_b128K' });

  it('reads --bad-blocks as a list or as random:N', () => {
    assert.deepEqual(parseBadBlocks('12,57'), [12, 57]);
    assert.deepEqual(parseBadBlocks(' 7 , 3 '), [7, 3]);
    assert.deepEqual(parseBadBlocks('random:4'), { count: 4 });
    for (const bad of ['', 'x', '12,,57', '-3', '1.5', 'random:', 'random:-1', 'random:two']) assert.equal(codeOf(() => parseBadBlocks(bad)), 'USAGE', bad);
  });

  it('reads --geometry as one of the two presets', () => {
    assert.equal(parseGeometry('p2K_b128K'), 'p2K_b128K');
    assert.equal(parseGeometry('p4K_b256K'), 'p4K_b256K');
    assert.equal(codeOf(() => parseGeometry('p8K_b512K')), 'USAGE');
    assert.equal(codeOf(() => parseGeometry('toString')), 'USAGE');
  });

  it('places random ones by the seed: same seed same blocks, never block 0', () => {
    const a = resolveBadBlocks({ count: 40 }, geometry, 5);
    assert.deepEqual(resolveBadBlocks({ count: 40 }, geometry, 5), a);
    assert.notDeepEqual(resolveBadBlocks({ count: 40 }, geometry, 6), a);
    assert.equal(new Set(a).size, 40);
    assert.ok(a.every((block) => block >= 1 && block < geometry.blockCount));
    assert.deepEqual(a, [...a].sort((x, y) => x - y));
    // A tiny chip with every block but 0 bad: block 0 still good.
    const tiny = nandGeometry({ preset: 'p4K_b256K', totalBytes: 4 * 256 * 1024 });
    assert.deepEqual(resolveBadBlocks({ count: 3 }, tiny, 1), [1, 2, 3]);
    assert.equal(codeOf(() => resolveBadBlocks({ count: 4 }, tiny, 1)), 'USAGE');
  });

  it('takes a list sorted and without repeats, and refuses block 0 and blocks past the end', () => {
    assert.deepEqual(resolveBadBlocks([57, 12, 57], geometry, 1), [12, 57]);
    assert.equal(codeOf(() => resolveBadBlocks([0, 12], geometry, 1)), 'USAGE');
    assert.equal(codeOf(() => resolveBadBlocks([geometry.blockCount], geometry, 1)), 'USAGE');
  });

  it('holds a stored module to the bad blocks it has', () => {
    assert.equal(codeOf(() => { checkStoredBadBlocks([57, 12], [12, 57], 'dir'); }), undefined);
    assert.equal(codeOf(() => { checkStoredBadBlocks({ count: 2 }, [12, 57], 'dir'); }), undefined);
    assert.equal(codeOf(() => { checkStoredBadBlocks([12], [12, 57], 'dir'); }), 'USAGE');
    assert.equal(codeOf(() => { checkStoredBadBlocks({ count: 3 }, [12, 57], 'dir'); }), 'USAGE');
  });
});
