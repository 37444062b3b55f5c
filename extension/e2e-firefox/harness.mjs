// The Firefox end-to-end harness: Debian's real firefox-esr driven by
// puppeteer-core over WebDriver BiDi (no geckodriver), the unpacked extension
// installed as a temporary add-on, the real nidan host and a real vault.
// The nidan home, the Chromium-side helpers (Home, defer, run) and the TOTP
// comparison come from the Chromium harness (../e2e/harness.mjs); only what
// Firefox does differently lives here.
//
// Every test gets its own nidan home, its own HOME (Firefox looks for host
// manifests in ~/.mozilla/native-messaging-hosts/) and its own Firefox
// profile (puppeteer makes one per launch and removes it on close).
//
// Pages at their real https URLs: Firefox has no request interception that
// content scripts see as a real page, so a local server answers instead.
// STYLE.md's recipe maps the Amazon host to 127.0.0.1 with
// network.dns.localDomains, which needs the server on port 443 (root, one run
// at a time). Here Firefox uses a local HTTP proxy instead: the proxy accepts
// CONNECT only for hosts a test serves and hands the tunnel to an in-process
// TLS server with a self-signed certificate (accepted through
// acceptInsecureCerts). The URL, the origin and the port Firefox sees are the
// real ones (https://www.amazon.co.jp, port 443), any port works for the
// proxy, and every other request is refused, so no test reaches the network.

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { chmod, mkdir, mkdtemp, readFile, realpath, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import puppeteer from 'puppeteer-core';
import { defer, EXTENSION_DIR, HOST_NAME, REPO, run } from '../e2e/harness.mjs';

export { Home } from '../e2e/harness.mjs';

export const FIREFOX = process.env.NIDAN_FIREFOX || '/usr/bin/firefox-esr';
export const ADDON_ID = 'nidan@nidan.dev';
export const NIDAN_HOST = path.join(REPO, 'bin', 'nidan-host');
const KEEP = process.env.NIDAN_E2E_KEEP === '1';
// How long waitIn waits before it fails the test.
const WAIT_MS = 20_000;

let buildingHost;

// buildHost builds bin/nidan-host, the slim host the manifests point at,
// once per test process.
export function buildHost() {
  buildingHost ??= run('go', ['build', '-o', NIDAN_HOST, './host/nativehost']).then(() => NIDAN_HOST);
  return buildingHost;
}

export async function tempDir(t, prefix) {
  const dir = await mkdtemp(path.join(os.tmpdir(), prefix));
  defer(t, () => (KEEP ? t.diagnostic(`kept ${dir}`) : rm(dir, { recursive: true, force: true })));
  return dir;
}

let certificate;

// selfSignedCertificate makes one key and certificate per test process.
// Firefox is told to accept insecure certificates, so one name fits all.
function selfSignedCertificate() {
  certificate ??= (async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'nidan-cert-'));
    try {
      const key = path.join(dir, 'key.pem');
      const cert = path.join(dir, 'cert.pem');
      await promisify(execFile)('openssl', [
        'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
        '-keyout', key, '-out', cert, '-days', '2', '-subj', '/CN=nidan end-to-end test',
      ]);
      return { key: await readFile(key), cert: await readFile(cert) };
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  })();
  return certificate;
}

// Site is the stand-in for the web: pages registered with serve() are
// answered at their https URL; everything else is refused and listed in
// refused, so a test can tell what the page tried to reach.
class Site {
  constructor() {
    this.pages = new Map(); // origin + pathname → response
    this.refused = [];
  }

  async start(t) {
    this.tls = https.createServer(await selfSignedCertificate(), (req, res) => this.answer(req, res));
    this.proxy = http.createServer((req, res) => {
      this.refused.push(req.url);
      res.writeHead(403).end();
    });
    this.proxy.on('connect', (req, socket, head) => this.tunnel(req, socket, head));
    await new Promise((resolve) => this.proxy.listen(0, '127.0.0.1', resolve));
    defer(t, () => this.stop());
    return this.proxy.address().port;
  }

