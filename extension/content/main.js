// The content script proper (loaded by content/loader.js on Amazon sign-in
// paths and Advanced Security Settings): remembers the e-mail typed at
// sign-in; on the 2SV page asks the background for the code and fills it,
// then reminds of a lost trusted-device entry, and records a new one when the
// form goes with "Don't require OTP on this browser" ticked; on Advanced
// Security Settings points at the reset of those entries.
(function (nidan) {
const { findEmailInput, findMfa, REMEMBER_BOX, TOTP } = nidan.detect;
const { fillInput, submit, tick } = nidan.fill;
const { getCode } = nidan.code;
const { choose, show } = nidan.panel;
const { t } = nidan.i18n;
const { recordTrust, remind } = nidan.reminder;
const { findResetControl, isApprovalPath, pointAtReset } = nidan.approval;
const { scanSetup } = nidan.enroll;

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

// The account nidan filled each 2SV form for: a trust given with that form
// is recorded for it.
const filledFor = new WeakMap();

// fill puts a code into the page. onlyIfEmpty: when nidan fills on its own,
// it never overwrites what the user already typed. remindAfter: the page is a
// fresh prompt (not Amazon refusing a code), so it may mean a lost trust.
async function fill(mfa, { submitAllowed, onlyIfEmpty, remindAfter }) {
  const answer = await getCode(deps, undefined);
  if (!answer || !mfa.input.isConnected) return;
  if (onlyIfEmpty && mfa.input.value !== '') return;
  fillInput(mfa.input, answer.code);
  if (answer.options.rememberDevice) tick(mfa.remember);
  const account = answer.account.name;
  if (account) filledFor.set(mfa.form, account);
  await send({ type: 'filled' });
  // The reminder comes after the code, and is answered before an auto-submit
  // gives a new trust, so that this trust is not taken for a lost one.
  if (remindAfter && account) await remind(send, account);
  if (answer.options.autoSubmit && submitAllowed) submit(mfa.form, mfa.submit);
}

// watchSubmit records a trust when the form goes with the remember box
// ticked, by the user or by nidan's option, and whoever submits: a listener
// on the form sees real submits and requestSubmit alike, after the page's own
// form listeners, so a submit the page cancels is not counted.
function watchSubmit(mfa) {
  mfa.form.addEventListener('submit', (event) => {
    const account = filledFor.get(mfa.form);
    const box = mfa.form.querySelector(REMEMBER_BOX);
    if (!event.defaultPrevented && account && box && box.checked) recordTrust(account);
  });
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
      fill(mfa, { submitAllowed: false, onlyIfEmpty: false, remindAfter: !mfa.refused }).catch(() => {});
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
  watchSubmit(mfa);
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
    const filling = fill(mfa, { submitAllowed: !mfa.refused, onlyIfEmpty: true, remindAfter: !mfa.refused });
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
let pointed = false;

function scan() {
  if (isApprovalPath(location.pathname)) {
    // The settings page may build its sections after load: look until found.
    const control = pointed ? null : findResetControl(document);
    if (control) {
      pointed = true;
      pointAtReset(send, control).catch(() => {});
    }
    // Adding an authenticator app: offer to save the key to nidan.
    scanSetup(deps, document);
    return;
  }
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
function start() {
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

nidan.main = { start };
})(globalThis.nidan ??= {});
