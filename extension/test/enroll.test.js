// Enrolment from Amazon's setup page (content/enroll.js, lib/enroll.js) on
// test/fixtures/setup-totp.html through the DOM shim: reading the key (text,
// hidden behind "Can't scan the barcode?", QR image), the panel's flow, and
// the background's side.
import { test, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parseHTML } from './support/dom.js';
import { click, panel, settle } from './support/content.js';
import { readPNG } from './support/png.js';
import { FakeArea, fakeHost } from './support/fakes.js';
import { NativeError } from '../lib/native.js';
import { loadContent } from './support/load.js';

globalThis.chrome = { i18n: { getMessage: (key, subs) => (subs && subs.length ? `${key}:${subs.join(',')}` : key) } };
const { CANT_SCAN, SECRET, keyFromPixels, keyFromQrText, normalizeKey, readKey, scanSetup } = (await loadContent()).enroll;
const { show } = (await loadContent()).panel;
const { createEnrollHandler } = await import('../lib/enroll.js');
const { jsQR } = await loadContent();

const fixtures = new URL('./fixtures/', import.meta.url);
const KEY = 'A4EASCQLBQGQ4DYQCEJBGFAVCYLRQGI2DMOB2HQ7EAQSEIZEEUTA';
const SHOWN = 'A4EA SCQL BQGQ 4DYQ CEJB GFAV CYLR QGI2 DMOB 2HQ7 EAQS EIZE EUTA';
const qrPixels = () => readPNG(readFileSync(new URL('setup-qr.png', fixtures)));

// setupPage is the fixture as Amazon's scripts leave it: the section
// inserted, and "Can't scan the barcode?" revealing the key when clicked.
function setupPage({ reveals = true } = {}) {
  const doc = parseHTML(readFileSync(new URL('setup-totp.html', fixtures), 'utf8'));
  globalThis.document = doc;
  if (reveals) {
    doc.querySelector(CANT_SCAN).addEventListener('click', () => {
      doc.querySelector(SECRET).textContent = SHOWN;
    });
  }
  return doc;
}

const noWait = (fn) => Promise.resolve(fn() || null);

test('a key as Amazon shows it, in any case and spacing, is read as compact Base32', () => {
  for (const text of [SHOWN, SHOWN.toLowerCase(), `  ${SHOWN}\n`, SHOWN.replaceAll(' ', '\u3000'), KEY + '====', SHOWN.replaceAll(' ', '-')]) {
    assert.equal(normalizeKey(text), KEY, JSON.stringify(text));
  }
  for (const text of ['', 'A4EA SCQL', 'A4EA SCQL BQGQ 4DYQ CEJB GFA1', 'not a key at all, not at all', null, undefined, 42]) {
    assert.equal(normalizeKey(text), null, JSON.stringify(text));
  }
});

test('the key of a QR code: an otpauth TOTP URI or a bare key', () => {
  assert.equal(keyFromQrText(`otpauth://totp/Amazon:a%40b.c?secret=${KEY.toLowerCase()}&issuer=Amazon`), KEY);
  assert.equal(keyFromQrText(SHOWN), KEY);
  assert.equal(keyFromQrText(`otpauth://hotp/x?secret=${KEY}&counter=1`), null);
  assert.equal(keyFromQrText('otpauth://totp/x'), null);
  assert.equal(keyFromQrText('https://www.amazon.co.jp/'), null);
});

test('the key from the QR image (a PNG made by nidan export --png), with jsQR', () => {
  assert.equal(keyFromPixels(qrPixels(), jsQR), KEY);
  const blank = { data: new Uint8ClampedArray(64 * 64 * 4).fill(255), width: 64, height: 64 };
  assert.equal(keyFromPixels(blank, jsQR), null);
});

test('readKey: the shown key; else "Can\'t scan the barcode?" for the user; else the QR image', async () => {
  const decodeImage = async () => {
    throw new Error('the QR image is not needed');
  };
  let doc = setupPage();
  doc.querySelector(SECRET).textContent = SHOWN.toLowerCase();
  assert.equal(await readKey(doc, { waitFor: noWait, decodeImage }), KEY);

  doc = setupPage();
  let clicks = 0;
  doc.querySelector(CANT_SCAN).addEventListener('click', () => clicks++);
  assert.equal(await readKey(doc, { waitFor: noWait, decodeImage }), KEY);
  assert.equal(clicks, 1);

  doc = setupPage({ reveals: false });
  let decoded = null;
  const fromImage = async (img) => {
    decoded = img;
    return keyFromPixels(qrPixels(), jsQR);
  };
  assert.equal(await readKey(doc, { waitFor: noWait, decodeImage: fromImage }), KEY);
  assert.equal(decoded.getAttribute('id'), 'sia-auth-app-qr-code');
});

// The flow, with the background played by the test.
let sent;
let background;
let slept;
const OPTIONS = { autoSubmit: false, rememberDevice: false };
const saved = (name = 'new@example.com', extra = {}) => ({ ok: true, code: '135790', remaining: 20, period: 30, account: { name, label: name }, options: OPTIONS, ...extra });
const deps = (doc) => ({
  send: async (message) => {
    sent.push(message);
    return background(message);
  },
  show: (spec) => show(spec, doc),
  choose: async () => null,
  sleep: async (ms) => slept.push(ms),
  waitFor: noWait,
  decodeImage: async () => null,
});