  tunnel(req, socket, head) {
    socket.on('error', () => {}); // Firefox drops tunnels when it closes
    const [host, port] = req.url.split(':');
    const served = port === '443' && [...this.pages.keys()].some((k) => new URL(k).host === host);
    if (!served) {
      this.refused.push(`https://${req.url}`);
      socket.end('HTTP/1.1 403 Forbidden\r\n\r\n');
      return;
    }
    socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
    if (head.length) socket.unshift(head);
    this.tls.emit('connection', socket);
  }

  async answer(req, res) {
    const url = new URL(req.url, `https://${req.headers.host}`);
    const served = this.pages.get(url.origin + url.pathname);
    if (!served) {
      this.refused.push(url.href);
      res.writeHead(404).end();
      return;
    }
    const reply = typeof served === 'function' ? await served() : served;
    const { body, headers = {} } = typeof reply === 'string' ? { body: reply } : reply;
    // A real Date header, as Amazon sends: the extension's clock-drift check
    // reads it.
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', date: new Date().toUTCString(), ...headers });
    res.end(body);
  }

  // serve answers url with html: a string, {body, headers}, or a function
  // returning (a promise of) either, as the Chromium harness's serve does.
  serve(url, html) {
    const u = new URL(url);
    this.pages.set(u.origin + u.pathname, html);
  }

  stop() {
    this.proxy.closeAllConnections();
    this.tls.closeAllConnections();
    return Promise.all([
      new Promise((resolve) => this.proxy.close(resolve)),
      new Promise((resolve) => this.tls.close(resolve)),
    ]);
  }
}

// manifestPath is where Firefox on Linux looks for nidan's host manifest
// for a user whose home is home.
export const manifestPath = (home) => path.join(home, '.mozilla', 'native-messaging-hosts', `${HOST_NAME}.json`);

async function writeHostManifest(userHome, hostPath) {
  const file = manifestPath(userHome);
  await mkdir(path.dirname(file), { recursive: true });
  const manifest = {
    name: HOST_NAME,
    description: 'nidan (Firefox end-to-end test)',
    path: hostPath,
    type: 'stdio',
    allowed_extensions: [ADDON_ID],
  };
  await writeFile(file, JSON.stringify(manifest, null, 2));
}

// installHost installs the host for Firefox the user's way, into the
// temporary HOME. Until `nidan install` is wired into the CLI it writes the
// manifest `nidan install` would write.
async function installHost(t, home, userHome) {
  try {
    await run(path.join(REPO, 'bin', 'nidan'), ['install', '--browser', 'firefox'], {
      env: { HOME: userHome, NIDAN_HOME: home.dir },
    });
  } catch (err) {
    if (!/unknown command "install"/.test(err.message)) throw err;
    t.diagnostic('nidan install does not exist yet: the harness writes the Firefox host manifest itself');
    await writeHostManifest(userHome, NIDAN_HOST);
  }
  const manifest = JSON.parse(await readFile(manifestPath(userHome), 'utf8'));
  assert.deepEqual(manifest.allowed_extensions, [ADDON_ID], 'the installed manifest allows nidan\'s add-on');
}

// A host wrapper that writes its arguments, one per line, to a file and then
// runs nidan-host: how a test sees the command line Firefox starts the host
// with.
async function writeRecordingWrapper(dir) {
  const wrapper = path.join(dir, 'nidan-host-recorded');
  const argv = path.join(dir, 'host-argv');
  const quote = (s) => `'${s.replaceAll("'", "'\\''")}'`;
  await writeFile(wrapper, `#!/bin/sh\nprintf '%s\\n' "$@" > ${quote(argv)}\nexec ${quote(NIDAN_HOST)} "$@"\n`);
  await chmod(wrapper, 0o755);
  return { wrapper, argv };
}

