// The content script proper (loaded by content/loader.js on Amazon sign-in
// paths): remembers the e-mail typed at sign-in, and on the 2SV page asks the
// background for the code and fills it.
import { findEmailInput, findMfa, TOTP } from './detect.js';
import { fillInput, submit, tick } from './fill.js';
import { getCode } from './code.js';
import { choose, show } from './panel.js';
import { t } from './i18n.js';

const api = globalThis.browser ?? globalThis.chrome;

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
const deps = { send, show, choose, sleep };

// fill puts a code into the page. onlyIfEmpty: when nidan fills on its own,
// it never overwrites what the user already typed.
async function fill(mfa, { submitAllowed, onlyIfEmpty }) {
  const answer = await getCode(deps, undefined);
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