beforeEach(() => {
  sent = [];
  slept = [];
  background = (m) => (m.type === 'enroll' ? saved() : { ok: true });
});

function button(doc, id, action) {
  const notice = panel(doc)[id];
  assert.ok(notice, `no ${id} notice; shown: ${Object.keys(panel(doc))}`);
  return notice.querySelector(`button[data-action=${action}]`);
}

async function clickEnroll(doc) {
  click(button(doc, 'enroll', 'enroll'));
  await settle();
}

test('the panel is offered on the setup form; a synthetic click does nothing; a real one saves and fills', async () => {
  const doc = setupPage();
  scanSetup(deps(doc), doc);
  assert.match(panel(doc).enroll.textContent, /enrollTitle/);
  click(button(doc, 'enroll', 'enroll'), false);
  await settle();
  assert.deepEqual(sent, [], 'an untrusted click sends nothing');

  await clickEnroll(doc);
  assert.deepEqual(sent, [{ type: 'enroll', secret: KEY, name: undefined }]);
  const input = doc.querySelector('#ch-auth-app-code-input');
  assert.equal(input.value, '135790');
  assert.equal(doc.querySelector('form#sia-add-auth-app-form').submitted, undefined, 'not submitted');
  const text = panel(doc).enroll.textContent;
  assert.match(text, /enrollSaved:new@example.com/);
  assert.match(text, /enrollPhoneNudge/);

  // The phone tick: only the user's own change counts.
  const box = panel(doc).enroll.querySelector('input[data-action=phone]');
  box.checked = true;
  box.dispatchEvent(new Event('change'));
  await settle();
  assert.equal(sent.length, 1, 'an untrusted change sends nothing');
  const real = new Event('change');
  Object.defineProperty(real, 'isTrusted', { get: () => true });
  box.dispatchEvent(real);
  await settle();
  assert.deepEqual(sent[1], { type: 'phoneBackup', account: 'new@example.com', value: true });
});

test('auto-submit, when the user enabled it, sends the form after filling', async () => {
  const doc = setupPage();
  background = (m) => (m.type === 'enroll' ? saved('a', { options: { autoSubmit: true, rememberDevice: false } }) : { ok: true });
  scanSetup(deps(doc), doc);
  await clickEnroll(doc);
  assert.equal(doc.querySelector('form#sia-add-auth-app-form').submitted, 1);
});

test('a code about to expire is not filled: the next one is', async () => {
  const doc = setupPage();
  let codes = 0;
  background = (m) => {
    if (m.type === 'enroll') return saved('a', { remaining: 1 });
    codes++;
    return saved('a', { code: '224466', remaining: 30 });
  };
  scanSetup(deps(doc), doc);
  await clickEnroll(doc);
  assert.equal(codes, 1);
  assert.deepEqual(sent[1], { type: 'code', account: 'a' });
  assert.equal(doc.querySelector('#ch-auth-app-code-input').value, '224466');
});

test('no e-mail known: the panel asks for a name and saves under it', async () => {
  const doc = setupPage();
  background = (m) => (m.name ? saved(m.name) : { ok: false, error: { code: 'name_required', message: 'x' } });
  scanSetup(deps(doc), doc);
  await clickEnroll(doc);
  const field = panel(doc).enroll.querySelector('input[data-field]');
  assert.ok(field, 'a name box');
  field.value = '  shop-jp ';
  await clickEnroll(doc);
  assert.deepEqual(sent.map((m) => m.name), [undefined, 'shop-jp']);
  assert.equal(sent[1].secret, KEY);
  assert.equal(doc.querySelector('#ch-auth-app-code-input').value, '135790');
});

test('a duplicate key is refused with the account holding it; a taken name asks for another', async () => {
  let doc = setupPage();
  background = () => ({ ok: false, error: { code: 'duplicate', message: 'x' }, existing: 'old-shop', duplicate: 'key' });
  scanSetup(deps(doc), doc);
  await clickEnroll(doc);
  assert.match(panel(doc).enroll.textContent, /enrollDuplicateKey:old-shop/);
  assert.equal(doc.querySelector('#ch-auth-app-code-input').value, '');

  doc = setupPage();
  background = () => ({ ok: false, error: { code: 'duplicate', message: 'x' }, existing: 'new@example.com', duplicate: 'name' });
  scanSetup(deps(doc), doc);
  await clickEnroll(doc);
  assert.match(panel(doc).enroll.textContent, /enrollNameTaken:new@example.com/);
  assert.ok(panel(doc).enroll.querySelector('input[data-field]'));
});

test('no key on the page: the panel says how to show it', async () => {
  const doc = setupPage({ reveals: false });
  scanSetup(deps(doc), doc);
  await clickEnroll(doc);
  assert.deepEqual(sent, []);
  assert.match(panel(doc).enroll.textContent, /enrollNoKey/);
});

