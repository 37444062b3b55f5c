// The content script's whole flow on the saved pages, through the DOM shim:
// what it sends to the background, what it fills, what it shows.
import { test, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parseHTML } from './support/dom.js';
import { click, dispatch, fakeTimers, open as openPage, panel, parsedTo, settle } from './support/content.js';

// The code replaced when its period rolls: run by hand, or never.
const timers = fakeTimers();
import { shared, sharedSkip } from './support/amazon.js';
import { loadContent } from './support/load.js';

const ours = new URL('./fixtures/', import.meta.url);
const page = (dir, name) => parseHTML(readFileSync(new URL(name, dir), 'utf8'));

// The background, played by each test: answer(message) → reply.
let background;
let sent;
let observer;
globalThis.chrome = {
  runtime: {
    sendMessage: async (message) => {
      sent.push(message);
      return background(message);
    },
  },
  i18n: { getMessage: (key) => key },
};
globalThis.MutationObserver = class {
  constructor(callback) {
    this.callback = callback;
    observer = this;
  }
  observe() {}
};
const { start } = (await loadContent()).main;

const OPTIONS = { autoSubmit: false, rememberDevice: false };
const okCode = (extra = {}) => ({ ok: true, code: '246810', remaining: 20, period: 30, account: { name: 'shop', label: '' }, options: OPTIONS, ...extra });

function answers(overrides = {}) {
  return (message) => {
    if (message.type in overrides) return overrides[message.type](message);
    if (message.type === 'code') return okCode();
    if (message.type === 'clock') return { ok: true, skewMs: 0, skewed: false };
    if (message.type === 'refused') return { ok: true, filledByNidan: false };
    return { ok: true };
  };
}

const open = (doc, pathname) => openPage(start, doc, pathname);

const types = () => sent.map((m) => m.type);

beforeEach(() => {
  sent = [];
  background = answers();
});

test('the authenticator page is filled without a click, and not submitted by default', async () => {
  const doc = open(page(ours, 'signin-mfa-totp-ja.html'), '/ap/mfa');
  await settle();
  const input = doc.querySelector('#auth-mfa-otpcode');
  assert.equal(input.value, '246810');
  assert.equal(doc.activeElement, input);
  assert.deepEqual(sent.filter((m) => m.type === 'code'), [{ type: 'code', account: undefined }], 'no origin from the page, ever');
  assert.ok(types().includes('filled'));
  assert.ok(types().includes('clock'));
  assert.equal(doc.querySelector('form#auth-mfa-form').submitted, undefined);
  assert.equal(doc.querySelector('#auth-mfa-remember-device').checked, false);
});

test('options: tick "Don\'t require OTP" and submit with the sign-in button', async () => {
  background = answers({ code: () => okCode({ options: { autoSubmit: true, rememberDevice: true } }) });
  const doc = open(page(ours, 'sellercentral-europe-mfa-totp.html'), '/ap/mfa');
  await settle();
  const form = doc.querySelector('form#auth-mfa-form');
  assert.equal(form.submitted, 1);
  assert.equal(form.submitter.id, 'auth-signin-button');
  assert.equal(doc.querySelector('#auth-mfa-remember-device').checked, true);
});

test('the SMS page is never filled silently; a real click on the button fills it', { skip: sharedSkip }, async () => {
  const doc = open(page(shared, 'signin-mfa-sms.html'), '/ap/mfa');
  await settle();
  // The code is asked for as the page starts (before its variant is known),
  // and kept in the content script.
  assert.deepEqual(types(), ['code', 'clock']);
  const input = doc.querySelector('#auth-mfa-otpcode');
  assert.equal(input.value, '');
  const button = panel(doc).offer.querySelector('button[data-action=fill]');
  click(button, false);
  await settle();
  assert.equal(input.value, '');
  assert.deepEqual(types(), ['code', 'clock'], 'a synthetic click does nothing');
  click(button);
  await settle();
  assert.equal(input.value, '246810');
  assert.equal(sent.filter((m) => m.type === 'code').length, 1, 'the early code, still fresh');
});

test('a 2SV form inserted after load is found', async () => {
  const doc = open(parseHTML('<html><body><div id="slot"></div></body></html>'), '/ap/mfa');
  await settle();
  assert.deepEqual(sent, [{ type: 'code', account: undefined }], 'asked before the form exists');
  const form = page(ours, 'signin-mfa-totp.html').querySelector('form#auth-mfa-form');
  doc.querySelector('#slot').append(form);
  observer.callback([]);
  await settle();
  assert.equal(doc.querySelector('#auth-mfa-otpcode').value, '246810');
  observer.callback([]);
  await settle();
  assert.equal(sent.filter((m) => m.type === 'code').length, 1, 'one form, one fill');
});

