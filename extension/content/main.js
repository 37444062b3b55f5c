// The content script proper (loaded by content/loader.js on Amazon sign-in
// paths): remembers the e-mail typed at sign-in, and on the 2SV page asks the
// background for the code and fills it.
import { findEmailInput, findMfa, TOTP } from './detect.js';
import { fillInput, submit, tick } from './fill.js';
import { waitBeforeFill } from './timing.js';
import { choose, show } from './panel.js';
import { noticeFor } from './errors.js';
import { t } from './i18n.js';

const api = globalThis.browser ?? globalThis.chrome;

// The period can roll at most once while filling; twice means the answers
// are odd (a host clock jumping), so nidan stops rather than loop.
const MAX_ROLLS = 2;

// send resolves to the background's answer, or null when the extension is
// unreachable (reloaded or disabled while the page was open).
async function send(message) {
  try {
    return (await api.runtime.sendMessage(message)) ?? null;
  } catch {
    return null;
  }
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// getCode asks for a code with enough time left, waiting for the next period
// when needed. Resolves to a successful answer or null (after telling the
// user what went wrong).
async function getCode(account) {
  let answer = await send({ type: 'code', account });
  for (let rolls = 0; ; rolls++) {
    if (!answer) return null;
    if (!answer.ok) {
      if (answer.error.code === 'ambiguous' && answer.candidates && answer.candidates.length) {
        const name = await choose(answer.candidates, answer.host);
        return name ? getCode(name) : null;
      }
      show(noticeFor(answer));
      return null;
    }
    const wait = waitBeforeFill(answer.remaining);
    if (wait === 0 || rolls >= MAX_ROLLS) return answer;
    const status = show({ id: 'status', title: t('pageWaiting', Math.ceil(wait / 1000)) });
    await sleep(wait);
    status.close();
    answer = await send({ type: 'code', account });
  }
}

// fill puts a code into the page. onlyIfEmpty: when nidan fills on its own,
// it never overwrites what the user already typed.
async function fill(mfa, { submitAllowed, onlyIfEmpty }) {
  const answer = await getCode(undefined);
  if (!answer || !mfa.input.isConnected) return;
  if (onlyIfEmpty && mfa.input.value !== '') return;
  fillInput(mfa.input, answer.code);
  if (answer.options.rememberDevice) tick(mfa.remember);
  await send({ type: 'filled' });
  if (answer.options.autoSubmit && submitAllowed) submit(mfa.form, mfa.submit);
}

// fillButton is the in-page button that fills on a real click, for pages
// where nidan does not fill by itself.
function fillButton(mfa) {
  return {
    action: 'fill',
    label: t('pageFillButton'),
    primary: true,
    onClick: (close) => {
      close();
      fill(mfa, { submitAllowed: false, onlyIfEmpty: false }).catch(() => {});
    },
  };
}

// checkClock warns on the page when this computer's clock is off; it runs
// beside the fill, never before it.
function checkClock() {
  send({ type: 'clock' })
    .then((answer) => {
      if (answer && answer.ok && answer.skewed) {
        show({
          id: 'clock',
          kind: 'warn',
          title: t('pageClockSkew', Math.round(Math.abs(answer.skewMs) / 1000)),
          text: t('pageClockSkewFix'),
        });
      }
    })
    .catch(() => {});
}

async function onMfa(mfa) {
  if (mfa.refused) {
    const answer = await send({ type: 'refused' });
    if (answer && answer.filledByNidan) {
      // Filling again would most likely fail the same way (and auto-submit
      // could lock the account): explain, and let the user retry by hand.
      show({
        id: 'refused',
        kind: 'error',
        title: t('pageWrongCodeTitle'),
        text: t('pageWrongCodeCauses'),
        command: 'nidan doctor',
        buttons: [fillButton(mfa)],
      });
      checkClock();
      return;
    }
  }
  if (mfa.variant === TOTP) {
    const filling = fill(mfa, { submitAllowed: !mfa.refused, onlyIfEmpty: true });
    checkClock();
    await filling;
    return;
  }
  show({ id: 'offer', title: t('pageSmsHint'), buttons: [fillButton(mfa)] });
  checkClock();
}

function watchEmail(input) {
  const save = () => send({ type: 'signinEmail', email: input.value });
  input.addEventListener('change', save);
  if (input.form) input.form.addEventListener('submit', save, true);
  if (input.value) save();
}

const seen = new WeakSet();

function scan() {
  const emailInput = findEmailInput(document, location.pathname);
  if (emailInput && !seen.has(emailInput)) {
    seen.add(emailInput);
    watchEmail(emailInput);
  }
  const mfa = findMfa(document, location.pathname);
  if (mfa && !seen.has(mfa.form)) {
    seen.add(mfa.form);
    onMfa(mfa).catch(() => {});
  }
}

// start scans now and again whenever the page changes, so a 2SV form that
// Amazon's scripts insert after load is found too.
export function start() {
  scan();
  let queued = false;
  new MutationObserver(() => {
    if (queued) return;
    queued = true;
    queueMicrotask(() => {
      queued = false;
      scan();
    });
  }).observe(document.documentElement, { childList: true, subtree: true });
}