test('a refused code is explained once per submit, and the next code is filled on request', async () => {
  const doc = setupPage();
  scanSetup(deps(doc), doc);
  await clickEnroll(doc);
  const form = doc.querySelector('form#sia-add-auth-app-form');
  const error = doc.querySelector('#ch-auth-app-form-error');
  scanSetup(deps(doc), doc);
  assert.equal(panel(doc)['enroll-refused'], undefined, 'nothing before a submit');

  form.requestSubmit();
  error.children[0].textContent = 'Incorrect code. If this error repeats, rescan the barcode.';
  scanSetup(deps(doc), doc);
  assert.match(panel(doc)['enroll-refused'].textContent, /enrollRefusedCauses/);

  // The same code again first (the step has not rolled): wait it out.
  let calls = 0;
  background = () => (++calls === 1 ? saved('new@example.com', { remaining: 12 }) : saved('new@example.com', { code: '975310' }));
  click(button(doc, 'enroll-refused', 'next'));
  await settle();
  assert.deepEqual(slept, [12000]);
  assert.equal(doc.querySelector('#ch-auth-app-code-input').value, '975310');
});

test('the section appearing after load is found then', () => {
  const doc = setupPage();
  const section = doc.querySelector('#sia-otp-accordion-totp');
  const parent = section.parentNode;
  section.remove();
  scanSetup(deps(doc), doc);
  assert.equal(panel(doc).enroll, undefined);
  parent.append(section);
  scanSetup(deps(doc), doc);
  assert.ok(panel(doc).enroll);
});

test('background: the key goes to the host once, with the sender origin and the sign-in e-mail, and is kept nowhere', async () => {
  const local = new FakeArea();
  const session = new FakeArea({ signinEmails: { 'www.amazon.co.jp': 'new@example.com' } });
  const host = fakeHost(() => ({ ok: true, protocol: 1, account: { name: 'new@example.com', label: 'new@example.com' }, code: '135790', remaining: 20, period: 30 }));
  const handle = createEnrollHandler({ ask: host.ask, session, settings: local });
  const answer = await handle({ type: 'enroll', secret: SHOWN, origin: 'https://evil.example' }, 'https://www.amazon.co.jp', 'www.amazon.co.jp');
  assert.deepEqual(host.requests, [{ type: 'enroll', origin: 'https://www.amazon.co.jp', secret: SHOWN, email: 'new@example.com' }]);
  assert.equal(answer.ok, true);
  assert.equal(answer.code, '135790');
  assert.deepEqual(answer.account, { name: 'new@example.com', label: 'new@example.com' });
  const stored = JSON.stringify([local.items, session.items, answer]);
  assert.ok(!stored.includes(SHOWN) && !stored.includes(KEY), 'the key is not stored or answered');

  const named = await handle({ type: 'enroll', secret: SHOWN, name: ' shop ' }, 'https://www.amazon.co.jp', 'www.amazon.co.jp');
  assert.equal(named.ok, true);
  assert.equal(host.requests[1].name, 'shop');

  // No name and no e-mail typed on this host: the user is asked first, and
  // the key has not gone to the host for nothing.
  const unnamed = await handle({ type: 'enroll', secret: SHOWN }, 'https://www.amazon.com', 'www.amazon.com');
  assert.equal(unnamed.error.code, 'name_required');
  assert.equal(host.requests.length, 2);

  for (const bad of [{}, { secret: 7 }, { secret: 'x'.repeat(300) }, { secret: SHOWN, name: 'n'.repeat(65) }]) {
    const refused = await handle({ type: 'enroll', ...bad }, 'https://www.amazon.co.jp', 'www.amazon.co.jp');
    assert.equal(refused.error.code, 'bad_request', JSON.stringify(bad));
  }
  assert.equal(host.requests.length, 2);
});

test('background: a duplicate keeps existing and duplicate; phoneBackup asks the host', async () => {
  const host = fakeHost((r) => {
    if (r.type === 'enroll') throw new NativeError('duplicate', 'this key is already in nidan', { ok: false, existing: 'old', duplicate: 'key' });
    return { ok: true, protocol: 1 };
  });
  const handle = createEnrollHandler({ ask: host.ask, session: new FakeArea(), settings: new FakeArea() });
  const dup = await handle({ type: 'enroll', secret: SHOWN, name: 'new' }, 'https://www.amazon.co.jp', 'www.amazon.co.jp');
  assert.deepEqual(dup, { ok: false, error: { code: 'duplicate', message: 'this key is already in nidan' }, host: 'www.amazon.co.jp', existing: 'old', duplicate: 'key' });
  assert.deepEqual(await handle({ type: 'phoneBackup', account: 'old', value: true }, 'https://www.amazon.co.jp', 'www.amazon.co.jp'), { ok: true });
  assert.deepEqual(host.requests[1], { type: 'phone_backup', origin: 'https://www.amazon.co.jp', account: 'old', value: true });
  const bad = await handle({ type: 'phoneBackup', account: 'old', value: 'yes' }, 'https://www.amazon.co.jp', 'www.amazon.co.jp');
  assert.equal(bad.error.code, 'bad_request');
});
