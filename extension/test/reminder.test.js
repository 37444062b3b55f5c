// The trusted-device flow of the content script on the saved pages: the
// reminder comes after the fill, trusts are recorded on submit whoever
// submits, and Advanced Security Settings gets its reset control pointed at.
import { test, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parseHTML } from './support/dom.js';
import { click, dispatch, fakeTimers, open as openPage, panel, settle } from './support/content.js';

// The code replaced when its period rolls: run by hand, or never.
const timers = fakeTimers();
import { loadContent } from './support/load.js';

const ours = new URL('./fixtures/', import.meta.url);
const page = (name) => parseHTML(readFileSync(new URL(name, ours), 'utf8'));

let background;
let sent;
globalThis.chrome = {
  runtime: {
    sendMessage: async (message) => {
      sent.push(message);
      return background(message);
    },
  },
  // What the content script writes to storage shows among the messages, as
  // {type: 'stored', key, ...value}, so that the tests see the order.
  storage: {
    local: {
      set: async (items) => {
        for (const [key, value] of Object.entries(items)) sent.push({ type: 'stored', key, ...value });
      },
    },
  },
  // Substitutions show in the text, so the tests see what was filled in.
  i18n: { getMessage: (key, subs = []) => (subs.length ? `${key}(${subs.join('|')})` : key), getUILanguage: () => 'en-US' },
};
globalThis.MutationObserver = class {
  observe() {}
};
const { start } = (await loadContent()).main;
const { findResetControl, pointAtReset } = (await loadContent()).approval;
const { formatDate } = (await loadContent()).reminder;

const T0 = Date.parse('2026-11-01T09:00:00Z');
const REMINDER = {
  account: 'shop',
  marketplace: 'jp',
  count: 2,
  trustedAt: T0,
  marketplaceName: 'Japan',
  marketplaceNameJa: '日本',
  approvalUrl: 'https://www.amazon.co.jp/a/settings/approval',
};
const okCode = (options = {}) => ({ ok: true, code: '246810', remaining: 20, period: 30, account: { name: 'shop', label: '' }, options: { autoSubmit: false, rememberDevice: false, ...options } });

function answers(overrides = {}) {
  return (message) => {
    if (message.type in overrides) return overrides[message.type](message);
    if (message.type === 'code') return okCode();
    if (message.type === 'clock') return { ok: true, skewMs: 0, skewed: false };
    if (message.type === 'refused') return { ok: true, filledByNidan: false };
    if (message.type === 'prompted') return { ok: true, reminder: null };
    if (message.type === 'trustList') return { ok: true, entries: [] };
    return { ok: true };
  };
}

const open = (doc, pathname) => openPage(start, doc, pathname);

const types = () => sent.map((m) => m.type);
const submitByUser = (doc) => doc.querySelector('form#auth-mfa-form').requestSubmit(doc.querySelector('#auth-signin-button'));

beforeEach(() => {
  sent = [];
  background = answers();
});

test('fill first, remind after: the code is in the field before the reminder is asked for', async () => {
  let valueWhenAsked;
  const doc = page('signin-mfa-totp-ja.html');
  background = answers({
    prompted: () => {
      valueWhenAsked = doc.querySelector('#auth-mfa-otpcode').value;
      return { ok: true, reminder: REMINDER };
    },
  });
  open(doc, '/ap/mfa');
  await settle();
  assert.equal(valueWhenAsked, '246810');
  assert.ok(types().indexOf('filled') < types().indexOf('prompted'));
  assert.deepEqual(sent.find((m) => m.type === 'prompted'), { type: 'prompted', account: 'shop' });
  const notice = panel(doc).reminder;
  const text = notice.textContent;
  assert.ok(text.includes(`reminderTitle(${formatDate(T0)})`), text);
  assert.ok(text.includes('November 1, 2026'), text);
  assert.ok(text.includes('reminderLost'));
  assert.ok(text.includes('reminderEntries(2|shop|Japan)'), text);
  assert.ok(text.includes('reminderWhere(https://www.amazon.co.jp/a/settings/approval)'), text);
  assert.deepEqual(notice.querySelectorAll('button[data-action]').map((b) => b.dataset.action), ['close', 'open-settings', 'reset', 'snooze', 'mute']);
});

