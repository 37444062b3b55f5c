// The content script proper (started by content/start.js on Amazon sign-in
// paths and Advanced Security Settings): remembers the e-mail typed at
// sign-in; on the 2SV paths asks the background for the code as the page
// starts, and fills it the moment a real, visible 2SV form has its box (when
// the words before the box name the app) or is complete, then reminds of a
// lost trusted-device entry, and records a new one when the form goes with
// "Don't require OTP on this browser" ticked; on Advanced Security Settings
// points at the reset of those entries.
(function (nidan) {
const { findDeviceChoice, findEmailInput, findMfa, isComplete, isShown, navigationPath, REMEMBER_BOX, TOTP } = nidan.detect;
const { fillInput, submit, tick } = nidan.fill;
const { getCode, requestCode } = nidan.code;
const { expiresAt, rollsIn } = nidan.timing;
const { choose, show } = nidan.panel;
const { t } = nidan.i18n;
const { recordTrust, remind } = nidan.reminder;
// Advanced Security Settings' parts (approval.js, enroll.js): injected there
// only (manifest.json); the sign-in pages do without them.
const onSettingsPage = (path) => Boolean(nidan.approval && nidan.enroll && nidan.approval.isApprovalPath(path));

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
// Forms sent (by anyone): nidan no longer touches their box.
const submitted = new WeakSet();

// early is the answer to the code request sent as the 2SV page starts, before
// its form exists: it wakes the background and starts the host while the page
// loads. It stays in this isolated world until a real, visible 2SV form is
// there (or a person clicks "Fill"); getCode asks again if it went stale.
let early = null;

function takeEarly() {
  const first = early;
  early = null;
  return first;
}

// fill puts a code into the page. silent: nidan fills on its own, so it
// never overwrites what the user already typed, and only the authenticator
// variant. remindAfter: the page is a fresh prompt (not Amazon refusing a
// code), so it may mean a lost trust. whole: the form's parts once it is
// complete (a promise of them for a form filled while the parser was still
// in it: its remember box and submit button come after the box).
async function fill(mfa, { silent, submitAllowed, remindAfter, whole = mfa }) {
  const answer = await getCode(deps, undefined, { first: takeEarly(), waitForNext: false });
  if (!answer || !mfa.input.isConnected) return;
  if (silent && mfa.input.value !== '') return;
  fillInput(mfa.input, answer.code);
  const complete = await whole;
  if (silent && complete.variant !== TOTP) {
    withdraw(complete, answer.code);
    return;
  }
  if (answer.options.rememberDevice) tick(complete.remember);
  const account = answer.account.name;
  if (account) filledFor.set(mfa.form, account);
  await send({ type: 'filled', expiresAt: expiresAt(answer) });
  keepFresh(mfa, answer);
  // The reminder comes after the code, and is answered before an auto-submit
  // gives a new trust, so that this trust is not taken for a lost one.
  if (remindAfter && account) await remind(send, account);
  if (answer.options.autoSubmit && submitAllowed) submit(complete.form, complete.submit);
}

// withdraw takes back a code filled while the form was being parsed, when
// its rest names a phone after all (words after the box): that page is
// never filled silently. The box is emptied if it still holds the code and
// the form was not sent, and the page offers the fill on a click instead.
function withdraw(mfa, code) {
  if (mfa.input.isConnected && !submitted.has(mfa.form) && mfa.input.value === code) {
    fillInput(mfa.input, '', { focus: false });
  }
  offerFill(mfa);
}

// keepFresh puts the next code in when the period rolls, for as long as the
// box holds nidan's code and the form has not been sent: nidan fills at once
// whatever is left of the period, and the box never holds an expired code.
function keepFresh(mfa, answer) {
  setTimeout(async () => {
    const holds = () => mfa.input.isConnected && !submitted.has(mfa.form) && mfa.input.value === answer.code;
    if (!holds()) return;
    const next = await getCode(deps, answer.asked, { waitForNext: false });
    if (!next || !holds()) return;
    if (next.code !== answer.code) {
      fillInput(mfa.input, next.code, { focus: false });
      await send({ type: 'filled', expiresAt: expiresAt(next) });
    }
    keepFresh(mfa, next);
  }, rollsIn(answer, Date.now()));
}

// watchSubmit records a trust when the form goes with the remember box
// ticked, by the user or by nidan's option, and whoever submits: a listener
// on the form sees real submits and requestSubmit alike, after the page's own
// form listeners, so a submit the page cancels is not counted.
function watchSubmit(mfa) {
  mfa.form.addEventListener('submit', () => submitted.add(mfa.form), true);
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
      fill(mfa, { silent: false, submitAllowed: false, remindAfter: !mfa.refused }).catch(() => {});
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

async function onMfa(mfa, whole = mfa) {
  watchSubmit(mfa);
  if (mfa.refused) {
    const answer = await send({ type: 'refused' });
    if (answer && answer.filledByNidan && answer.expired) {
      // Not the clock, not the key: nidan's code sat in the box past its
      // period (a sleeping computer or tab kept it from being replaced).
      // Say so, and fill a fresh code below (never auto-submitted).
      show({ id: 'refused', kind: 'warn', title: t('pageCodeExpiredTitle'), text: t('pageCodeExpiredText') });
    } else if (answer && answer.filledByNidan) {
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
    const filling = fill(mfa, { silent: true, submitAllowed: !mfa.refused, remindAfter: !mfa.refused, whole });
    checkClock();
    await filling;
    return;
  }
  offerFill(mfa);
  checkClock();
}

// offerFill: the SMS page gets a button that fills on the user's click.
function offerFill(mfa) {
  show({ id: 'offer', title: t('pageSmsHint'), buttons: [fillButton(mfa)] });
}

// Box types an e-mail is typed into (a hidden input is none of them).
const EMAIL_TYPES = new Set(['', 'email', 'text', 'tel']);

// watchEmail sends the background the sign-in e-mail the user gave, which
// picks the account: typed (trusted input or change events, which autofill
// sends too), or sent with a person's submit from a box they can see. Never a
// value the page set by itself: a script's hidden input#ap_email would
// choose the account.
function watchEmail(input) {
  let typed = null;
  const save = (email) => email && send({ type: 'signinEmail', email });
  input.addEventListener('input', (event) => {
    if (event.isTrusted) typed = input.value;
  });
  input.addEventListener('change', (event) => {
    if (!event.isTrusted) return;
    typed = input.value;
    save(typed);
  });
  if (!input.form) return;
  input.form.addEventListener('submit', (event) => {
    const visible = event.isTrusted && EMAIL_TYPES.has((input.getAttribute('type') || '').toLowerCase()) && isShown(input);
    save(typed ?? (visible ? input.value : null));
  }, true);
}

// offerApp: on Amazon's choose-device page, one click of the user's picks
// "Enter OTP from Authenticator App" and continues; the next page is the
// authenticator variant of the 2SV page, which nidan fills. (SMS that never
// arrives is what nidan's users complain of first.)
function offerApp(choice) {
  show({
    id: 'device',
    title: t('pageDeviceTitle'),
    buttons: [{
      action: 'use-app',
      label: t('pageDeviceButton'),
      primary: true,
      onClick: (close) => {
        close();
        if (!choice.radio.isConnected) return;
        choice.radio.click();
        choice.radio.checked = true;
        submit(choice.form, choice.submit);
      },
    }],
  });
}

const seen = new WeakSet();
// Forms filled before the parser was past them: form → resolve, given the
// whole form's parts (findMfa) once it is.
const parsing = new WeakMap();
let pointed = false;

// scan looks at the page as it is now. The path is the one the document was
// loaded from (navigationPath), never location, which a page script can
// rewrite.
function scan() {
  const path = navigationPath();
  if (onSettingsPage(path)) {
    // The settings page may build its sections after load: look until found.
    const control = pointed ? null : nidan.approval.findResetControl(document);
    if (control) {
      pointed = true;
      nidan.approval.pointAtReset(send, control).catch(() => {});
    }
    // Adding an authenticator app: offer to save the key to nidan.
    nidan.enroll.scanSetup(deps, document);
    return;
  }
  const emailInput = findEmailInput(document, path);
  if (emailInput && !seen.has(emailInput)) {
    seen.add(emailInput);
    watchEmail(emailInput);
  }
  const choice = findDeviceChoice(document, path);
  if (choice && !seen.has(choice.form) && isComplete(choice.form) && isShown(choice.form)) {
    seen.add(choice.form);
    offerApp(choice);
  }
  const mfa = findMfa(document, path);
  if (!mfa) return;
  const complete = isComplete(mfa.form);
  if (complete && parsing.has(mfa.form)) {
    parsing.get(mfa.form)(mfa);
    parsing.delete(mfa.form);
  }
  // A form still being parsed is filled as soon as its box is there when
  // the words before the box name the app (a fresh prompt, not a refusal);
  // else the rest of the form may name its variant. One the user cannot see
  // is no sign-in (it is looked at again when the page changes).
  const named = !complete && mfa.wording === TOTP && !mfa.refused;
  if (seen.has(mfa.form) || !(complete || named) || !isShown(mfa.form) || !isShown(mfa.input)) return;
  seen.add(mfa.form);
  const whole = complete ? mfa : new Promise((resolve) => parsing.set(mfa.form, resolve));
  onMfa(mfa, whole).catch(() => {});
}

// Where Amazon sends the browser for the 2SV page. /ap/signin shows it only
// again after a POST (a refused code): there the e-mail and password pages
// are far more common, and the host is not started for them.
const PROMPT_PATH = /^\/ap\/mfa(?:[/?#]|$)/;
// The e-mail and password pages: the host is started as they load (a
// session in the background, no request), so it is running when the 2SV
// page comes.
const WARM_PATH = /^\/(?:ap\/signin|ax\/claim)(?:[/?#]|$)/;
// And kept running while they are open: a person may take a minute over the
// password, and after 30 s idle the background's worker stops and the
// session with it, so the 2SV page would meet a cold worker (a tenth of a
// second more on a busy machine; bench-fill measures it). A warm every
// KEEP_WARM_MS, KEEP_WARM_TIMES at most (ten minutes): a tab left on a
// sign-in page does not keep the host running all day. And one more as a
// form is sent: the worker and the host start while Amazon answers, however
// long the page was open.
const KEEP_WARM_MS = 20_000;
const KEEP_WARM_TIMES = 30;

function keepWarm(times = KEEP_WARM_TIMES) {
  send({ type: 'warm' });
  if (times > 1) setTimeout(() => keepWarm(times - 1), KEEP_WARM_MS);
}

// start runs at document_start. On the 2SV page's path it asks for the code at
// once, in parallel with the page; then it scans now and whenever the page
// changes — nodes added while it is parsed or by Amazon's scripts, a form
// shown by a class or style change — so the code goes in the moment the form
// (or its box, named by the words before it) is there and visible.
function start() {
  const path = navigationPath();
  if (PROMPT_PATH.test(path)) early = requestCode(deps, undefined);
  else if (WARM_PATH.test(path)) {
    keepWarm();
    document.addEventListener('submit', () => send({ type: 'warm' }), true);
  }
  scan();
  let queued = false;
  const rescan = () => {
    if (queued) return;
    queued = true;
    queueMicrotask(() => {
      queued = false;
      scan();
    });
  };
  // Attributes too, but not on the settings pages, whose scan reads them whole.
  const watch = onSettingsPage(path) ? {} : { attributes: true, attributeFilter: ['class', 'style', 'hidden'] };
  new MutationObserver(rescan).observe(document, { childList: true, subtree: true, ...watch });
  document.addEventListener('readystatechange', rescan);
}

nidan.main = { KEEP_WARM_MS, KEEP_WARM_TIMES, start };
})(globalThis.nidan ??= {});