// A content script at document_start sees the form while the parser is in
// it: the box is there before the remember box, the button and the
// new-OTP link (issue 17: fill on insertion).
test('a form still being parsed: filled at its box when the words before it name the app; ticked and sent once complete', async () => {
  background = answers({ code: () => okCode({ options: { autoSubmit: true, rememberDevice: true } }) });
  const doc = page(ours, 'signin-mfa-totp.html');
  const input = doc.querySelector('#auth-mfa-otpcode');
  const finish = parsedTo(input);
  open(doc, '/ap/mfa');
  await settle();
  assert.equal(input.value, '246810');
  assert.ok(!types().includes('filled'), 'told once the form is known whole');
  const form = doc.querySelector('form#auth-mfa-form');
  finish();
  observer.callback([]);
  await settle();
  assert.equal(doc.querySelector('#auth-mfa-remember-device').checked, true);
  assert.equal(form.submitted, 1);
  assert.equal(form.submitter.id, 'auth-signin-button');
  assert.equal(types().filter((t) => t === 'filled').length, 1);
});

test('a form still being parsed: words after the box naming a phone take the code back', async () => {
  const doc = page(ours, 'signin-mfa-totp.html');
  const form = doc.querySelector('form#auth-mfa-form');
  const words = doc.createElement('span');
  words.textContent = 'Or enter the OTP sent to a phone number ending in 12';
  form.append(words);
  const input = doc.querySelector('#auth-mfa-otpcode');
  const finish = parsedTo(input);
  open(doc, '/ap/mfa');
  await settle();
  assert.equal(input.value, '246810');
  finish();
  observer.callback([]);
  await settle();
  assert.equal(input.value, '', 'the SMS page is never filled silently');
  assert.ok(panel(doc).offer, 'the fill is offered on a click');
  assert.ok(!types().includes('filled'));
});

test('a form still being parsed without words naming either waits for its end (the new-OTP link)', async () => {
  const doc = parseHTML('<html><body><form id="auth-mfa-form"><p>Geben Sie das Einmalkennwort ein</p><input id="auth-mfa-otpcode" type="tel"><a id="auth-get-new-otp-link" href="#">?</a></form></body></html>');
  const input = doc.querySelector('#auth-mfa-otpcode');
  const finish = parsedTo(input);
  open(doc, '/ap/mfa');
  await settle();
  assert.equal(input.value, '');
  assert.equal(panel(doc).offer, undefined);
  finish();
  observer.callback([]);
  await settle();
  assert.equal(input.value, '');
  assert.ok(panel(doc).offer, 'the link means SMS');
});

test('the captcha page sends nothing; the choose-device page fills nothing', { skip: sharedSkip }, async () => {
  open(page(shared, 'signin-captcha.html'), '/ap/cvf/request');
  await settle();
  assert.deepEqual(sent, []);
  const doc = open(page(shared, 'signin-mfa-choose-device.html'), '/ap/mfa');
  await settle();
  assert.ok(!types().includes('filled'));
  assert.ok(doc.querySelectorAll('input').every((i) => i.getAttribute('type') !== 'text' || i.value === ''));
});

test('a refused code that nidan filled: explain, do not fill again', async () => {
  background = answers({ refused: () => ({ ok: true, filledByNidan: true }), code: () => okCode({ options: { autoSubmit: true, rememberDevice: false } }) });
  const doc = open(page(ours, 'signin-mfa-totp-invalid-otp.html'), '/ap/signin');
  await settle();
  assert.equal(doc.querySelector('#auth-mfa-otpcode').value, '');
  assert.ok(!types().includes('filled'));
  const notice = panel(doc).refused;
  assert.ok(notice.textContent.includes('pageWrongCodeCauses'));
  assert.ok(notice.textContent.includes('nidan doctor'));
  click(notice.querySelector('button[data-action=fill]'));
  await settle();
  assert.equal(doc.querySelector('#auth-mfa-otpcode').value, '246810');
  assert.equal(doc.querySelector('form#auth-mfa-form').submitted, undefined, 'a retry is never auto-submitted');
});

