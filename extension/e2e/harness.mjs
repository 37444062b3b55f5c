// The end-to-end harness: Debian's real Chromium with the unpacked extension,
// the real `nidan` binary and a real vault. Every test gets its own nidan home
// and its own Chromium profile, both removed afterwards. Pages are served at
// their real https URLs through Playwright's routing, so content scripts run
// exactly as on Amazon; every request nobody registered is aborted, so a test
// never reaches the network.
//
// Determinism: everything waits on a condition (a locator, waitForFunction,
// a promise), never on a sleep. TOTP codes roll over while a test runs, so
// codes are compared with expectCode, which accepts either side of a rollover.

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmod, cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const REPO = fileURLToPath(new URL('../..', import.meta.url));
export const EXTENSION_DIR = path.join(REPO, 'extension');
export const NIDAN = path.join(REPO, 'bin', 'nidan');
// The slim host browsers start; `nidan install` points manifests at it.
export const NIDAN_HOST = path.join(REPO, 'bin', 'nidan-host');
export const CHROMIUM = process.env.NIDAN_CHROMIUM || '/usr/bin/chromium';
// Pinned by the manifest's `key`; the host serves no other id.
export const EXTENSION_ID = 'dcdddbcbipkamcfhjaingbomnchlkenp';
export const HOST_NAME = 'dev.nidan.host';
// Where screenshots go: kept after the run so people can look at them.
export const SHOTS_DIR = process.env.NIDAN_E2E_SHOTS || path.join(os.tmpdir(), 'nidan-e2e-shots');
// NIDAN_E2E_KEEP=1 keeps each test's home and profile for debugging.
const KEEP = process.env.NIDAN_E2E_KEEP === '1';

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

// run starts a program and resolves to its output; a non-zero exit rejects
// with stderr in the message, so a failing CLI step explains itself.
export function run(file, args, { env = {}, input = '', cwd = REPO } = {}) {
  return new Promise((resolve, reject) => {
    const child = execFile(file, args, { cwd, env: { ...process.env, ...env } }, (err, stdout, stderr) => {
      if (err) {
        err.message = `${path.basename(file)} ${args.join(' ')}: ${err.message.trim()}\n${stderr}`;
        reject(err);
        return;
      }
      resolve({ stdout, stderr });
    });
    // A program that exits without reading its input (nidan code) closes
    // the pipe: the write fails with EPIPE, which is no error of the run.
    child.stdin.on('error', () => {});
    child.stdin.end(input);
  });
}

let building;

// buildNidan builds bin/nidan and bin/nidan-host once per test process (go's
// cache makes the later processes of a run cheap).
export function buildNidan() {
  building ??= Promise.all([
    run('go', ['build', '-o', NIDAN, './host']),
    run('go', ['build', '-o', NIDAN_HOST, './host/nativehost']),
  ]);
  return building;
}

const cleanups = new WeakMap();

// defer runs fn when test t ends, last deferred first: the browser must close
// before its profile folder is removed.
export function defer(t, fn) {
  let stack = cleanups.get(t);
  if (!stack) {
    stack = [];
    cleanups.set(t, stack);
    t.after(async () => {
      while (stack.length) await stack.pop()();
    });
  }
  stack.push(fn);
}

async function tempDir(t, prefix) {
  const dir = await mkdtemp(path.join(os.tmpdir(), prefix));
  defer(t, () => (KEEP ? t.diagnostic(`kept ${dir}`) : rm(dir, { recursive: true, force: true })));
  return dir;
}

// randomSecret returns a fresh TOTP key shaped as Amazon shows it under
// "Can't scan the barcode?": 32 random bytes as 52 Base32 characters, in
// lowercase groups of four.
export function randomSecret() {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz234567';
  let chars = '';
  let value = 0;
  let bits = 0;
  for (const byte of randomBytes(32)) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      chars += alphabet[(value >>> bits) & 31];
    }
    value &= (1 << bits) - 1;
  }
  chars += alphabet[(value << (5 - bits)) & 31];
  return chars.match(/.{1,4}/g).join(' ');
}

// A nidan home: NIDAN_HOME for the CLI and for the host the browser starts.
export class Home {
  constructor(dir) {
    this.dir = dir;
  }

  // create makes a fresh home (mode 0700, as nidan requires), initialised
  // unless init is false, with the given accounts added:
  // [{name, secret?, marketplaces?: ['jp']}]. Each account's secret is kept
  // in home.secrets for tests that need it (e.g. enrolment).
  static async create(t, { init = true, accounts = [] } = {}) {
    await buildNidan();
    const home = new Home(await tempDir(t, 'nidan-home-'));
    home.secrets = new Map();
    if (init) await home.nidan(['init']);
    for (const account of accounts) await home.add(account.name, account);
    return home;
  }

  nidan(args, { input = '' } = {}) {
    return run(NIDAN, args, { env: { NIDAN_HOME: this.dir }, input });
  }

  async add(name, { secret = randomSecret(), marketplaces } = {}) {
    const args = ['add', name];
    if (marketplaces) args.push('--marketplace', marketplaces.join(','));
    await this.nidan(args, { input: `${secret}\n` });
    this.secrets.set(name, secret);
    return secret;
  }

