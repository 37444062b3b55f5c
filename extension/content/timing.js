// When to fill: a code with too little time left would expire while the user
// (or auto-submit) sends it, so nidan waits for the next one.
(function (nidan) {
// MIN_LEFT_S: fill only when at least this many seconds of the period remain.
const MIN_LEFT_S = 3;

// Margin past the period's end before asking again, so the host (on the same
// clock) is surely in the next period.
const ROLL_MARGIN_MS = 250;

// waitBeforeFill returns 0 to fill now, or the milliseconds to wait before
// asking the host again. `remaining` is the host's whole seconds left (1…period,
// rounded up), so remaining ≤ MIN_LEFT_S means possibly fewer than MIN_LEFT_S
// seconds; `elapsedMs` is the time since the host answered.
function waitBeforeFill(remaining, elapsedMs = 0, minLeft = MIN_LEFT_S) {
  if (!Number.isFinite(remaining) || remaining <= 0) return 0;
  const leftMs = remaining * 1000 - elapsedMs;
  if (leftMs > minLeft * 1000) return 0;
  return Math.max(0, leftMs) + ROLL_MARGIN_MS;
}

nidan.timing = { MIN_LEFT_S, ROLL_MARGIN_MS, waitBeforeFill };
})(globalThis.nidan ??= {});