test('a refused code that the user typed: fill, but never auto-submit', async () => {
  background = answers({ code: () => okCode({ options: { autoSubmit: true, rememberDevice: false } }) });
  const doc = open(page(ours, 'signin-mfa-totp-invalid-otp.html'), '/ap/signin');
  await settle();
  assert.equal(doc.querySelector('#auth-mfa-otpcode').value, '246810');
  assert.equal(doc.querySelector('form#auth-mfa-form').submitted, undefined);
});

test('ambiguous: the chooser sends the clicked account', async () => {
  background = answers({
    code: (m) => (m.account ? okCode({ account: { name: m.account, label: '' } }) : { ok: false, error: { code: 'ambiguous' }, candidates: ['a', 'b'], host: 'www.amazon.co.jp' }),
  });
  const doc = open(page(ours, 'signin-mfa-totp-ja.html'), '/ap/mfa');
  await settle();
  const chooser = panel(doc).chooser;
  assert.deepEqual(chooser.querySelectorAll('button[data-action=choose]').map((b) => b.dataset.account), ['a', 'b']);
  click(chooser.querySelector('button[data-account=b]'));
  await settle();
  assert.deepEqual(sent.filter((m) => m.type === 'code').at(-1), { type: 'code', account: 'b' });
  assert.equal(doc.querySelector('#auth-mfa-otpcode').value, '246810');
  assert.equal(panel(doc).chooser, undefined, 'the chooser is gone');
});

test('no host: a notice with the install command, nothing filled', async () => {
  background = answers({ code: () => ({ ok: false, error: { code: 'host_missing', message: 'x' }, host: 'www.amazon.co.jp', marketplaces: ['jp'] }) });
  const doc = open(page(ours, 'signin-mfa-totp-ja.html'), '/ap/mfa');
  await settle();
  assert.equal(doc.querySelector('#auth-mfa-otpcode').value, '');
  assert.ok(panel(doc).error.textContent.includes('nidan install'));
});

test('an unreachable background (extension reloaded) is silent', async () => {
  background = () => {
    throw new Error('Extension context invalidated.');
  };
  const doc = open(page(ours, 'signin-mfa-totp.html'), '/ap/mfa');
  await settle();
  assert.equal(doc.querySelector('#auth-mfa-otpcode').value, '');
  assert.deepEqual(panel(doc), {});
});

test('clock drift is shown on the page', async () => {
  background = answers({ clock: () => ({ ok: true, skewMs: -42_000, skewed: true }) });
  const doc = open(page(ours, 'signin-mfa-totp.html'), '/ap/mfa');
  await settle();
  assert.ok(panel(doc).clock.textContent.includes('pageClockSkew'));
});

test('the e-mail typed at sign-in goes to the background', async () => {
  for (const [name, id, path] of [['signin-email.html', 'ap_email', '/ap/signin'], ['claim-email.html', 'ap_email_login', '/ax/claim']]) {
    sent = [];
    const doc = open(page(ours, name), path);
    await settle();
    const input = doc.querySelector(`#${id}`);
    input.value = 'boss@example.com';
    dispatch(input, 'change');
    await settle();
    assert.deepEqual(sent.filter((m) => m.type === 'signinEmail'), [{ type: 'signinEmail', email: 'boss@example.com' }], name);
  }
});

test('the sign-in pages keep the host warm while open, for ten minutes at most, and as a form is sent', async () => {
  const { KEEP_WARM_MS, KEEP_WARM_TIMES } = globalThis.nidan.main;
  assert.ok(KEEP_WARM_MS < 30_000, 'within the worker\'s and the session\'s 30 s idle');
  assert.equal((KEEP_WARM_MS * KEEP_WARM_TIMES) / 60_000, 10);
  timers.length = 0;
  const doc = open(page(ours, 'signin-email.html'), '/ap/signin');
  await settle();
  let warms = 0;
  for (;;) {
    warms = sent.filter((m) => m.type === 'warm').length;
    const next = timers.findIndex((timer) => timer.ms === KEEP_WARM_MS);
    if (next < 0) break;
    timers.splice(next, 1)[0].fn();
  }
  assert.equal(warms, KEEP_WARM_TIMES);
  // A form sent after those ten minutes: the 2SV page still meets a warm
  // worker (a real browser's submit reaches the document's capture listener).
  dispatch(doc, 'submit');
  await settle();
  assert.equal(sent.filter((m) => m.type === 'warm').length, KEEP_WARM_TIMES + 1);
  assert.ok(sent.every((m) => m.type === 'warm'), 'nothing asked');
});

