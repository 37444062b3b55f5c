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

test('a code\'s period end, from the host\'s remaining seconds and when the answer came', async () => {
  const { expiresAt, isStale, rollsIn } = (await loadContent()).timing;
  const boundary = 1_700_000_010_000; // a multiple of 30 s
  for (const [receivedAt, remaining] of [[boundary - 29_990, 30], [boundary - 5_200, 6], [boundary - 100, 1], [boundary - 900, 1], [boundary - 1_500, 2]]) {
    const answer = { remaining, period: 30, receivedAt };
    assert.equal(expiresAt(answer), boundary, `${boundary - receivedAt} ms before, ${remaining} s left`);
    assert.equal(isStale(answer, boundary - 1), false);
    assert.equal(isStale(answer, boundary), true);
    assert.equal(rollsIn(answer, boundary - 40), 60);
  }
  assert.equal(isStale({ remaining: undefined, receivedAt: boundary }, boundary), true);
});