// launch starts Firefox with a fresh profile and HOME, installs the
// extension as a temporary add-on and returns a Firefox.
//
// host: 'install' (nidan install --browser firefox) or 'recorded' (a
// manifest whose path is a wrapper recording its argv: firefox.hostArgv()).
// extension: the unpacked folder (default) or a packed .xpi.
// lang: Firefox's UI language, which browser.i18n follows; languages other
// than en-US need Debian's language pack (firefox-esr-l10n-ja for ja).
export async function launch(t, { home, host = 'install', extension = EXTENSION_DIR, lang = 'en-US' } = {}) {
  await buildHost();
  const userHome = await tempDir(t, 'nidan-firefox-home-');
  let argvFile;
  if (host === 'install') {
    await installHost(t, home, userHome);
  } else {
    assert.equal(host, 'recorded', `unknown host mode ${host}`);
    const { wrapper, argv } = await writeRecordingWrapper(await tempDir(t, 'nidan-wrapper-'));
    await writeHostManifest(userHome, wrapper);
    argvFile = argv;
  }

  const site = new Site();
  const proxyPort = await site.start(t);
  // The moz-extension:// host of the add-on is a random UUID per profile;
  // this pref fixes it in advance, so the popup's URL is known.
  const uuid = randomUUID();
  const browser = await puppeteer.launch({
    browser: 'firefox',
    executablePath: FIREFOX,
    headless: true,
    acceptInsecureCerts: true,
    // Since Firefox 153, WebDriver may navigate to moz-extension:// pages
    // only when the browser allows system access.
    args: ['--remote-allow-system-access'],
    env: { ...process.env, HOME: userHome, NIDAN_HOME: home.dir },
    extraPrefsFirefox: {
      'network.proxy.type': 1,
      'network.proxy.http': '127.0.0.1',
      'network.proxy.http_port': proxyPort,
      'network.proxy.ssl': '127.0.0.1',
      'network.proxy.ssl_port': proxyPort,
      'network.proxy.no_proxies_on': '',
      'network.proxy.allow_hijacking_localhost': true,
      'extensions.webextensions.uuids': JSON.stringify({ [ADDON_ID]: uuid }),
      'intl.locale.requested': lang,
    },
  });
  const firefox = new Firefox(t, browser, site, { uuid, userHome, argvFile });
  defer(t, () => browser.close());
  assert.equal(await browser.installExtension(extension), ADDON_ID, 'the manifest\'s gecko id');
  return firefox;
}

export class Firefox {
  constructor(t, browser, site, { uuid, userHome, argvFile }) {
    this.t = t;
    this.browser = browser;
    this.site = site;
    this.uuid = uuid;
    this.userHome = userHome;
    this.argvFile = argvFile;
    this.errors = []; // {text, url} from the extension's own pages
  }

  // open serves html at url (when given) and loads it in a new tab.
  async open(url, html) {
    if (html !== undefined) this.site.serve(url, html);
    const page = await this.browser.newPage();
    await page.goto(url);
    return page;
  }

  extensionUrl(file) {
    return `moz-extension://${this.uuid}/${file}`;
  }

  // extensionPage opens one of the extension's pages in a tab and records
  // its console errors and uncaught exceptions. Over BiDi, Firefox (ESR 153)
  // reports the start of a navigation to a moz-extension:// page but no load
  // event and no new URL, so puppeteer's page.goto would wait until its
  // timeout: the navigate command is sent directly, and the caller waits for
  // what it needs on the page. The viewport too: puppeteer's setViewport also
  // overrides the screen orientation, a command ESR 140 does not know.
  async extensionPage(file, { width = 380, height = 560 } = {}) {
    const page = await this.browser.newPage();
    await page.mainFrame().browsingContext.setViewport({ viewport: { width, height } });
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warn') this.errors.push({ text: m.text(), url: file });
    });
    page.on('pageerror', (e) => this.errors.push({ text: String(e), url: file }));
    await page.mainFrame().browsingContext.navigate(this.extensionUrl(file), 'complete');
    return page;
  }

  popup() {
    return this.extensionPage('popup/popup.html');
  }

  // hostArgv is the command line Firefox last started the host with
  // (launch with host: 'recorded').
  async hostArgv() {
    assert.ok(this.argvFile, "hostArgv needs launch(t, {host: 'recorded'})");
    return (await readFile(this.argvFile, 'utf8')).split('\n').slice(0, -1);
  }

  // manifestPath is the host manifest Firefox reads, as Firefox names it.
  manifestPath() {
    return realpath(manifestPath(this.userHome));
  }
}

