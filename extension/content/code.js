// Getting a fillable code from the background: resolves ambiguity with the
// user's pick, waits out the end of a period, and reports failures. The page
// UI and timers are passed in, so the tests drive every path with fakes.
(function (nidan) {
const { noticeFor } = nidan.errors;
const { t } = nidan.i18n;
const { waitBeforeFill } = nidan.timing;

// The period can roll at most once while filling; more means the answers are
// odd (a clock jumping), so nidan fills what it has rather than loop.
const MAX_ROLLS = 2;

// getCode resolves to a successful code answer, or null after telling the
// user why there is none (or when they closed the chooser).
// deps: { send(message) → answer|null, show(spec) → {close}, choose(candidates, host) → name|null, sleep(ms) }
async function getCode(deps, account) {
  let answer = await deps.send({ type: 'code', account });
  for (let rolls = 0; ; rolls++) {
    if (!answer) return null;
    if (!answer.ok) {
      if (answer.error && answer.error.code === 'ambiguous' && answer.candidates && answer.candidates.length) {
        const name = await deps.choose(answer.candidates, answer.host);
        return name ? getCode(deps, name) : null;
      }
      deps.show(noticeFor(answer));
      return null;
    }
    const wait = waitBeforeFill(answer.remaining);
    if (wait === 0 || rolls >= MAX_ROLLS) return answer;
    const status = deps.show({ id: 'status', title: t('pageWaiting', Math.ceil(wait / 1000)) });
    await deps.sleep(wait);
    status.close();
    answer = await deps.send({ type: 'code', account });
  }
}

nidan.code = { MAX_ROLLS, getCode };
})(globalThis.nidan ??= {});
