// Advanced Security Settings (`/a/settings/approval`): point at the control
// that resets "Devices that don't require OTP", the only way to clear the
// entries a lost trust leaves behind. No saved copy of this page exists, so
// the control is found by its visible text next to wording about those
// devices, in English or Japanese; when that finds no control, or more than
// one, nidan does nothing.
(function (nidan) {
const { show } = nidan.panel;
const { t } = nidan.i18n;

const APPROVAL_PATH = /^\/a\/settings\/approval(?:[/?#]|$)/;

// The control's own text, whole: "Reset", 「設定をリセット」, 「リセット」.
const RESET_LABEL = /^(?:reset|reset devices|設定をリセット|リセット(?:する)?)$/i;
// What the control's surroundings say: the devices that skip the code.
const DEVICE_WORDING = [
  /don['’]t require (?:an? )?(?:otp|code)/i,
  /(?:trusted|remembered) (?:devices|browsers)/i,
  /(?:otp|コード|ワンタイムパスワード)[^。]{0,20}(?:不要|要求しない|必要としない)/i,
  /信頼(?:済み|された|できる)[^。]{0,10}(?:デバイス|端末|ブラウザ)/,
];
// How far up from the control its surroundings are looked for, and how much
// text they may hold: beyond that, the wording could be about anything.
const MAX_LEVELS = 5;
const MAX_CONTEXT = 1500;
const CANDIDATES = 'a, button, input, span, div';

function isApprovalPath(pathname) {
  return APPROVAL_PATH.test(pathname);
}

const squash = (s) => s.replace(/\s+/g, ' ').trim();

function labelOf(el) {
  return squash(el.tagName === 'INPUT' ? el.value || '' : el.textContent || '');
}

// visible: in a browser, rendered (has boxes); the tests' DOM shim has no
// layout, so everything counts as visible there.
function visible(el) {
  return typeof el.getClientRects !== 'function' || el.getClientRects().length > 0;
}

function aboutDevices(el) {
  let node = el.parentNode;
  for (let level = 0; node && node.tagName !== '#DOCUMENT' && level < MAX_LEVELS; level++, node = node.parentNode) {
    const text = squash(node.textContent || '');
    if (text.length > MAX_CONTEXT) return false;
    if (DEVICE_WORDING.some((re) => re.test(text))) return true;
  }
  return false;
}

// findResetControl returns the one reset control next to wording about
// devices that don't require OTP, or null when there is none or several.
function findResetControl(doc) {
  const labelled = [...doc.querySelectorAll(CANDIDATES)].filter((el) => RESET_LABEL.test(labelOf(el)) && visible(el));
  // A label wrapped in several elements (<a><span>Reset</span></a>) counts
  // once, as its outermost element.
  const outermost = labelled.filter((el) => !labelled.includes(el.parentNode));
  const found = outermost.filter(aboutDevices);
  return found.length === 1 ? found[0] : null;
}

// pointAtReset marks the control findResetControl found and explains it; on
// the page of a marketplace with entries nidan counts as stale, it also
// offers to record the reset. send(message) → answer|null.
async function pointAtReset(send, control, doc = document) {
  control.setAttribute('data-nidan-reset', '');
  if (control.style) {
    control.style.outline = '3px solid #c05621';
    control.style.outlineOffset = '2px';
  }
  if (typeof control.scrollIntoView === 'function') control.scrollIntoView({ block: 'center' });
  const answer = await send({ type: 'trustList' });
  const entries = answer && answer.ok ? answer.entries : [];
  show({
    id: 'approval',
    kind: 'warn',
    title: t('approvalTitle', labelOf(control)),
    text: t('approvalText'),
    buttons: entries.map((e) => ({
      action: 'reset',
      account: e.account,
      label: t('approvalDidReset', e.account),
      onClick: (close) => {
        close();
        send({ type: 'trustAction', action: 'reset', account: e.account, marketplace: e.marketplace });
      },
    })),
  }, doc);
}

nidan.approval = { isApprovalPath, findResetControl, pointAtReset };
})(globalThis.nidan ??= {});
