// The Chromium side of the end-to-end harness: Playwright's launch options
// for Debian's Chromium with the unpacked extension, and Browser, one running
// profile: pages served at their real URLs, the popup, the options page, the
// host, nidan's in-page panel, the clipboard, screenshots and the errors the
// extension raised.

import assert from 'node:assert/strict';
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { CHROMIUM, EXTENSION_DIR, EXTENSION_ID, HOST_NAME, SHOTS_DIR } from './common.mjs';

// The recipe that works for Debian's Chromium: Playwright would otherwise
// disable extensions; the rest keeps the browser off the network and quiet.
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

// readOrEmpty reads a file that may not exist yet.
const readOrEmpty = (file) => readFile(file).catch((err) => (err.code === 'ENOENT' ? Buffer.alloc(0) : Promise.reject(err)));

// chromiumOptions are Playwright's launch options for Debian's Chromium with
// the unpacked extension, in language lang, with env added to the browser's
// (and so the host's) environment.
export function chromiumOptions({ extensionDir = EXTENSION_DIR, lang = 'en-US', env = {}, headless = true } = {}) {
  return {
    executablePath: CHROMIUM,
    headless,
    args: [...CHROMIUM_ARGS, `--lang=${lang}`, `--disable-extensions-except=${extensionDir}`, `--load-extension=${extensionDir}`],
    env: { ...process.env, LANGUAGE: lang.replace('-', '_'), ...env },
  };
}

const isExtensionWorker = (w) => w.url().startsWith('chrome-extension://');

export class Browser {
  // t reports diagnostics (a node:test context, or {diagnostic}); options
  // come from chromiumOptions; lang, when given, is checked at start;
  // expectedId is the loaded extension's id (another extension than nidan's
  // for benchmarks that compare with one).
  constructor(t, { userDataDir, options, lang, home, counted, expectedId = EXTENSION_ID }) {
    this.t = t;
    this.expectedId = expectedId;
    this.userDataDir = userDataDir;
    this.options = options;
    this.lang = lang;
    this.home = home;
    this.counted = counted;
    this.pages = new Map(); // origin + pathname → response or handler
    this.aborted = []; // URLs nobody served
    this.errors = []; // {source, text, url}
  }

  // start launches Chromium on the profile and finds the extension.
  async start() {
    this.context = await chromium.launchPersistentContext(this.userDataDir, this.options);
    this.cdpSessions = new WeakMap();
    this.watchErrors();
    // Web requests only: the extension's own files must load untouched.
    await this.context.route(
      (url) => url.protocol === 'https:' || url.protocol === 'http:',
      (route) => this.answer(route),
    );
    this.serviceWorker =
      this.context.serviceWorkers().find(isExtensionWorker) ??
      (await this.context.waitForEvent('serviceworker', { predicate: isExtensionWorker }));
    this.serviceWorker.on('console', (m) => this.noteConsole('service worker', m));
    this.extensionId = new URL(this.serviceWorker.url()).host;
    assert.equal(this.extensionId, this.expectedId, 'the manifest key (or, unpacked without one, the folder) pins the extension id');
    if (this.lang) {
      const ui = await this.serviceWorker.evaluate(() => chrome.i18n.getUILanguage());
      assert.equal(ui.slice(0, 2), this.lang.slice(0, 2), `Chromium runs in ${ui}, not ${this.lang}: apt-get install chromium-l10n`);
    }
  }

  // restart closes the browser and starts it again on the same profile, as a
  // user quitting and reopening it: extension storage persists, session
  // storage does not. Served pages stay registered.
  async restart() {
    await this.context.close();
    await this.start();
  }

  watchErrors() {
    this.context.on('console', (m) => this.noteConsole('page', m));
    this.context.on('weberror', (e) => {
      const page = e.page();
      this.errors.push({ source: 'uncaught', text: String(e.error()), url: page ? page.url() : '' });
    });
  }

  noteConsole(source, message) {
    if (message.type() !== 'error' && message.type() !== 'warning') return;
    const where = message.location().url || (message.page() ? message.page().url() : '');
    this.errors.push({ source: `${source} ${message.type()}`, text: message.text(), url: where });
  }

  // extensionErrors lists console errors, warnings and uncaught exceptions
  // raised by the extension's own pages and scripts. Amazon's inline scripts
  // complain about the metrics hosts the harness aborts: not ours, not listed.
  extensionErrors() {
    return this.errors.filter((e) => e.url.startsWith('chrome-extension://') || e.source.startsWith('service worker'));
  }

  async answer(route) {
    const request = route.request();
    const url = new URL(request.url());
    const served = this.pages.get(url.origin + url.pathname);
    if (!served) {
      this.aborted.push(url.href);
      await route.abort('blockedbyclient');
      return;
    }
    const response = typeof served === 'function' ? await served(request) : served;
    const { body = '', status = 200, headers = {} } = typeof response === 'string' ? { body: response } : response;
    // A real Date header, as Amazon sends: the extension's clock-drift check
    // reads it. A test can pass its own to simulate drift.
    await route.fulfill({
      status,
      body,
      headers: { 'content-type': 'text/html; charset=utf-8', date: new Date().toUTCString(), ...headers },
    });
  }

