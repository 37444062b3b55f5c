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

// A code answer's life on the page. The host runs on this computer's clock,
// and TOTP periods start at multiples of the period since the epoch; the host
// tells how many whole seconds are left (rounded up) and receivedAt (ms) is
// when its answer came, a moment later. rollsAt is the period boundary those
// two point at: the code is good until then.
function rollsAt({ remaining, period, receivedAt }) {
  const periodMs = (Number.isFinite(period) && period > 0 ? period : 30) * 1000;
  return Math.round((receivedAt + (remaining - 0.5) * 1000) / periodMs) * periodMs;
}

// expiresAt: when the code's period ends (sent to the background, which
// tells a code that expired in the box from a wrong one).
const expiresAt = rollsAt;

// isStale: the code's period has ended: ask again rather than fill it.
function isStale(answer, now) {
  return !Number.isFinite(answer.remaining) || now >= rollsAt(answer);
}

// REPLACE_MARGIN_MS: past the boundary before the next code is asked for.
const REPLACE_MARGIN_MS = 20;

// rollsIn: milliseconds until the host gives the next code.
function rollsIn(answer, now) {
  return Math.max(0, rollsAt(answer) - now) + REPLACE_MARGIN_MS;
}

nidan.timing = { MIN_LEFT_S, ROLL_MARGIN_MS, waitBeforeFill, expiresAt, isStale, rollsIn };
})(globalThis.nidan ??= {});
