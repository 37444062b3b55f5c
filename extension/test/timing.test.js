import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadContent } from './support/load.js';
const { MIN_LEFT_S, ROLL_MARGIN_MS, waitBeforeFill } = (await loadContent()).timing;

test('fill now with more than 3 s left, else wait for the next period', () => {
  assert.equal(MIN_LEFT_S, 3);
  const cases = [
    // remaining (whole seconds, rounded up), ms since the answer, wait
    [30, 0, 0],
    [4, 0, 0],
    [4, 500, 0],
    [4, 1000, 3000 + ROLL_MARGIN_MS],
    [3, 0, 3000 + ROLL_MARGIN_MS],
    [1, 0, 1000 + ROLL_MARGIN_MS],
    [1, 2000, ROLL_MARGIN_MS],
    [undefined, 0, 0],
    [0, 0, 0],
  ];
  for (const [remaining, elapsed, want] of cases) {
    assert.equal(waitBeforeFill(remaining, elapsed), want, `remaining=${remaining} elapsed=${elapsed}`);
  }
});