  // serve answers requests to url (any query string) with response: an HTML
  // string, {body, status, headers}, or a function of the Playwright request
  // returning either (e.g. to answer a form POST).
  serve(url, response) {
    const u = new URL(url);
    this.pages.set(u.origin + u.pathname, response);
  }

  // open serves html at url (when given) and loads it in a new tab.
  async open(url, html) {
    if (html !== undefined) this.serve(url, html);
    const page = await this.context.newPage();
    await page.goto(url);
    return page;
  }

  extensionUrl(file) {
    return `chrome-extension://${this.extensionId}/${file}`;
  }

  // popup opens the toolbar popup's page in a tab sized like the popup.
  async popup() {
    const page = await this.context.newPage();
    await page.setViewportSize({ width: 340, height: 480 });
    await page.goto(this.extensionUrl('popup/popup.html'));
    return page;
  }

  // setOptions sets nidan's options as the user does: on the options page,
  // with real clicks on its switches. options: {autoSubmit?, rememberDevice?}.
  async setOptions(options) {
    const page = await this.context.newPage();
    await page.goto(this.extensionUrl('options/options.html'));
    await page.locator('form#options[data-ready]').waitFor();
    for (const [name, value] of Object.entries(options)) {
      const box = page.locator(`input[name="${name}"]`);
      if ((await box.isChecked()) !== value) {
        await box.click();
        await page.waitForFunction(([n, v]) => document.querySelector(`input[name="${n}"]`).checked === v && document.getElementById('status').textContent !== '', [name, value]);
      }
    }
    await page.close();
  }

  // inContentScript evaluates expression (awaiting a promise) in the world of
  // nidan's content script on page, as code that took that world over would:
  // its chrome.* APIs are the content script's.
  async inContentScript(page, expression) {
    const cdp = await this.cdp(page);
    const contexts = [];
    const listener = ({ context }) => contexts.push(context);
    cdp.on('Runtime.executionContextCreated', listener);
    await cdp.send('Runtime.enable');
    cdp.off('Runtime.executionContextCreated', listener);
    const world = contexts.find((c) => c.auxData?.type === 'isolated' && c.origin === `chrome-extension://${this.extensionId}`)
      ?? contexts.find((c) => c.auxData?.type === 'isolated');
    assert.ok(world, `no content-script world on ${page.url()}: ${JSON.stringify(contexts)}`);
    const { result, exceptionDetails } = await cdp.send('Runtime.evaluate', { expression, contextId: world.id, awaitPromise: true, returnByValue: true });
    assert.equal(exceptionDetails, undefined, JSON.stringify(exceptionDetails));
    return result.value;
  }

  // readClipboard and writeClipboard use the system clipboard from a web page
  // allowed to: the permission cannot be granted to extension pages from
  // outside.
  readClipboard() {
    return this.onClipboardPage((page) => page.evaluate(() => navigator.clipboard.readText()));
  }

  writeClipboard(text) {
    return this.onClipboardPage((page) => page.evaluate((t) => navigator.clipboard.writeText(t), text));
  }

  // waitForClipboard waits until the clipboard holds text.
  async waitForClipboard(text, { timeout = 10_000 } = {}) {
    const deadline = Date.now() + timeout;
    for (;;) {
      const now = await this.readClipboard();
      if (now === text) return;
      assert.ok(Date.now() < deadline, `the clipboard holds ${JSON.stringify(now)}, not ${JSON.stringify(text)}`);
    }
  }

