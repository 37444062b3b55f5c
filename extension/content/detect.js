// Recognising Amazon's sign-in pages. The 2SV page is found by its structure
// (Amazon's ids and names), never by its wording alone: wording differs per
// language and per variant, while the ids are shared by every marketplace and
// by Seller Central. Only querySelector and textContent are used, so the tests
// run on the saved pages with a tiny DOM shim.
(function (nidan) {
const MFA_FORM = 'form#auth-mfa-form';
const OTP_INPUT = 'input#auth-mfa-otpcode, input[name=otpCode]';
const REMEMBER_BOX = 'input#auth-mfa-remember-device, input[name=rememberDevice]';
const SUBMIT_BUTTON = 'input#auth-signin-button, input[name=mfaSubmit], button[type=submit], input[type=submit]';
const NEW_OTP_LINK = '#auth-get-new-otp-link';
const ERROR_BOX = '#auth-error-message-box';
// #ap_email on the classic /ap/signin form; #ap_email_login on the newer
// /ax/claim form that Amazon serves on some marketplaces.
const EMAIL_INPUT = 'input#ap_email, input#ap_email_login';

// The 2SV page is served at /ap/mfa and re-rendered at /ap/signin after a
// POST (for example with a wrong code).
const MFA_PATH = /^\/ap\/(?:mfa|signin)(?:[/?#]|$)/;

// Types an OTP box can have; anything else (hidden, checkbox…) is not one.
const TEXT_TYPES = new Set(['', 'tel', 'text', 'number']);

const TOTP = 'totp';
const SMS = 'sms';

// Wording hints, English and Japanese. The SMS/voice page names the phone the
// code went to; the authenticator-app page names the app.
const SMS_WORDING = [/phone number ending in/i, /sent to (?:a|your) (?:phone|mobile)/i, /voice call/i, /末尾が?\s*\d+\s*の?(?:電話|携帯)/, /電話番号.*送信/];
const TOTP_WORDING = [/authenticator app/i, /認証アプリ/];

// wordingOf: the variant the form's words name — the phone the code went to
// means SMS, the app means the app (even beside the "Didn't receive the
// OTP?" link: no capture of Amazon's authenticator page shows whether it has
// that link too, and if it has, letting the link win would lose silent
// filling everywhere); null when they name neither (other languages). The
// words come before the box on every captured page, so a form still being
// parsed may already be named by them.
function wordingOf(text) {
  if (SMS_WORDING.some((re) => re.test(text))) return SMS;
  if (TOTP_WORDING.some((re) => re.test(text))) return TOTP;
  return null;
}

// variantOf decides from page facts whether the page wants an authenticator
// code (filled silently) or a code sent by SMS or voice (never filled
// silently): by its words, and without them by the link, which means SMS.
// wording: wordingOf(text), when the caller has it already.
function variantOf({ text = '', hasNewOtpLink = false, wording = wordingOf(text) }) {
  return wording ?? (hasNewOtpLink ? SMS : TOTP);
}

function isMfaPath(pathname) {
  return MFA_PATH.test(pathname);
}

// findMfa returns the 2SV page's parts, or null when doc is not that page.
function findMfa(doc, pathname) {
  if (!isMfaPath(pathname)) return null;
  const form = doc.querySelector(MFA_FORM);
  if (!form) return null;
  const input = form.querySelector(OTP_INPUT);
  if (!input || !TEXT_TYPES.has((input.getAttribute('type') || '').toLowerCase())) return null;
  const wording = wordingOf(form.textContent || '');
  const hasNewOtpLink = Boolean(doc.querySelector(NEW_OTP_LINK));
  return {
    form,
    input,
    remember: form.querySelector(REMEMBER_BOX),
    submit: form.querySelector(SUBMIT_BUTTON),
    variant: variantOf({ wording, hasNewOtpLink }),
    wording,
    refused: Boolean(doc.querySelector(ERROR_BOX)),
  };
}

// navigationPath is the path of the URL this document was loaded from: the
// navigation timing entry's, which a page script cannot change, unlike
// location (history.replaceState('', '', '/ap/signin') on a product page).
// '' when the browser has no entry: then no path matches.
function navigationPath(perf = globalThis.performance) {
  try {
    const [entry] = perf.getEntriesByType('navigation');
    return entry ? new URL(entry.name).pathname : '';
  } catch {
    return '';
  }
}

// isShown: the element is rendered where a person can see it — not
// display:none, visibility:hidden or opacity 0 (itself or an ancestor), not
// zero-sized, not placed off the page. nidan fills silently only what the
// user sees being filled. The tests' DOM shim has no layout: everything counts
// as shown there.
function isShown(el) {
  if (typeof el.checkVisibility !== 'function') return true;
  // Both spellings: opacityProperty/visibilityProperty, and the older
  // checkOpacity/checkVisibilityCSS.
  const options = { opacityProperty: true, visibilityProperty: true, checkOpacity: true, checkVisibilityCSS: true };
  if (!el.checkVisibility(options)) return false;
  const box = el.getBoundingClientRect();
  if (box.width < 1 || box.height < 1) return false;
  const view = el.ownerDocument.defaultView;
  const left = box.left + view.scrollX;
  const top = box.top + view.scrollY;
  // Left of or above the page, or right of its first screen (a page that
  // scrolls sideways for a sign-in form is not Amazon's).
  return left + box.width > 0 && top + box.height > 0 && left < view.innerWidth;
}

// isComplete: the parser is past the element's end (a node follows it, or
// the document is parsed), so all of a form's parts — its variant's link
// among them — are there. A content script that starts at document_start sees
// the form while it is being parsed.
function isComplete(el) {
  const doc = el.ownerDocument;
  if (!doc || doc.readyState === undefined || doc.readyState !== 'loading') return true;
  for (let node = el; node && node !== doc.documentElement; node = node.parentNode) {
    if (node.nextSibling) return true;
  }
  return false;
}

const SIGNIN_PATH = /^\/(?:ap\/signin|ax\/claim)(?:[/?#]|$)/;

// Amazon's "choose where to receive the OTP" page: a radio per device,
// valued "<id>, SMS", "<id>, VOICE" and, with an authenticator app enrolled,
// "<id>, TOTP" ("Enter OTP from Authenticator App").
const DEVICE_FORM = 'form#auth-select-device-form';
const DEVICE_RADIO = 'input[name=otpDeviceContext]';
const DEVICE_SUBMIT = 'input#auth-send-code, button[type=submit], input[type=submit]';

// findDeviceChoice returns {form, radio, submit} when the page offers the
// authenticator app among the devices, else null.
function findDeviceChoice(doc, pathname) {
  if (!isMfaPath(pathname)) return null;
  const form = doc.querySelector(DEVICE_FORM);
  if (!form) return null;
  const radio = [...form.querySelectorAll(DEVICE_RADIO)].find(
    (r) => (r.getAttribute('type') || '').toLowerCase() === 'radio' && /,\s*TOTP\s*$/.test(r.getAttribute('value') || ''),
  );
  return radio ? { form, radio, submit: form.querySelector(DEVICE_SUBMIT) } : null;
}

// findEmailInput returns the e-mail box of the sign-in page, or null.
function findEmailInput(doc, pathname) {
  if (!SIGNIN_PATH.test(pathname)) return null;
  return doc.querySelector(EMAIL_INPUT);
}

nidan.detect = { findDeviceChoice, navigationPath, isShown, isComplete, MFA_FORM, OTP_INPUT, REMEMBER_BOX, SUBMIT_BUTTON, NEW_OTP_LINK, ERROR_BOX, EMAIL_INPUT, TOTP, SMS, variantOf, wordingOf, isMfaPath, findMfa, findEmailInput };
})(globalThis.nidan ??= {});