// Issue 15.2: a page script's value would choose the account.
test('an e-mail the page set, not the user, is never sent', async () => {
  const doc = page(ours, 'signin-email.html');
  doc.querySelector('#ap_email').value = 'victim@example.com';
  open(doc, '/ap/signin');
  await settle();
  const input = doc.querySelector('#ap_email');
  input.value = 'other@example.com';
  dispatch(input, 'change', false);
  dispatch(input.form, 'submit', false);
  await settle();
  assert.deepEqual(sent.filter((m) => m.type === 'signinEmail'), []);
  // A person's submit sends what the box they see holds.
  dispatch(input.form, 'submit');
  await settle();
  assert.deepEqual(sent.filter((m) => m.type === 'signinEmail'), [{ type: 'signinEmail', email: 'other@example.com' }]);
});

// Issue 15.2: history.replaceState('', '', '/ap/mfa') on another page.
test('the path is the one the page was loaded from, not what location says', async () => {
  const doc = open(page(ours, 'signin-mfa-totp.html'), '/ap/cvf/request', 'www.amazon.co.jp', '/ap/mfa');
  await settle();
  assert.equal(doc.querySelector('#auth-mfa-otpcode').value, '');
  assert.deepEqual(sent, []);
});

test('the code is replaced when its period rolls, until the form is sent or the box edited', async () => {
  let next = '246810';
  // The host's answer, on this computer's clock.
  const left = () => 30_000 - (Date.now() % 30_000);
  let later = 0; // the fake timer runs at once: the next period's answer says 30 s more
  background = answers({ code: () => okCode({ code: next, remaining: Math.ceil(left() / 1000) + later }) });
  timers.length = 0;
  const doc = open(page(ours, 'signin-mfa-totp.html'), '/ap/mfa');
  await settle();
  const input = doc.querySelector('#auth-mfa-otpcode');
  assert.equal(input.value, '246810');
  assert.equal(timers.length, 1);
  const expected = left() + 20;
  assert.ok(Math.abs(timers[0].ms - expected) < 1000 || Math.abs(timers[0].ms - expected) > 29_000, `${timers[0].ms} ms, period ends in ${expected}`);
  next = '135790';
  later = 30;
  timers.shift().fn();
  await settle();
  assert.equal(input.value, '135790');
  const filled = sent.filter((m) => m.type === 'filled');
  assert.equal(filled.length, 2);
  assert.ok(filled[1].expiresAt > filled[0].expiresAt);
  // The user typed: nidan leaves the box alone.
  input.value = '111111';
  next = '222222';
  timers.shift().fn();
  await settle();
  assert.equal(input.value, '111111');
  assert.equal(timers.length, 0);
});

test('a code that expired in the box: say so, and fill a fresh one (not submitted)', async () => {
  background = answers({ refused: () => ({ ok: true, filledByNidan: true, expired: true }), code: () => okCode({ options: { autoSubmit: true, rememberDevice: false } }) });
  const doc = open(page(ours, 'signin-mfa-totp-invalid-otp.html'), '/ap/signin');
  await settle();
  assert.ok(panel(doc).refused.textContent.includes('pageCodeExpiredTitle'));
  assert.equal(doc.querySelector('#auth-mfa-otpcode').value, '246810');
  assert.equal(doc.querySelector('form#auth-mfa-form').submitted, undefined);
});

// Issue 15.7: SMS that never arrives; Amazon offers the authenticator app.
test('the choose-device page: a real click picks the authenticator app and continues', async () => {
  const doc = open(page(ours, 'signin-mfa-choose-device-totp.html'), '/ap/signin');
  await settle();
  const form = doc.querySelector('form#auth-select-device-form');
  const totp = doc.querySelectorAll('input[name=otpDeviceContext]').find((r) => r.getAttribute('value').endsWith(', TOTP'));
  const button = panel(doc).device.querySelector('button[data-action=use-app]');
  click(button, false);
  await settle();
  assert.equal(form.submitted, undefined, 'a synthetic click does nothing');
  assert.equal(totp.checked, false);
  click(button);
  await settle();
  assert.equal(totp.checked, true);
  assert.equal(form.submitted, 1);
  assert.equal(form.submitter.id, 'auth-send-code');
  assert.equal(panel(doc).device, undefined);
  assert.deepEqual(sent, [{ type: 'warm' }], 'the host started for what follows, nothing asked');
});

test('the choose-device page without the authenticator app offers nothing', { skip: sharedSkip }, async () => {
  const doc = open(page(shared, 'signin-mfa-choose-device.html'), '/ap/signin');
  await settle();
  assert.deepEqual(panel(doc), {});
});