  async onClipboardPage(use) {
    const origin = 'https://clipboard.nidan.test';
    await this.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin });
    const page = await this.open(`${origin}/`, '<!doctype html><title>clipboard</title>');
    try {
      await page.bringToFront();
      return await use(page);
    } finally {
      await page.close();
    }
  }

  // native sends one request to the host from the extension's service
  // worker, exactly as the extension does.
  native(request) {
    return this.serviceWorker.evaluate(
      ([name, req]) => chrome.runtime.sendNativeMessage(name, req),
      [HOST_NAME, request],
    );
  }

  // hostStarts is how many times the browser started the host, and
  // hostRequests the requests it sent (host mode 'counted' only).
  async hostStarts() {
    assert.ok(this.counted, "hostStarts needs launch(t, {host: 'counted'})");
    const text = (await readOrEmpty(this.counted.starts)).toString('utf8');
    return text.split('\n').filter(Boolean).length;
  }

  async hostRequests() {
    assert.ok(this.counted, "hostRequests needs launch(t, {host: 'counted'})");
    const frames = await readOrEmpty(this.counted.requests);
    const requests = [];
    // Frames as the host reads them: a 32-bit little-endian length, then JSON.
    for (let at = 0; at + 4 <= frames.length; ) {
      const end = at + 4 + frames.readUInt32LE(at);
      requests.push(JSON.parse(frames.subarray(at + 4, end).toString('utf8')));
      at = end;
    }
    return requests;
  }

  // cdp returns a DevTools protocol session on page (one per page), e.g. for
  // Network.clearBrowserCookies and Network.clearBrowserCache.
  async cdp(page) {
    let session = this.cdpSessions.get(page);
    if (!session) {
      session = await this.context.newCDPSession(page);
      this.cdpSessions.set(page, session);
    }
    return session;
  }

  // panelFrames are the frames of nidan's in-page notices on page: each is
  // a frame of the extension's origin (panel/panel.html), which page scripts
  // cannot read; Playwright reaches it as the browser's own tooling does.
  panelFrames(page) {
    return page.frames().filter((f) => f !== page.mainFrame() && /^chrome-extension:\/\/[^/]+\/panel\/panel\.html#/.test(f.url()));
  }

  // panel returns what nidan's in-page UI shows on page: {texts, buttons,
  // frames, unread}: frames counts the notice frames, drawn or not; unread
  // says why a frame could not be read.
  async panel(page) {
    const found = { texts: [], buttons: [], frames: 0, unread: [] };
    for (const frame of this.panelFrames(page)) {
      found.frames++;
      let got;
      try {
        got = await frame.evaluate(() => {
          const texts = [];
          const walk = (node) => {
            if (node.nodeName === 'STYLE' || node.nodeName === 'SCRIPT' || node.nodeName === 'BUTTON') return;
            if (node.nodeType === 3 && node.nodeValue.trim()) texts.push(node.nodeValue.trim());
            for (const child of node.childNodes) walk(child);
          };
          if (document.body) walk(document.body);
          return { texts, buttons: [...document.querySelectorAll('button')].map((b) => b.textContent.trim()) };
        });
      } catch (err) {
        found.unread.push(String(err.message).split('\n')[0]); // the notice was replaced meanwhile
        continue;
      }
      found.texts.push(...got.texts);
      found.buttons.push(...got.buttons.map((label) => ({ label, frame })));
    }
    return found;
  }

  // waitForPanel waits until predicate(panel) holds, polled about once a
  // frame (a timer, not requestAnimationFrame, which a tab in the background
  // never runs).
  async waitForPanel(page, predicate, { timeout = 15_000 } = {}) {
    const deadline = Date.now() + timeout;
    for (;;) {
      const found = await this.panel(page);
      if (predicate(found)) return found;
      assert.ok(Date.now() < deadline, `nidan's panel never matched; it shows ${JSON.stringify(found.texts)} in ${found.frames} notice frame(s)${found.unread.length ? `, unread: ${found.unread.join('; ')}` : ''}`);
      await new Promise((resolve) => setTimeout(resolve, 16));
    }
  }

  // panelButtonBox waits for the button labelled label in a notice the
  // browser reports visible, and returns its centre in page coordinates.
  async panelButtonBox(page, label) {
    const { buttons } = await this.waitForPanel(page, (p) => p.buttons.some((b) => b.label === label));
    const { frame } = buttons.find((b) => b.label === label);
    await frame.locator('body[data-visible="1"]').waitFor();
    const button = frame.locator('button').filter({ hasText: label }).first();
    const box = await button.boundingBox();
    return { x: box.x + box.width / 2, y: box.y + box.height / 2 };
  }

  // clickPanel clicks the panel button labelled label with a real (trusted)
  // mouse click, as a user would: nidan ignores synthetic clicks.
  async clickPanel(page, label) {
    const { x, y } = await this.panelButtonBox(page, label);
    await page.mouse.click(x, y);
  }

  // syntheticClickPanel clicks where the button is from the page's own
  // JavaScript world, as a hostile page script would: it reaches the shadow
  // host at most, never the frame's button (event.isTrusted is false anyway).
  async syntheticClickPanel(page, label) {
    const { x, y } = await this.panelButtonBox(page, label);
    await page.evaluate(([px, py]) => {
      const target = document.elementFromPoint(px, py);
      target.dispatchEvent(new MouseEvent('click', { bubbles: true, clientX: px, clientY: py }));
      if (target instanceof HTMLElement) target.click();
    }, [x, y]);
  }

  // screenshot saves the page under SHOTS_DIR and reports where.
  async screenshot(page, name) {
    await mkdir(SHOTS_DIR, { recursive: true });
    const file = path.join(SHOTS_DIR, `${name}.png`);
    await page.screenshot({ path: file, fullPage: true });
    this.t.diagnostic(`screenshot: ${file}`);
    return file;
  }

  async close() {
    await this.context?.close();
  }
}
