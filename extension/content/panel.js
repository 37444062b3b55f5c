// nidan's in-page UI: small notices in a closed shadow root, so the page's
// scripts and styles can neither read, restyle nor drive them. Buttons act on
// real user clicks only (event.isTrusted): a page script that dispatches a
// synthetic click gets nothing.
(function (nidan) {
const { t } = nidan.i18n;

const STYLE = `
:host { all: initial; }
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

// show adds a notice and returns a handle to close it. Each notice has an id
// so that showing it again replaces the old one instead of stacking copies.
// spec: { id, kind: 'info'|'warn'|'error', title, text?, command?,
//         field?: { label, value? }  a text box; onClick gets its value
//         check?: { action, label, checked?, onChange(checked) }  a tick box
//         buttons?: [{ action, label, primary?, account?, onClick(close, fieldValue) }], onClose? }
function show(spec, doc = document) {
  const parent = ensureStack(doc);
  for (const old of parent.querySelectorAll(`[data-id="${spec.id}"]`)) old.remove();
  const notice = el(doc, 'section', { className: `notice ${spec.kind || 'info'}` });
  notice.dataset.id = spec.id;
  notice.setAttribute('role', spec.kind === 'error' ? 'alert' : 'status');
  const close = () => {
    notice.remove();
    if (spec.onClose) spec.onClose();
  };
  const closeButton = el(doc, 'button', { className: 'close', textContent: '×', title: t('close') });
  closeButton.setAttribute('aria-label', t('close'));
  closeButton.dataset.action = 'close';
  closeButton.addEventListener('click', trusted(close));
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
    // A page script can toggle a box and fire change; only the user's own
    // click (a trusted change event) counts.
    box.addEventListener('change', (event) => {
      if (event.isTrusted) spec.check.onChange(box.checked);
    });
    notice.append(el(doc, 'label', {}, [box, spec.check.label]));
  }
  if (spec.buttons && spec.buttons.length) {
    const row = el(doc, 'div', { className: 'buttons' });
    for (const b of spec.buttons) {
      const button = el(doc, 'button', { className: b.primary ? 'primary' : '', textContent: b.label });
      // Stable names for browser tests, which reach this closed root through
      // the DevTools protocol only (see the e2e tests).
      button.dataset.action = b.action;
      if (b.account) button.dataset.account = b.account;
      button.addEventListener('click', trusted(() => b.onClick(close, field ? field.value.trim() : undefined)));
      row.append(button);
    }
    notice.append(row);
  }
  parent.append(notice);
  return { close: () => notice.remove() };
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

nidan.panel = { trusted, show, choose };
})(globalThis.nidan ??= {});