  async code(name) {
    const { stdout } = await this.nidan(['code', name]);
    return stdout.trim();
  }

  // expectCode reads a value (a field, a popup cell) between two runs of
  // `nidan code NAME` and asserts it equals one of them: the code of the
  // current step or, across a rollover, of the adjacent one.
  async expectCode(name, read) {
    const before = await this.code(name);
    const value = await read();
    const after = await this.code(name);
    assert.ok(value === before || value === after, `${name}: read ${value}, nidan code gave ${before} then ${after}`);
    return value;
  }
}

// A shell wrapper around bin/nidan-host that appends one line per start to a
// file and a copy of every request frame to another, so a test can tell
// whether and what the browser asked the host. (Test accounts only: an
// enrol request's key would be copied too, into the test's temporary folder.)
async function writeCountingWrapper(dir) {
  const wrapper = path.join(dir, 'nidan-counted');
  const starts = path.join(dir, 'host-starts');
  const requests = path.join(dir, 'host-requests');
  const quote = (s) => `'${s.replaceAll("'", "'\\''")}'`;
  const script = `#!/bin/sh\necho "$*" >> ${quote(starts)}\ntee -a ${quote(requests)} | ${quote(NIDAN_HOST)} "$@"\n`;
  await writeFile(wrapper, script);
  await chmod(wrapper, 0o755);
  return { wrapper, starts, requests };
}

// readOrEmpty reads a file that may not exist yet.
const readOrEmpty = (file) => readFile(file).catch((err) => (err.code === 'ENOENT' ? Buffer.alloc(0) : Promise.reject(err)));

async function writeHostManifest(userDataDir, hostPath) {
  const dir = path.join(userDataDir, 'NativeMessagingHosts');
  await mkdir(dir, { recursive: true });
  const manifest = {
    name: HOST_NAME,
    description: 'nidan (end-to-end test)',
    path: hostPath,
    type: 'stdio',
    allowed_origins: [`chrome-extension://${EXTENSION_ID}/`],
  };
  await writeFile(path.join(dir, `${HOST_NAME}.json`), JSON.stringify(manifest, null, 2));
}

async function patchedExtension(t, patch) {
  const dir = path.join(await tempDir(t, 'nidan-extension-'), 'extension');
  await cp(EXTENSION_DIR, dir, { recursive: true });
  const file = path.join(dir, 'manifest.json');
  await writeFile(file, JSON.stringify(patch(JSON.parse(await readFile(file, 'utf8'))), null, 2));
  return dir;
}

// launch starts Chromium with the extension and a fresh profile.
//
// host says how the native host gets into the profile:
//   'install'  `nidan install --browser chromium --profile DIR`, the user's way
//              (the manifest points at bin/nidan-host);
//   'counted'  a manifest written here whose path is a wrapper that counts
//              host starts (browser.hostStarts());
//   'none'     no host at all;
//   {path}     a manifest for any other program (e.g. fakehost.mjs).
// The host inherits the browser's environment, so NIDAN_HOME set on the
// browser reaches it: no wrapper is needed to point it at home.
// lang is the browser's UI language, which chrome.i18n follows: Chromium on
// Linux takes it from LANGUAGE and --lang (Playwright's `locale` option only
// emulates navigator.language and leaves chrome.i18n in English). Languages
// other than en-US need Debian's chromium-l10n package.
//
// manifest, when given, maps the extension's manifest to the one to test
// with (e.g. an extra permission); the extension is then loaded from a copy.
export async function launch(t, { home, host = 'install', lang = 'en-US', env = {}, manifest } = {}) {
  const userDataDir = await tempDir(t, 'nidan-chromium-');
  const extensionDir = manifest ? await patchedExtension(t, manifest) : EXTENSION_DIR;
  let counted;
  if (host === 'install') {
    await home.nidan(['install', '--browser', 'chromium', '--profile', userDataDir]);
  } else if (host === 'counted') {
    const { wrapper, ...files } = await writeCountingWrapper(await tempDir(t, 'nidan-wrapper-'));
    await writeHostManifest(userDataDir, wrapper);
    counted = files;
  } else if (host && typeof host === 'object') {
    await writeHostManifest(userDataDir, host.path);
  } else {
    assert.equal(host, 'none', `unknown host mode ${host}`);
  }

  const options = chromiumOptions({ extensionDir, lang, env: { ...(home ? { NIDAN_HOME: home.dir } : {}), ...env } });
  const browser = new Browser(t, { userDataDir, options, lang, home, counted });
  defer(t, () => browser.close());
  await browser.start();
  return browser;
}

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

  // panel returns what nidan's in-page UI shows on page: {texts, buttons}.
  async panel(page) {
    const found = { texts: [], buttons: [] };
    for (const frame of this.panelFrames(page)) {
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
      } catch {
        continue; // the notice was replaced meanwhile
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
      assert.ok(Date.now() < deadline, `nidan's panel never matched; it shows ${JSON.stringify(found.texts)}`);
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
