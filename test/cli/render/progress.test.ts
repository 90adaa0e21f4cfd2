import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { progressThrottle } from '../../../src/cli/render/progress.js';
import type { FlashProgress } from '../../../src/flash/execute/index.js';

function progress(index: number, bytesDone: number, bytesTotal = 1000): FlashProgress {
  return { phase: 'program', partition: 'modem', bytesDone, bytesTotal, bytesPerSecond: 1, etaSeconds: 1, step: { index, count: 3, description: `step ${index}` } };
}

describe('progress throttle (what --json and the bar show)', () => {
  it('shows every new step at once, chunks at most every interval, and the final figures on flush', () => {
    let clock = 0;
    const shown: FlashProgress[] = [];
    const throttle = progressThrottle((p) => shown.push(p), 100, () => clock);
    throttle.update(progress(1, 0));
    for (let done = 10; done <= 400; done += 10) {
      clock += 5;
      throttle.update(progress(1, done));
    }
    // 40 chunk updates over 200 ms: the step's first line and one every 100 ms.
    assert.deepEqual(shown.map((p) => p.bytesDone), [0, 200, 400]);
    clock += 1;
    throttle.update(progress(1, 405));
    clock += 1;
    throttle.update(progress(2, 410));
    assert.deepEqual(shown.slice(-2).map((p) => [p.step?.index, p.bytesDone]), [[1, 405], [2, 410]], 'step 1 ends with its last figures, then step 2 shows at once');
    clock += 1;
    throttle.update(progress(2, 420));
    throttle.flush();
    assert.equal(shown.at(-1)?.bytesDone, 420, 'flush shows the update held back');
    const count = shown.length;
    throttle.flush();
    assert.equal(shown.length, count, 'nothing is shown twice');
  });

  it('shows the update that completes the plan at once', () => {
    let clock = 0;
    const shown: number[] = [];
    const throttle = progressThrottle((p) => shown.push(p.bytesDone), 100, () => clock);
    throttle.update(progress(3, 900));
    clock += 1;
    throttle.update(progress(3, 950));
    clock += 1;
    throttle.update(progress(3, 1000));
    assert.deepEqual(shown, [900, 1000]);
  });
});
