// When a code is good. The 2SV page is filled at once, whatever is left of
// the period (Amazon accepts the adjacent step), and the code replaced when it
// rolls (content/main.js); the setup page (content/enroll.js) still waits
// for a code with enough time left.
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

// A code answer's life on the page. The host tells how many whole seconds
// of its period are left, rounded up; receivedAt (ms) is when the answer came.
// expiresAt: by then the host is surely in the next period.
function expiresAt({ remaining, receivedAt }) {
  return receivedAt + remaining * 1000;
}

// isStale: the period may have ended (remaining rounds up, so up to a second
// early): ask again rather than fill a code that may be the last period's.
function isStale({ remaining, receivedAt }, now) {
  return !Number.isFinite(remaining) || now >= receivedAt + (remaining - 1) * 1000;
}

// rollsIn: milliseconds until the host surely gives the next code.
function rollsIn(answer, now) {
  return Math.max(0, expiresAt(answer) - now) + ROLL_MARGIN_MS;
}

nidan.timing = { MIN_LEFT_S, ROLL_MARGIN_MS, waitBeforeFill, expiresAt, isStale, rollsIn };
})(globalThis.nidan ??= {});