// hostLog reads the request log the host keeps in the nidan home: one JSON
// object per request.
export async function hostLog(home) {
  const text = await readFile(path.join(home.dir, 'logs', 'host.log'), 'utf8').catch((err) =>
    err.code === 'ENOENT' ? '' : Promise.reject(err),
  );
  return text.split('\n').filter(Boolean).map((line) => JSON.parse(line));
}

// expectCodeAround asserts that value (read after before was taken) is the
// code `nidan code NAME` gave before it or gives now: the current step or,
// across a rollover, the adjacent one.
export async function expectCodeAround(home, name, before, value) {
  const after = await home.code(name);
  assert.match(value, /^\d{6,8}$/);
  assert.ok(value === before || value === after, `${name}: read ${value}, nidan code gave ${before} then ${after}`);
}

// waitIn resolves to predicate(...args)'s first truthy value in page,
// checked on every animation frame: the Firefox tests' one way to wait.
// puppeteer's waitForFunction builds its poller with Function(), which an
// add-on page's CSP refuses in Firefox ESR 140; here the whole wait is one
// script the remote protocol evaluates. args and the value must survive JSON.
export async function waitIn(page, predicate, ...args) {
  const wait = page.evaluate(`(async () => {
    const ready = ${predicate};
    const args = ${JSON.stringify(args)};
    for (;;) {
      const value = await ready(...args);
      if (value) return value;
      await new Promise((resolve) => requestAnimationFrame(resolve));
    }
  })()`);
  let timer;
  const timeout = new Promise((resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`waited ${WAIT_MS} ms in ${page.url()} for ${predicate}`)), WAIT_MS);
  });
  try {
    return await Promise.race([wait, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

// realClick clicks element, in one of page's frames, the way a person does:
// the pointer moved onto its middle, pressed and released (WebDriver BiDi
// input actions on the page). puppeteer's click looks the frame's element up
// with a locator Firefox ESR 140 does not know, and the frame's own
// browsing context is gone once the add-on's page replaced about:blank in
// it; so the point is found from the frame's and the page's places on the
// screen (Firefox's mozInnerScreenX/Y, CSS pixels).
export async function realClick(page, element) {
  const [frameX, frameY, x, y] = await element.evaluate((el) => {
    const box = el.getBoundingClientRect();
    return [window.mozInnerScreenX, window.mozInnerScreenY, box.left + box.width / 2, box.top + box.height / 2];
  });
  const [pageX, pageY] = await page.evaluate(() => [window.mozInnerScreenX, window.mozInnerScreenY]);
  const at = { x: Math.round(frameX - pageX + x), y: Math.round(frameY - pageY + y) };
  await page.mainFrame().browsingContext.performActions([
    {
      type: 'pointer',
      id: 'mouse',
      parameters: { pointerType: 'mouse' },
      actions: [{ type: 'pointerMove', ...at }, { type: 'pointerDown', button: 0 }, { type: 'pointerUp', button: 0 }],
    },
  ]);
}

// waitForCodes waits until the popup shows a code for every account named.
export function waitForCodes(popup, names) {
  return waitIn(popup, (names) => names.every((n) => /^\d{6,8}$/.test(document.querySelector(`li[data-name="${n}"] .code`)?.textContent ?? '')), names);
}

// shownCode is the code the popup shows for account name.
export const shownCode = (popup, name) => popup.$eval(`li[data-name="${name}"] .code`, (el) => el.textContent);