test('the reminder is in Japanese dates and names when the browser is', async () => {
  const { formatDate: format, marketName } = (await loadContent()).reminder;
  assert.equal(format(T0, 'ja'), '2026年11月1日');
  assert.equal(marketName(REMINDER, 'ja'), '日本');
  assert.equal(marketName(REMINDER, 'en-US'), 'Japan');
});

test('the reminder\'s buttons send their action; synthetic clicks do nothing', async () => {
  for (const [action, want] of [
    ['open-settings', { type: 'openApproval', marketplace: 'jp' }],
    ['reset', { type: 'trustAction', action: 'reset', account: 'shop', marketplace: 'jp' }],
    ['snooze', { type: 'trustAction', action: 'snooze', account: 'shop', marketplace: 'jp' }],
    ['mute', { type: 'trustAction', action: 'mute', account: 'shop', marketplace: 'jp' }],
  ]) {
    sent = [];
    background = answers({ prompted: () => ({ ok: true, reminder: REMINDER }) });
    const doc = open(page('signin-mfa-totp.html'), '/ap/mfa');
    await settle();
    const button = panel(doc).reminder.querySelector(`button[data-action=${action}]`);
    click(button, false);
    await settle();
    assert.equal(types().filter((t) => t === 'trustAction' || t === 'openApproval').length, 0, `${action}: synthetic`);
    click(button);
    await settle();
    assert.deepEqual(sent.at(-1), want);
    assert.equal(Boolean(panel(doc).reminder), action === 'open-settings', `${action}: the notice stays only while the user goes to reset`);
  }
});

test('no reminder answer, no notice; the refused page never asks', async () => {
  const doc = open(page('signin-mfa-totp.html'), '/ap/mfa');
  await settle();
  assert.ok(types().includes('prompted'));
  assert.deepEqual(panel(doc), {});
  sent = [];
  background = answers({ refused: () => ({ ok: true, filledByNidan: false }) });
  open(page('signin-mfa-totp-invalid-otp.html'), '/ap/signin');
  await settle();
  assert.ok(types().includes('code'), 'filled');
  assert.ok(!types().includes('prompted'), 'a refused code is no new prompt');
});

test('a submit with the box ticked by the user records a trust for the filled account', async () => {
  const doc = open(page('signin-mfa-totp.html'), '/ap/mfa');
  await settle();
  submitByUser(doc);
  await settle();
  assert.ok(!types().includes('stored'), 'box not ticked');
  doc.querySelector('#auth-mfa-remember-device').checked = true;
  submitByUser(doc);
  await settle();
  const stored = sent.filter((m) => m.type === 'stored');
  assert.equal(stored.length, 1);
  assert.match(stored[0].key, /^trustSubmit:[0-9a-f-]{36}$/);
  assert.equal(stored[0].account, 'shop');
  assert.equal(stored[0].host, 'www.amazon.co.jp');
  assert.ok(Math.abs(stored[0].at - Date.now()) < 60_000);
});

test('a submit the page cancels is not a trust', async () => {
  const doc = page('signin-mfa-totp.html');
  const form = doc.querySelector('form#auth-mfa-form');
  // The page's own listeners are on the form before the content script's.
  form.addEventListener('submit', (e) => e.preventDefault());
  open(doc, '/ap/mfa');
  await settle();
  doc.querySelector('#auth-mfa-remember-device').checked = true;
  submitByUser(doc);
  await settle();
  assert.ok(!types().includes('stored'));
  assert.equal(form.submitted, undefined);
});

test('without a code from nidan the account is unknown: nothing recorded', async () => {
  background = answers({ code: () => ({ ok: false, error: { code: 'no_account', message: 'x' }, host: 'www.amazon.com', marketplaces: ['us'] }) });
  const doc = open(page('signin-mfa-totp.html'), '/ap/mfa');
  await settle();
  doc.querySelector('#auth-mfa-remember-device').checked = true;
  submitByUser(doc);
  await settle();
  assert.ok(!types().includes('stored'));
  assert.ok(!types().includes('prompted'));
});

