// Getting a fillable code from the background: resolves ambiguity with the
// user's pick, asks again for a stale answer, waits out the end of a period
// where the caller wants that, and reports failures. The page
// UI and timers are passed in, so the tests drive every path with fakes.
(function (nidan) {
const { noticeFor } = nidan.errors;
const { t } = nidan.i18n;
const { isStale, waitBeforeFill } = nidan.timing;

// The period can roll at most once while filling; more means the answers are
// odd (a clock jumping), so nidan fills what it has rather than loop.
const MAX_ROLLS = 2;

// requestCode sends one code request; a code comes back stamped with when it
// came (receivedAt) and the account it was asked for (asked).
async function requestCode(deps, account) {
  const answer = await deps.send({ type: 'code', account });
  return answer && answer.ok ? { ...answer, receivedAt: (deps.now ?? Date.now)(), asked: account } : answer;
}

// getCode resolves to a successful code answer (with receivedAt, and asked:
// the account it was asked for), or null after telling the user why there is
// none (or when they closed the chooser).
// deps: { send(message) → answer|null, show(spec) → {close}, choose(candidates, host) → name|null, sleep(ms), now?() → ms }
// options: first — a promise of the answer to a code request already sent
// (the early request of the 2SV page), used unless stale; waitForNext — wait
// out a period's last seconds (the setup page), else the code is had at once.
async function getCode(deps, account, { first = null, waitForNext = true } = {}) {
  const now = deps.now ?? Date.now;
  const ask = () => requestCode(deps, account);
  let answer = first ? await first : null;
  if (!answer || (answer.ok && isStale(answer, now()))) answer = await ask();
  for (let rolls = 0; ; rolls++) {
    if (!answer) return null;
    if (!answer.ok) {
      if (answer.error && answer.error.code === 'ambiguous' && answer.candidates && answer.candidates.length) {
        const name = await deps.choose(answer.candidates, answer.host);
        return name ? getCode(deps, name, { waitForNext }) : null;
      }
      deps.show(noticeFor(answer));
      return null;
    }
    const wait = waitForNext ? waitBeforeFill(answer.remaining) : 0;
    if (wait === 0 || rolls >= MAX_ROLLS) return answer;
    const status = deps.show({ id: 'status', title: t('pageWaiting', Math.ceil(wait / 1000)) });
    await deps.sleep(wait);
    status.close();
    answer = await ask();
  }
}

nidan.code = { MAX_ROLLS, getCode, requestCode };
})(globalThis.nidan ??= {});
