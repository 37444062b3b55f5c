// Helpers for tests that run the content script on a page through the DOM
// shim: let its promises settle, load a page, read and click nidan's panel.

// settle lets the content script's chain of promises and messages run out.
export async function settle() {
  for (let i = 0; i < 20; i++) await new Promise((resolve) => setImmediate(resolve));
}

// open makes doc the current page at pathname and runs start (main.js's).
export function open(start, doc, pathname, hostname = 'www.amazon.co.jp') {
  globalThis.document = doc;
  globalThis.location = { pathname, hostname };
  start();
  return doc;
}

// panel returns the notices nidan shows, by id, from its shadow root.
export function panel(doc) {
  const host = doc.querySelector('div[data-nidan]');
  if (!host) return {};
  return Object.fromEntries(host.shadow.querySelectorAll('section').map((s) => [s.dataset.id, s]));
}

// click dispatches a click, trusted (a user's) unless told otherwise.
export function click(button, trusted = true) {
  const event = new Event('click', { bubbles: true });
  if (trusted) Object.defineProperty(event, 'isTrusted', { get: () => true });
  button.dispatchEvent(event);
}
