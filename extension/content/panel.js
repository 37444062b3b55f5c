// nidan's in-page UI. Each notice is drawn in a frame of the extension's own
// origin (panel/panel.html, web-accessible by a per-session URL only), inside
// a closed shadow root: page scripts can neither read it (window.find, the
// DOM), restyle it nor drive it. The frame gets the notice from the
// background (lib/panel.js), not through the page, and its clicks come back
// the same way; here they count only when the frame was fully visible and
// unobscured at the click (unobscured below; in the frame, where the browser
// has it, IntersectionObserver v2 too). Buttons act on real user clicks only
// (event.isTrusted). Where the document cannot hold the frame (the unit
// tests' DOM shim) the notice is drawn in the shadow root itself.
(function (nidan) {
const { t } = nidan.i18n;

const STYLE = `
:host { all: initial; }
.frame { display: block; border: 0; width: 360px; height: 0; background: transparent; color-scheme: light; }
.stack { position: fixed; top: 12px; right: 12px; z-index: 2147483647; display: flex; flex-direction: column;
  gap: 8px; max-width: 360px; font: 13px/1.45 system-ui, -apple-system, "Segoe UI", "Hiragino Sans", "Yu Gothic UI", sans-serif; }
.notice { background: #fff; color: #111; border: 1px solid #bbb; border-left: 4px solid #2b6cb0; border-radius: 6px;
  box-shadow: 0 2px 10px rgba(0,0,0,.18); padding: 10px 12px; }
.notice.warn { border-left-color: #c05621; }
.notice.error { border-left-color: #c53030; }
.head { display: flex; align-items: flex-start; gap: 8px; }
.title { font-weight: 600; flex: 1; }
.brand { font-weight: 700; color: #2b6cb0; margin-right: 4px; }
p { margin: 6px 0 0; }
code { display: block; margin-top: 4px; padding: 4px 6px; background: #f2f2f2; border-radius: 4px;
  font: 12px/1.4 ui-monospace, Menlo, Consolas, monospace; user-select: all; }
.buttons { display: flex; flex-wrap: wrap; gap: 6px; margin-top: 8px; }
button { font: inherit; cursor: pointer; border-radius: 4px; border: 1px solid #888; background: #f7f7f7; padding: 3px 10px; }
button.primary { background: #2b6cb0; border-color: #2b6cb0; color: #fff; }
button.close { border: 0; background: none; padding: 0 2px; font-size: 16px; line-height: 1; color: #555; }
label { display: flex; gap: 6px; align-items: center; margin-top: 8px; }
input[type=text] { font: inherit; flex: 1; padding: 2px 6px; border: 1px solid #888; border-radius: 4px; }
`;

// trusted wraps a click handler so that only real user clicks reach it.
function trusted(handler) {
  return (event) => {
    if (!event.isTrusted) return;
    event.preventDefault();
    event.stopPropagation();
    handler(event);
  };
}

let stack = null;

function ensureStack(doc) {
  if (stack && stack.isConnected && stack.ownerDocument === doc) return stack;
  const host = doc.createElement('div');
  host.setAttribute('data-nidan', '');
  // Inline and important: the page's own rules (say, `body > div {display:
  // none}`) would otherwise outrank the shadow root's :host rule.
  host.setAttribute('style', 'all: initial !important');
  const root = host.attachShadow({ mode: 'closed' });
  const style = doc.createElement('style');
  style.textContent = STYLE;
  stack = doc.createElement('div');
  stack.className = 'stack';
  root.append(style, stack);
  (doc.body || doc.documentElement).append(host);
  return stack;
}

function el(doc, tag, props = {}, children = []) {
  const node = doc.createElement(tag);
  Object.assign(node, props);
  node.append(...children);
  return node;
}

// render draws a notice of spec (no handlers needed) in doc; act(event)
// gets the user's acts: {kind:'close'|'click'|'check', index?, value?,
// checked?, event}, from real clicks only.
function render(doc, spec, act) {
  const notice = el(doc, 'section', { className: `notice ${spec.kind || 'info'}` });
  notice.dataset.id = spec.id;
  notice.setAttribute('role', spec.kind === 'error' ? 'alert' : 'status');
  const closeButton = el(doc, 'button', { className: 'close', textContent: '×', title: t('close') });
  closeButton.setAttribute('aria-label', t('close'));
  closeButton.dataset.action = 'close';
  closeButton.addEventListener('click', trusted((event) => act({ kind: 'close', event })));
  notice.append(el(doc, 'div', { className: 'head' }, [
    el(doc, 'div', { className: 'title' }, [el(doc, 'span', { className: 'brand', textContent: 'nidan' }), spec.title]),
    closeButton,
  ]));
  if (spec.text) notice.append(el(doc, 'p', { textContent: spec.text }));
  if (spec.command) notice.append(el(doc, 'p', { textContent: t('pageRunCommand') }), el(doc, 'code', { textContent: spec.command }));
  let field = null;
  if (spec.field) {
    field = el(doc, 'input', { type: 'text', value: spec.field.value || '' });
    field.dataset.field = '';
    notice.append(el(doc, 'label', {}, [spec.field.label, field]));
  }
  if (spec.check) {
    const box = el(doc, 'input', { type: 'checkbox', checked: Boolean(spec.check.checked) });
    box.dataset.action = spec.check.action;
    // A script can toggle a box and fire change; only the user's own click
    // (a trusted change event) counts.
    box.addEventListener('change', (event) => {
      if (event.isTrusted) act({ kind: 'check', checked: box.checked, event });
    });
    notice.append(el(doc, 'label', {}, [box, spec.check.label]));
  }
  if (spec.buttons && spec.buttons.length) {
    const row = el(doc, 'div', { className: 'buttons' });
    spec.buttons.forEach((b, index) => {
      const button = el(doc, 'button', { className: b.primary ? 'primary' : '', textContent: b.label });
      button.dataset.action = b.action;
      if (b.account) button.dataset.account = b.account;
      button.addEventListener('click', trusted((event) => act({ kind: 'click', index, value: field ? field.value.trim() : undefined, event })));
      row.append(button);
    });
    notice.append(row);
  }
  return notice;
}

// dispatch runs spec's handler for one act.
function dispatch(spec, close, act) {
  if (act.kind === 'close') close();
  else if (act.kind === 'click' && spec.buttons && spec.buttons[act.index]) spec.buttons[act.index].onClick(close, typeof act.value === 'string' ? act.value : undefined);
  else if (act.kind === 'check' && spec.check) spec.check.onChange(Boolean(act.checked));
}

// data is what the frame draws: spec without its handlers.
function data(spec) {
  const copy = { id: spec.id, kind: spec.kind, title: spec.title, text: spec.text, command: spec.command };
  if (spec.field) copy.field = { label: spec.field.label, value: spec.field.value };
  if (spec.check) copy.check = { action: spec.check.action, label: spec.check.label, checked: Boolean(spec.check.checked) };
  if (spec.buttons) copy.buttons = spec.buttons.map(({ action, label, primary, account }) => ({ action, label, primary, account }));
  return copy;
}

const extensionApi = () => globalThis.browser ?? globalThis.chrome;

function canFrame(doc) {
  const api = extensionApi();
  return Boolean(api && api.runtime && typeof api.runtime.getURL === 'function' && doc.defaultView && typeof doc.defaultView.getComputedStyle === 'function');
}

// unobscured tells whether frame was fully shown at (x, y), a point in the
// frame's own coordinates: no ancestor (through the shadow root) hidden,
// faded, moved by a transform or filtered, and the frame itself the element
// under the point. A page that puts the panel at opacity 0 over a decoy
// gets no click.
function unobscured(frame, x, y) {
  if (!Number.isFinite(x) || !Number.isFinite(y)) return false;
  const view = frame.ownerDocument.defaultView;
  for (let node = frame; node; node = node.parentElement || (node.getRootNode() && node.getRootNode().host)) {
    const style = view.getComputedStyle(node);
    if (style.display === 'none' || style.visibility !== 'visible' || Number(style.opacity) < 1) return false;
    if (style.transform !== 'none' || style.filter !== 'none' || (style.clipPath && style.clipPath !== 'none')) return false;
    if (style.mixBlendMode && style.mixBlendMode !== 'normal') return false;
  }
  const box = frame.getBoundingClientRect();
  if (x < 0 || y < 0 || x > box.width || y > box.height) return false;
  const root = frame.getRootNode();
  const px = box.left + x;
  const py = box.top + y;
  return root.elementFromPoint(px, py) === frame && frame.ownerDocument.elementFromPoint(px, py) === root.host;
}

// Framed notices by token, for the acts the background relays.
const framed = new Map();
let listening = false;

function onRelay(message, sender) {
  const api = extensionApi();
  if (!message || message.type !== 'nidanPanel' || !sender || sender.id !== api.runtime.id || sender.tab) return;
  const entry = framed.get(message.token);
  if (!entry || !entry.frame.isConnected) return;
  if (message.kind === 'size') {
    entry.frame.style.height = `${Math.min(Math.max(0, Math.ceil(Number(message.height) || 0)), 600)}px`;
    return;
  }
  if (!unobscured(entry.frame, message.x, message.y)) return;
  dispatch(entry.spec, entry.close, message);
}

// show adds a notice and returns a handle to close it. Each notice has an id
// so that showing it again replaces the old one instead of stacking copies.
// spec: { id, kind: 'info'|'warn'|'error', title, text?, command?,
//         field?: { label, value? }  a text box; onClick gets its value
//         check?: { action, label, checked?, onChange(checked) }  a tick box
//         buttons?: [{ action, label, primary?, account?, onClick(close, fieldValue) }], onClose? }
function show(spec, doc = document) {
  const parent = ensureStack(doc);
  for (const old of parent.querySelectorAll(`[data-id="${spec.id}"]`)) old.remove();
  let node;
  const remove = () => node.remove();
  const close = () => {
    remove();
    if (spec.onClose) spec.onClose();
  };
  if (!canFrame(doc)) {
    node = render(doc, spec, (act) => dispatch(spec, close, act));
    parent.append(node);
    return { close: remove };
  }
  const api = extensionApi();
  if (!listening) {
    listening = true;
    api.runtime.onMessage.addListener(onRelay);
  }
  node = doc.createElement('iframe');
  node.className = 'frame';
  node.dataset.id = spec.id;
  node.setAttribute('title', 'nidan');
  parent.append(node);
  Promise.resolve(api.runtime.sendMessage({ type: 'panelOpen', spec: data(spec) })).then((answer) => {
    if (!answer || !answer.ok || !node.isConnected) return;
    framed.set(answer.token, { spec, frame: node, close });
    node.src = `${api.runtime.getURL('panel/panel.html')}#${answer.token}`;
  }).catch(() => {});
  return { close: remove };
}

// choose shows the account chooser and resolves to the picked name, or null
// when the user closes it.
function choose(candidates, host, doc = document) {
  return new Promise((resolve) => {
    show({
      id: 'chooser',
      title: t('pageChooserTitle'),
      text: t('pageChooserHint', host),
      buttons: candidates.map((name) => ({
        action: 'choose',
        account: name,
        label: name,
        onClick: (close) => {
          resolve(name); // before close(), whose onClose would resolve null
          close();
        },
      })),
      onClose: () => resolve(null),
    }, doc);
  });
}

nidan.panel = { STYLE, trusted, render, show, choose, unobscured };
})(globalThis.nidan ??= {});
