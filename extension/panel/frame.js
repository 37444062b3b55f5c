// One in-page notice, drawn in the extension's origin (content/panel.js says
// why). The token in the URL's fragment names the notice; the background
// gives its content and relays the user's acts to the content script, which
// checks that the frame was unobscured at the click. Where the browser has
// IntersectionObserver v2 (Chromium), a click also counts only while the
// browser itself reports the notice visible: not covered, faded, moved or
// filtered by anything on the page.
(function (nidan) {
const api = globalThis.browser ?? globalThis.chrome;
const token = location.hash.slice(1);
const tracksVisibility = typeof IntersectionObserverEntry === 'function' && 'isVisible' in IntersectionObserverEntry.prototype;
let visible = !tracksVisibility;
// Where the pointer last went down: a tick box's change event has no position.
let pointer = { x: NaN, y: NaN };
addEventListener('pointerdown', (event) => { pointer = { x: event.clientX, y: event.clientY }; }, true);

const send = (message) => Promise.resolve(api.runtime.sendMessage({ type: 'panelEvent', token, ...message })).catch(() => {});

function act({ kind, index, value, checked, event }) {
  if (!visible) return;
  let { x, y } = pointer;
  if (event && event.type === 'click') {
    // A mouse click carries its position; one from the keyboard (detail 0)
    // is checked at the middle of its button.
    const box = event.target.getBoundingClientRect();
    x = event.detail > 0 ? event.clientX : box.left + box.width / 2;
    y = event.detail > 0 ? event.clientY : box.top + box.height / 2;
  }
  send({ kind, index, value, checked, x, y });
}

// start draws the notice into the body: frame.js is deferred (panel.html),
// so the body is parsed by the time the background's answer comes, however
// long the parser takes on a busy machine.
async function start() {
  const answer = await api.runtime.sendMessage({ type: 'panelSpec', token });
  if (!answer || !answer.ok) return;
  document.documentElement.lang = api.i18n.getUILanguage();
  const style = document.createElement('style');
  style.textContent = `${nidan.panel.STYLE}\nhtml, body { margin: 0; background: transparent; }\nbody { padding: 2px 4px 10px; }`;
  document.head.append(style);
  const notice = nidan.panel.render(document, answer.spec, act);
  document.body.append(notice);
  new ResizeObserver(() => send({ kind: 'size', height: document.documentElement.scrollHeight })).observe(document.body);
  if (tracksVisibility) {
    new IntersectionObserver((entries) => {
      visible = entries[entries.length - 1].isVisible;
      document.body.dataset.visible = visible ? '1' : '';
    }, { threshold: [1], trackVisibility: true, delay: 100 }).observe(notice);
  } else {
    document.body.dataset.visible = '1';
  }
}

start().catch(() => {});
})(globalThis.nidan ??= {});