test('nidan\'s option ticks and auto-submits: the reminder is answered before the new trust is recorded', async () => {
  let answer;
  background = answers({
    code: () => okCode({ autoSubmit: true, rememberDevice: true }),
    prompted: () => new Promise((resolve) => (answer = resolve)),
  });
  const doc = open(page('signin-mfa-totp.html'), '/ap/mfa');
  await settle();
  const form = doc.querySelector('form#auth-mfa-form');
  assert.equal(doc.querySelector('#auth-mfa-otpcode').value, '246810', 'filled at once');
  assert.equal(form.submitted, undefined, 'not submitted while the reminder is unanswered');
  answer({ ok: true, reminder: null });
  await settle();
  assert.equal(form.submitted, 1);
  const order = types().filter((t) => ['filled', 'prompted', 'stored'].includes(t));
  assert.deepEqual(order, ['filled', 'prompted', 'stored']);
});

test('Advanced Security Settings: the reset control is found by its text, in English and Japanese', () => {
  for (const [name, label] of [['approval-en.html', 'Reset'], ['approval-ja.html', '設定をリセット']]) {
    const control = findResetControl(page(name));
    assert.ok(control, name);
    assert.equal(control.textContent.trim(), label);
    assert.match(control.getAttribute('class'), /a-button\b/, `${name}: the whole button, not its inner label`);
  }
});

test('unsure: no device wording, several candidates, or only look-alike labels: nothing', () => {
  const doc = (body) => parseHTML(`<html><body>${body}</body></html>`);
  const devices = '<div><h3>Devices that don\'t require OTP</h3><a href="#">Reset</a></div>';
  assert.ok(findResetControl(doc(devices)), 'the control itself is recognised');
  const cases = {
    'no device wording': '<div><h3>Preferences</h3><a href="#">Reset</a></div>',
    'two candidates': devices + devices,
    'only look-alikes': '<div><h3>Devices that don\'t require OTP</h3><a href="#">Reset password</a><p>Resetting requires OTP</p></div>',
    'wording too far away': `<div><h3>Devices that don't require OTP</h3>${'<div><p>x</p>'.repeat(5)}<a href="#">Reset</a>${'</div>'.repeat(5)}</div>`,
    'wording drowned in a whole page': `<div><h3>Devices that don't require OTP</h3><p>${'x'.repeat(2000)}</p><a href="#">Reset</a></div>`,
    'japanese without device wording': '<div><h3>高度なセキュリティ設定</h3><a href="#">リセット</a></div>',
  };
  for (const [why, body] of Object.entries(cases)) assert.equal(findResetControl(doc(body)), null, why);
  assert.ok(findResetControl(doc('<div><h3>信頼済みのデバイス</h3><button>リセット</button></div>')), 'ja: trusted devices');
});

test('pointing at the reset: marked, explained, and a button per stale account of this marketplace', async () => {
  const doc = page('approval-ja.html');
  globalThis.document = doc;
  background = answers({ trustList: () => ({ ok: true, entries: [{ account: 'shop', marketplace: 'jp', count: 2 }] }) });
  const send = async (m) => {
    sent.push(m);
    return background(m);
  };
  await pointAtReset(send, findResetControl(doc), doc);
  const control = doc.querySelector('span[data-nidan-reset]');
  assert.equal(control.textContent.trim(), '設定をリセット');
  const notice = panel(doc).approval;
  assert.ok(notice.textContent.includes('approvalTitle(設定をリセット)'));
  const button = notice.querySelector('button[data-account=shop]');
  assert.equal(button.textContent, 'approvalDidReset(shop)');
  click(button);
  await settle();
  assert.deepEqual(sent.at(-1), { type: 'trustAction', action: 'reset', account: 'shop', marketplace: 'jp' });
});

test('the content script on /a/settings/approval points once, and never asks for a code', async () => {
  const doc = open(page('approval-en.html'), '/a/settings/approval');
  await settle();
  assert.deepEqual(types(), ['trustList']);
  assert.ok(doc.querySelector('span[data-nidan-reset]'));
  assert.ok(panel(doc).approval);
});
