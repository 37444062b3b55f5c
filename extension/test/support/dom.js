// A tiny HTML parser and DOM shim for the unit tests: enough of Element
// (tagName, attributes, textContent, ownerDocument, nextSibling,
// querySelector for compound selectors such as `form#id`, `input[name=x]`,
// comma lists; createElement, append, events, value, a shadow root) to run
// the content scripts on the saved Amazon pages without a DOM library.

const VOID = new Set(['area', 'base', 'br', 'col', 'embed', 'hr', 'img', 'input', 'link', 'meta', 'param', 'source', 'track', 'wbr']);
const RAW = new Set(['script', 'style', 'textarea', 'title']);
const ENTITIES = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' };

function decode(s) {
  return s.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (m, e) => {
    if (e[0] === '#') return String.fromCodePoint(e[1].toLowerCase() === 'x' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10));
    return ENTITIES[e.toLowerCase()] ?? m;
  });
}

class Node extends EventTarget {
  constructor(tagName, attrs = new Map()) {
    super();
    this.tagName = tagName.toUpperCase();
    this.attrs = attrs;
    this.children = [];
    this.parentNode = null;
    this.dataset = new Proxy({}, {
      get: (_, key) => this.getAttribute(dataAttr(key)) ?? undefined,
      set: (_, key, value) => {
        this.setAttribute(dataAttr(key), String(value));
        return true;
      },
    });
  }

  getAttribute(name) {
    return this.attrs.has(name) ? this.attrs.get(name) : null;
  }

  setAttribute(name, value) {
    this.attrs.set(name, String(value));
  }

  get id() {
    return this.getAttribute('id') ?? '';
  }

  set className(value) {
    this.setAttribute('class', value);
  }

  get textContent() {
    return this.children.map((c) => (typeof c === 'string' ? c : c.textContent)).join('');
  }

  set textContent(value) {
    this.children = [String(value)];
  }

  // value and checked are accessors on the prototype, as on HTMLInputElement.
  get value() {
    return this._value ?? this.getAttribute('value') ?? '';
  }

  set value(v) {
    this._value = String(v);
  }

  get checked() {
    return this._checked ?? this.attrs.has('checked');
  }

  set checked(v) {
    this._checked = Boolean(v);
  }

  get form() {
    let n = this.parentNode;
    while (n && n.tagName !== 'FORM') n = n.parentNode;
    return n;
  }

  // The document the node is in: the one that created it, or its root.
  get ownerDocument() {
    if (this._owner) return this._owner;
    let n = this;
    while (n.parentNode) n = n.parentNode;
    return n !== this && n.tagName === '#DOCUMENT' ? n : null;
  }

  set ownerDocument(doc) {
    this._owner = doc;
  }

  get nextSibling() {
    const siblings = this.parentNode?.children ?? [];
    return siblings[siblings.indexOf(this) + 1] ?? null;
  }

  get isConnected() {
    let n = this;
    while (n.parentNode || n.host) n = n.parentNode || n.host;
    return n.tagName === '#DOCUMENT';
  }

  focus() {
    let root = this;
    while (root.parentNode) root = root.parentNode;
    root.activeElement = this;
  }

  append(...nodes) {
    for (const n of nodes) {
      if (typeof n !== 'string') {
        if (n.parentNode) n.remove();
        n.parentNode = this;
      }
      this.children.push(n);
    }
  }

  remove() {
    if (!this.parentNode) return;
    this.parentNode.children = this.parentNode.children.filter((c) => c !== this);
    this.parentNode = null;
  }

  // click dispatches a click as HTMLElement.click() does (untrusted).
  click() {
    this.dispatchEvent(new Event('click', { bubbles: true, cancelable: true }));
  }

  attachShadow() {
    this.shadow = new Node('#shadow-root');
    this.shadow.host = this;
    return this.shadow;
  }

  // requestSubmit fires a cancelable submit event first, as browsers do.
  requestSubmit(button) {
    if (!this.dispatchEvent(new Event('submit', { cancelable: true }))) return;
    this.submitted = (this.submitted || 0) + 1;
    this.submitter = button;
  }

  createElement(tag) {
    const node = new Node(tag);
    node.ownerDocument = this;
    return node;
  }

  get documentElement() {
    return this.querySelector('html');
  }

  get body() {
    return this.querySelector('body');
  }

  *descendants() {
    for (const c of this.children) {
      if (typeof c === 'string') continue;
      yield c;
      yield* c.descendants();
    }
  }

  querySelectorAll(selector) {
    const alternatives = selector.split(',').map(parseCompound);
    return [...this.descendants()].filter((el) => alternatives.some((m) => m(el)));
  }

  querySelector(selector) {
    return this.querySelectorAll(selector)[0] ?? null;
  }

  getElementById(id) {
    return this.querySelector(`#${id}`);
  }
}

function dataAttr(key) {
  return 'data-' + String(key).replace(/[A-Z]/g, (c) => '-' + c.toLowerCase());
}

// parseCompound turns `tag#id[attr=value][attr]` into a predicate.
function parseCompound(selector) {
  const s = selector.trim();
  const m = /^([a-z][\w-]*)?(?:#([\w-]+))?((?:\[[^\]]+\])*)$/i.exec(s);
  if (!m) throw new Error(`dom shim: unsupported selector ${JSON.stringify(s)}`);
  const [, tag, id, attrPart] = m;
  const attrs = [...attrPart.matchAll(/\[([\w-]+)(?:=(?:"([^"]*)"|'([^']*)'|([^\]]*)))?\]/g)].map((a) => [a[1], a[2] ?? a[3] ?? a[4]]);
  return (el) =>
    (!tag || el.tagName === tag.toUpperCase()) &&
    (!id || el.getAttribute('id') === id) &&
    attrs.every(([name, value]) => (value === undefined ? el.getAttribute(name) !== null : el.getAttribute(name) === value));
}

const TOKEN = /<!--[\s\S]*?-->|<![^>]*>|<\/([a-z][\w-]*)\s*>|<([a-z][\w-]*)((?:\s+[^\s"'>/=]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s>]+))?)*)\s*\/?>/gi;
const ATTR = /([^\s"'>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+)))?/g;

export function parseHTML(html) {
  const lower = html.toLowerCase();
  const doc = new Node('#document');
  const stack = [doc];
  let last = 0;
  let m;
  TOKEN.lastIndex = 0;
  while ((m = TOKEN.exec(html))) {
    const top = stack[stack.length - 1];
    if (m.index > last) top.children.push(decode(html.slice(last, m.index)));
    last = TOKEN.lastIndex;
    if (m[1]) {
      const name = m[1].toUpperCase();
      const at = stack.findLastIndex((n) => n.tagName === name);
      if (at > 0) stack.length = at;
      continue;
    }
    if (!m[2]) continue; // comment or doctype
    const attrs = new Map();
    for (const a of (m[3] || '').matchAll(ATTR)) attrs.set(a[1].toLowerCase(), decode(a[2] ?? a[3] ?? a[4] ?? ''));
    const el = new Node(m[2], attrs);
    el.parentNode = top;
    top.children.push(el);
    const tag = m[2].toLowerCase();
    if (RAW.has(tag)) {
      const end = lower.indexOf(`</${tag}`, last);
      const stop = end < 0 ? html.length : end;
      el.children.push(html.slice(last, stop));
      TOKEN.lastIndex = last = stop;
    } else if (!VOID.has(tag) && !m[0].endsWith('/>')) {
      stack.push(el);
    }
  }
  if (last < html.length) stack[stack.length - 1].children.push(decode(html.slice(last)));
  return doc;
}
