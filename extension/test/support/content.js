// Helpers for tests that run the content script on a page through the DOM
// shim: let its promises settle, load a page, read and click nidan's panel.

// settle lets the content script's chain of promises and messages run out.
export async function settle() {
  for (let i = 0; i < 20; i++) await new Promise((resolve) => setImmediate(resolve));
}

// navigate makes url the document's navigation URL (what the navigation
// timing entry says; the content script judges the path by it, not by
// location).
export function navigate(url) {
  performance.getEntriesByType = (type) => (type === 'navigation' ? [{ name: url }] : []);
}

// open makes doc the current page loaded from pathname and runs start
// (main.js's). locationPath: what location says, when a page script changed
// it (history.replaceState).
export function open(start, doc, pathname, hostname = 'www.amazon.co.jp', locationPath = pathname) {
  globalThis.document = doc;
  globalThis.location = { pathname: locationPath, hostname };
  navigate(`https://${hostname}${pathname}`);
  start();
  return doc;
}

// parsedTo makes el's document look as it does while the parser is at el's
// end: the nodes after it are taken out and readyState is 'loading'. It
// returns finish(), which puts them back and ends the parse.
export function parsedTo(el) {
  const doc = el.ownerDocument;
  const later = [];
  for (let node = el; node.parentNode; node = node.parentNode) {
    const siblings = node.parentNode.children;
    later.push([siblings, siblings.splice(siblings.indexOf(node) + 1)]);
  }
  doc.readyState = 'loading';
  return () => {
    for (const [siblings, nodes] of later) siblings.push(...nodes);
    doc.readyState = 'interactive';
  };
}

// panel returns the notices nidan shows, by id, from its shadow root.
export function panel(doc) {
  const host = doc.querySelector('div[data-nidan]');
  if (!host) return {};
  return Object.fromEntries(host.shadow.querySelectorAll('section').map((s) => [s.dataset.id, s]));
}

// click dispatches a click, trusted (a user's) unless told otherwise.
export function click(button, trusted = true) {
  dispatch(button, 'click', trusted);
}

// dispatch fires a bubbling event of type, trusted (a user's) unless told otherwise.
export function dispatch(target, type, trusted = true) {
  const event = new Event(type, { bubbles: true });
  if (trusted) Object.defineProperty(event, 'isTrusted', { get: () => true });
  target.dispatchEvent(event);
}

// fakeTimers replaces setTimeout with a list that the test runs by hand (the
// content script replaces its code when the period rolls), and returns it:
// [{fn, ms}], in the order set.
export function fakeTimers() {
  const pending = [];
  globalThis.setTimeout = (fn, ms) => pending.push({ fn, ms });
  return pending;
}
