// Enrolment from Amazon's own setup page: on the "add an authenticator app"
// step of Advanced Security Settings (/a/settings/approval…), a panel offers
// to save the page's key to nidan. On the user's click (panel.js acts on
// trusted clicks only) it reads the key — opening "Can't scan the barcode?"
// when the key is not shown yet, or decoding the QR image when that is all
// there is — sends it to the host once, fills the first code into Amazon's
// box, and asks the user to enrol a phone too. The key is held in a local
// variable for that one message: never stored, never shown, never logged.
//
// Amazon's markup (from public automation code; no saved copy exists, see
// test/fixtures/setup-totp*.html): the section opens from
// a#sia-otp-accordion-totp-header, shows a QR image and
// a#sia-auth-app-cant-scan-link, which reveals span#sia-auth-app-formatted-secret
// (the key in spaced groups of four); form#sia-add-auth-app-form holds
// input#ch-auth-app-code-input and input#ch-auth-app-submit; a wrong code
// shows #ch-auth-app-form-error.
(function (nidan) {
const { getCode } = nidan.code;
const { noticeFor } = nidan.errors;
const { fillInput, submit } = nidan.fill;
const { t } = nidan.i18n;
const { waitBeforeFill } = nidan.timing;

const SETUP_FORM = 'form#sia-add-auth-app-form';
const CODE_INPUT = 'input#ch-auth-app-code-input';
const SUBMIT = 'input#ch-auth-app-submit';
const FORM_ERROR = '#ch-auth-app-form-error';
const SECRET = 'span#sia-auth-app-formatted-secret';
const CANT_SCAN = 'a#sia-auth-app-cant-scan-link';

// A key has at least 128 bits (RFC 4226): 26 Base32 characters. Amazon's
// have 256 bits, 52 characters.
const MIN_KEY = 26;
const MAX_KEY = 256;
// How long the key may take to appear after "Can't scan the barcode?".
const REVEAL_TIMEOUT_MS = 5000;

// normalizeKey returns a Base32 key in compact uppercase, from the text as
// Amazon shows it (groups of four, any case, spaces, padding), or null.
function normalizeKey(text) {
  if (typeof text !== 'string') return null;
  const compact = text.replace(/[\s\u3000-]+/g, '').replace(/=+$/, '').toUpperCase();
  return compact.length >= MIN_KEY && compact.length <= MAX_KEY && /^[A-Z2-7]+$/.test(compact) ? compact : null;
}

// keyFromQrText returns the key of a QR code's text: an otpauth://totp URI
// (Amazon's), or a bare key.
function keyFromQrText(text) {
  if (typeof text !== 'string') return null;
  if (!/^otpauth:/i.test(text)) return normalizeKey(text);
  let url;
  try {
    url = new URL(text);
  } catch {
    return null;
  }
  return url.host.toLowerCase() === 'totp' ? normalizeKey(url.searchParams.get('secret') ?? '') : null;
}

// keyFromPixels decodes RGBA pixels ({data, width, height}, as a canvas
// gives) with jsQR (vendor/jsqr.js).
function keyFromPixels({ data, width, height }, jsQR) {
  const found = jsQR(data, width, height);
  return found ? keyFromQrText(found.data) : null;
}

function findSetup(doc) {
  const form = doc.querySelector(SETUP_FORM);
  const input = form && form.querySelector(CODE_INPUT);
  return input ? { doc, form, input, submit: form.querySelector(SUBMIT) } : null;
}

function shownKey(doc) {
  const el = doc.querySelector(SECRET);
  return el ? normalizeKey(el.textContent) : null;
}

// shown: in a browser, rendered and not empty; the tests' DOM shim has no
// layout, so there an element with text counts as shown.
function shown(el) {
  if (!el || !el.textContent.trim()) return false;
  return typeof el.getClientRects !== 'function' || el.getClientRects().length > 0;
}

// qrImage is the QR image of the authenticator-app section: an image near
// the "Can't scan the barcode?" link or the form.
function qrImage(doc) {
  for (const anchor of [doc.querySelector(CANT_SCAN), doc.querySelector(SETUP_FORM)]) {
    for (let node = anchor && anchor.parentNode, level = 0; node && level < 6; node = node.parentNode, level++) {
      if (typeof node.querySelectorAll !== 'function') break;
      const img = [...node.querySelectorAll('img')].find((i) => /qr|barcode|バーコード/i.test(`${i.alt || i.getAttribute('alt') || ''} ${i.id || ''} ${i.className || ''}`) || /^data:image\//.test(i.getAttribute('src') || ''));
      if (img) return img;
    }
  }
  return null;
}

// decodeImage reads the key from the QR image: BarcodeDetector where the
// browser has it (Chromium on macOS, ChromeOS, Android), else jsQR on the
// image's pixels (vendor/jsqr.js, a content script of the setup page only).
async function decodeImage(img) {
  const Detector = globalThis.BarcodeDetector;
  if (Detector) {
    try {
      if ((await Detector.getSupportedFormats()).includes('qr_code')) {
        for (const code of await new Detector({ formats: ['qr_code'] }).detect(img)) {
          const key = keyFromQrText(code.rawValue);
          if (key) return key;
        }
      }
    } catch {
      // fall through to jsQR
    }
  }
  try {
    if (img.decode) await img.decode();
    const width = img.naturalWidth;
    const height = img.naturalHeight;
    const canvas = img.ownerDocument.createElement('canvas');
    canvas.width = width;
    canvas.height = height;
    const ctx = canvas.getContext('2d', { willReadFrequently: true });
    ctx.drawImage(img, 0, 0);
    return keyFromPixels(ctx.getImageData(0, 0, width, height), nidan.jsQR);
  } catch {
    return null; // not loaded, or from another origin (a tainted canvas)
  }
}

// waitFor resolves to fn()'s first truthy value, or to null after
// timeoutMs. A timer rather than animation frames, which a background tab
// does not get.
function waitFor(fn, timeoutMs = REVEAL_TIMEOUT_MS) {
  const deadline = Date.now() + timeoutMs;
  return new Promise((resolve) => {
    const check = () => {
      const value = fn();
      if (value || Date.now() >= deadline) resolve(value || null);
      else setTimeout(check, 50);
    };
    check();
  });
}

// readKey returns the page's key, or null. deps: {waitFor, decodeImage}.
async function readKey(doc, deps) {
  const key = shownKey(doc);
  if (key) return key;
  const link = doc.querySelector(CANT_SCAN);
  if (link) {
    link.click(); // what the user would do: Amazon reveals the key
    const revealed = await deps.waitFor(() => shownKey(doc));
    if (revealed) return revealed;
  }
  const img = qrImage(doc);
  return img ? deps.decodeImage(img) : null;
}

// Enrolment of one setup form. deps: {send, show, choose, sleep, waitFor,
// decodeImage}.
class Enrolment {
  constructor(deps, setup) {
    this.deps = deps;
    this.setup = setup;
    this.account = null; // the account saved, once saved
    this.lastCode = null;
    this.armed = false; // a code went to Amazon since the last explanation
    const arm = () => {
      if (this.account) this.armed = true;
    };
    setup.form.addEventListener('submit', arm);
    if (setup.submit) setup.submit.addEventListener('click', arm);
  }

  offer() {
    this.deps.show({
      id: 'enroll',
      title: t('enrollTitle'),
      text: t('enrollText'),
      buttons: [{ action: 'enroll', label: t('enrollButton'), primary: true, onClick: () => this.save(undefined).catch(() => {}) }],
    });
  }

  async save(name) {
    const status = this.deps.show({ id: 'enroll', title: t('enrollReading') });
    const secret = await readKey(this.setup.doc, this.deps);
    if (!secret) {
      this.deps.show({ id: 'enroll', kind: 'error', title: t('enrollNoKey'), text: t('enrollNoKeyHint'), buttons: [this.saveButton(name)] });
      return;
    }
    const answer = await this.deps.send({ type: 'enroll', secret, name });
    if (!answer) {
      status.close();
      return;
    }
    if (answer.ok) {
      await this.saved(answer);
      return;
    }
    this.failed(answer, name);
  }

  saveButton(name) {
    return { action: 'enroll', label: t('enrollButton'), primary: true, onClick: () => this.save(name).catch(() => {}) };
  }

  // askName shows a name box whose button saves again under that name.
  askName(title) {
    this.deps.show({
      id: 'enroll',
      kind: 'warn',
      title,
      text: t('enrollNameHint'),
      field: { label: t('enrollNameLabel') },
      buttons: [{ action: 'enroll', label: t('enrollButton'), primary: true, onClick: (close, value) => value && this.save(value).catch(() => {}) }],
    });
  }

  failed(answer, name) {
    const code = answer.error && answer.error.code;
    if (code === 'name_required') return this.askName(t('enrollNameTitle'));
    if (code === 'bad_name') return this.askName(t('enrollBadName', name ?? ''));
    if (code === 'duplicate' && answer.duplicate === 'name') return this.askName(t('enrollNameTaken', answer.existing ?? ''));
    if (code === 'duplicate') {
      const existing = answer.existing ?? '';
      return this.deps.show({
        id: 'enroll',
        kind: 'error',
        title: t('enrollDuplicateKey', existing),
        text: t('enrollDuplicateKeyHint'),
        buttons: [{ action: 'fill', label: t('enrollFillExisting'), onClick: (close) => this.fillCode(existing, close) }],
      });
    }
    if (code === 'bad_secret') return this.deps.show({ id: 'enroll', kind: 'error', title: t('enrollBadKey'), text: t('enrollNoKeyHint') });
    return this.deps.show({ ...noticeFor(answer), id: 'enroll' });
  }

  async saved(answer) {
    const name = answer.account.name;
    this.account = name;
    // A code about to expire would be refused by the time the user
    // submits: take the next one, as on the sign-in page.
    const first = waitBeforeFill(answer.remaining) > 0 ? await getCode(this.deps, name) : answer;
    this.fill((first || answer).code);
    this.deps.show({
      id: 'enroll',
      title: t('enrollSaved', name),
      text: t('enrollPhoneNudge'),
      check: {
        action: 'phone',
        label: t('enrollPhoneTick'),
        onChange: (value) => this.phoneBackup(value).catch(() => {}),
      },
    });
    if (answer.options && answer.options.autoSubmit) submit(this.setup.form, this.setup.submit);
    this.watchAttributes();
  }

  fill(code) {
    this.lastCode = code;
    fillInput(this.setup.input, code);
  }

  async phoneBackup(value) {
    const answer = await this.deps.send({ type: 'phoneBackup', account: this.account, value });
    if (answer && !answer.ok) this.deps.show(noticeFor(answer));
  }

  // fillCode fills the account's code (for a key already in nidan).
  async fillCode(name, close) {
    close();
    const answer = await getCode(this.deps, name);
    if (!answer) return;
    this.account = name;
    this.fill(answer.code);
  }

  // nextCode fills the code of the step after the one refused.
  async nextCode(close) {
    close();
    let answer = await getCode(this.deps, this.account);
    if (answer && answer.code === this.lastCode) {
      await this.deps.sleep(answer.remaining * 1000);
      answer = await getCode(this.deps, this.account);
    }
    if (answer) this.fill(answer.code);
  }

  // check explains a refused code once per submit.
  check() {
    if (!this.armed || !shown(this.setup.doc.querySelector(FORM_ERROR))) return;
    this.armed = false;
    this.deps.show({
      id: 'enroll-refused',
      kind: 'error',
      title: t('enrollRefusedTitle'),
      text: t('enrollRefusedCauses'),
      command: 'nidan doctor',
      buttons: [{ action: 'next', label: t('enrollNextCode'), primary: true, onClick: (close) => this.nextCode(close).catch(() => {}) }],
    });
  }

  // watchAttributes catches the error box being unhidden by a class or
  // style change, which main.js's observer (child lists only) misses.
  watchAttributes() {
    if (this.observer || typeof MutationObserver !== 'function') return;
    this.observer = new MutationObserver(() => this.check());
    this.observer.observe(this.setup.doc.documentElement, { subtree: true, attributes: true, attributeFilter: ['class', 'style', 'hidden'] });
  }
}

const enrolments = new WeakMap();

// scanSetup offers enrolment on a setup form it has not seen, and checks
// for a refused code on those it has. main.js calls it on every change of
// an Advanced Security Settings page; the section appears after load.
function scanSetup(deps, doc) {
  const setup = findSetup(doc);
  if (!setup) return;
  let enrolment = enrolments.get(setup.form);
  if (!enrolment) {
    enrolment = new Enrolment({ waitFor, decodeImage, ...deps }, setup);
    enrolments.set(setup.form, enrolment);
    enrolment.offer();
    return;
  }
  enrolment.check();
}

nidan.enroll = { SETUP_FORM, CODE_INPUT, SUBMIT, FORM_ERROR, SECRET, CANT_SCAN, REVEAL_TIMEOUT_MS, normalizeKey, keyFromQrText, keyFromPixels, findSetup, decodeImage, waitFor, readKey, scanSetup };
})(globalThis.nidan ??= {});
