// Benchmark (not a test): how soon nidan's code is in Amazon's 2SV box,
// against KeePassXC-Browser with its "fill single TOTP automatically" option,
// measured the same way as bench-fill.mjs (its probe and statistics): headless
// Chromium, the page at its real URL, loads interleaved (nidan, KeePassXC-
// Browser, nidan, …) so that the machine's load hits both alike.
//
//   npm run bench-keepassxc [-- loads]      (default 20 loads of each)
//
// Both with real parts: nidan with its real host and vault; KeePassXC-Browser
// with Debian's KeePassXC (`keepassxc`, the GUI, unlocked with --pw-stdin,
// Qt's offscreen platform so no display is needed) and its keepassxc-proxy as
// the native-messaging host. Everything is fresh and private to the run: a
// .kdbx with one entry for https://www.amazon.co.jp whose TOTP is set (the
// entry attribute `otp`, an otpauth:// URI, as KeePassXC keeps it), KeePassXC's
// config (browser integration on, no access dialog), its socket folder
// (XDG_RUNTIME_DIR), HOME and the Chromium profile.
//
// No dialog is clicked: the association the extension would make on "Connect"
// is written beforehand on both sides. KeePassXC keeps it in the database's
// Meta/CustomData as KPXC_BROWSER_<name> = the extension's identification
// public key; the extension keeps it in chrome.storage.local's keyRing under
// the database hash (sha256 of the root group's uuid in hex), with its
// settings (autoFillSingleTotp) next to it. Only the public half of that key
// is ever exchanged, so any 32 random bytes serve.
//
// KPXC_BROWSER_DIR is the unpacked extension, default Debian's
// webext-keepassxc-browser. Debian 12's is 1.8.4, a Manifest V2 extension
// that Chromium (since 139) refuses to load, and it has no option to fill a
// TOTP by itself (only an icon to click, or Alt+Shift+O); point the variable at
// a Manifest V3 release (1.9.x, e.g. upstream's tag 1.9.9, folder
// keepassxc-browser/) to measure.
import { spawn, execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream, realpathSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Browser, CHROMIUM, chromiumOptions, EXTENSION_DIR, Home, launch, randomSecret, run } from './harness.mjs';
import { measure, median, p90, probe, requireJapaneseFont } from './bench-fill.mjs';

const LOADS = Number(process.argv[2] ?? 20);
const URL_2SV = 'https://www.amazon.co.jp/ap/mfa?ie=UTF8&arb=bench';
const KPXC_BROWSER_DIR = process.env.KPXC_BROWSER_DIR || '/usr/share/webext/keepassxc-browser';
const KEEPASSXC = process.env.KEEPASSXC || '/usr/bin/keepassxc';
const KEEPASSXC_PROXY = process.env.KEEPASSXC_PROXY || '/usr/bin/keepassxc-proxy';
const HOST_NAME = 'org.keepassxc.keepassxc_browser';
const ASSOCIATION = 'nidan-bench';
const WAIT_MS = 30_000;

const cleanups = [];
const context = { after: (fn) => cleanups.push(fn), diagnostic: (m) => console.error(m) };

async function tempDir(prefix) {
  const dir = await mkdtemp(path.join(os.tmpdir(), prefix));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

// unpackedId is the id Chromium gives an unpacked extension without a
// manifest key: the sha256 of its folder's path, first 32 hex digits spelled
// a–p. The host manifest must allow it before the extension first connects.
function unpackedId(dir) {
  const hex = createHash('sha256').update(realpathSync(dir)).digest('hex').slice(0, 32);
  return [...hex].map((c) => String.fromCharCode(97 + parseInt(c, 16))).join('');
}

async function extensionUnderTest() {
  const manifest = JSON.parse(await readFile(path.join(KPXC_BROWSER_DIR, 'manifest.json'), 'utf8'));
  if (manifest.manifest_version < 3) {
    throw new Error(
      `KeePassXC-Browser ${manifest.version} in ${KPXC_BROWSER_DIR} is a Manifest V2 extension, which this Chromium no longer loads: ` +
        'set KPXC_BROWSER_DIR to an unpacked Manifest V3 release (1.9.x, e.g. upstream tag 1.9.9, folder keepassxc-browser/)',
    );
  }
  if (manifest.key) throw new Error(`${KPXC_BROWSER_DIR}/manifest.json has a key: unpackedId would be wrong (use a folder without one)`);
  return { dir: realpathSync(KPXC_BROWSER_DIR), version: manifest.version, id: unpackedId(KPXC_BROWSER_DIR) };
}

// codesAround are the entry's codes for the previous, this and the next
// 30 s step, from oathtool (the key on its stdin): the fill is checked to be
// a right code, not just any six digits.
async function codesAround(secret) {
  const from = Math.floor(Date.now() / 1000) - 30;
  const { stdout } = await run('oathtool', ['--totp', '--base32', '--window=2', `--now=@${from}`, '-'], { input: secret });
  return stdout.split('\n').filter(Boolean);
}

// The .kdbx is written by pykeepass (Debian's python3-pykeepass): KeePassXC's
// CLI cannot set a TOTP nor the database's CustomData. Parameters go on stdin,
// so no secret is on a command line.
const MAKE_KDBX = `
import json, sys
from lxml import etree
from pykeepass import create_database
p = json.load(sys.stdin)
kp = create_database(p['path'], password=p['password'])
entry = kp.add_entry(kp.root_group, 'Amazon.co.jp', p['username'], p['entryPassword'], url=p['url'])
entry.otp = p['otp']
meta = kp.tree.find('Meta')
data = meta.find('CustomData')
if data is None:
    data = etree.SubElement(meta, 'CustomData')
item = etree.SubElement(data, 'Item')
etree.SubElement(item, 'Key').text = p['associationKey']
etree.SubElement(item, 'Value').text = p['associationValue']
kp.save()
print(kp.root_group.uuid.hex)
`;

async function makeDatabase(dir, totpKey) {
  const db = { path: path.join(dir, 'bench.kdbx'), password: randomBytes(18).toString('base64') };
  const idKey = randomBytes(32).toString('base64');
  const params = {
    path: db.path,
    password: db.password,
    username: 'bench@example.com',
    entryPassword: randomBytes(18).toString('base64'),
    url: 'https://www.amazon.co.jp',
    otp: `otpauth://totp/Amazon:bench%40example.com?secret=${totpKey}&period=30&digits=6&issuer=Amazon`,
    associationKey: `KPXC_BROWSER_${ASSOCIATION}`,
    associationValue: idKey,
  };
  const { stdout } = await run('/usr/bin/python3', ['-c', MAKE_KDBX], { input: JSON.stringify(params) }).catch((err) => {
    throw new Error(`writing the KeePassXC database: ${err.message}(apt-get install python3-pykeepass)`);
  });
  const hash = createHash('sha256').update(stdout.trim()).digest('hex');
  const now = Date.now();
  db.keyRing = { [hash]: { id: ASSOCIATION, key: idKey, hash, created: now, lastUsed: now } };
  return db;
}

const KEEPASSXC_INI = `[General]
SingleInstance=false
RememberLastDatabases=false
OpenPreviousDatabasesOnStartup=false
UpdateCheckMessageShown=true

[GUI]
CheckForUpdates=false
ShowTrayIcon=false

[Browser]
Enabled=true
AlwaysAllowAccess=true
UpdateBinaryPath=false
ShowNotification=false
`;

// startKeePassXC starts the GUI on the database, unlocked, and resolves once
// its browser socket exists. Its environment is the run's own: its socket,
// config, lock files and HOME are nobody else's.
async function startKeePassXC(dir, db) {
  const env = {
    ...process.env,
    HOME: path.join(dir, 'home'),
    XDG_CONFIG_HOME: path.join(dir, 'config'),
    XDG_DATA_HOME: path.join(dir, 'data'),
    XDG_CACHE_HOME: path.join(dir, 'cache'),
    XDG_RUNTIME_DIR: path.join(dir, 'run'),
    TMPDIR: path.join(dir, 'tmp'),
    QT_QPA_PLATFORM: 'offscreen',
  };
  for (const d of ['HOME', 'XDG_CONFIG_HOME', 'XDG_DATA_HOME', 'XDG_CACHE_HOME', 'XDG_RUNTIME_DIR', 'TMPDIR']) await mkdir(env[d], { recursive: true, mode: 0o700 });
  const ini = path.join(dir, 'keepassxc.ini');
  await writeFile(ini, KEEPASSXC_INI);
  const log = path.join(dir, 'keepassxc.log');
  const out = createWriteStream(log);
  const child = spawn(KEEPASSXC, ['--config', ini, '--localconfig', path.join(dir, 'keepassxc-local.ini'), '--pw-stdin', db.path], { env, stdio: ['pipe', 'pipe', 'pipe'] });
  child.stdout.pipe(out);
  child.stderr.pipe(out);
  child.stdin.end(`${db.password}\n`);
  let exited = null;
  child.on('exit', (code, signal) => (exited = signal ?? code));
  cleanups.push(async () => {
    if (exited === null) {
      const gone = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await gone;
    }
  });
  const socket = path.join(env.XDG_RUNTIME_DIR, 'app', 'org.keepassxc.KeePassXC', 'org.keepassxc.KeePassXC.BrowserServer');
  const deadline = Date.now() + WAIT_MS;
  for (;;) {
    if (await stat(socket).then(() => true, () => false)) return { runtimeDir: env.XDG_RUNTIME_DIR, log };
    if (exited !== null || Date.now() > deadline) {
      throw new Error(`KeePassXC (${exited === null ? 'still running' : `exited ${exited}`}) opened no browser socket at ${socket}; its log:\n${await readFile(log, 'utf8')}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

// launchKeePassXCBrowser starts Chromium with the extension and keepassxc-
// proxy as its host, seeds the association and the option, and restarts the
// browser so that the extension starts as a user's already set up one.
async function launchKeePassXCBrowser(extension, db, runtimeDir) {
  const userDataDir = await tempDir('nidan-kpxc-profile-');
  const hosts = path.join(userDataDir, 'NativeMessagingHosts');
  await mkdir(hosts, { recursive: true });
  const manifest = { name: HOST_NAME, description: 'KeePassXC (benchmark)', path: KEEPASSXC_PROXY, type: 'stdio', allowed_origins: [`chrome-extension://${extension.id}/`] };
  await writeFile(path.join(hosts, `${HOST_NAME}.json`), JSON.stringify(manifest, null, 2));
  const options = chromiumOptions({ extensionDir: extension.dir, env: { XDG_RUNTIME_DIR: runtimeDir } });
  const browser = new Browser(context, { userDataDir, options, expectedId: extension.id });
  cleanups.push(() => browser.close());
  await browser.start();
  await browser.serviceWorker.evaluate(async (keyRing) => {
    // The settings the extension writes on its first start, then the option.
    let { settings } = await chrome.storage.local.get('settings');
    while (!settings) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      ({ settings } = await chrome.storage.local.get('settings'));
    }
    await chrome.storage.local.set({ keyRing, settings: { ...settings, autoFillSingleTotp: true } });
  }, db.keyRing);
  await browser.restart();
  const state = () => browser.serviceWorker.evaluate(() => ({ connected: keepass.isConnected, closed: keepass.isDatabaseClosed, associated: keepass.isAssociated() }));
  const deadline = Date.now() + WAIT_MS;
  for (let now = await state(); !(now.connected && now.associated); now = await state()) {
    if (Date.now() > deadline) throw new Error(`KeePassXC-Browser is not associated with the database: ${JSON.stringify(now)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return browser;
}

async function main() {
  try {
    requireJapaneseFont();
    const extension = await extensionUnderTest();
    const kpxcDir = await tempDir('nidan-kpxc-');
    const totpKey = randomSecret().toUpperCase();
    const db = await makeDatabase(kpxcDir, totpKey);
    const { runtimeDir } = await startKeePassXC(kpxcDir, db);
    const kpxc = await launchKeePassXCBrowser(extension, db, runtimeDir);
    const home = await Home.create(context, { accounts: [{ name: 'bench-jp', marketplaces: ['jp'] }] });
    const nidan = await launch(context, { home });

    const html = await readFile(`${EXTENSION_DIR}/test/fixtures/signin-mfa-totp-ja.html`, 'utf8');
    const names = ['nidan', 'kpxc'];
    const pages = {};
    for (const [name, browser] of [['nidan', nidan], ['kpxc', kpxc]]) {
      browser.serve(URL_2SV, html);
      await browser.context.addInitScript(probe);
      pages[name] = await browser.context.newPage();
    }

    const results = { nidan: { nav: [], box: [] }, kpxc: { nav: [], box: [] } };
    for (let i = 0; i < LOADS; i++) {
      for (const name of names) {
        const at = await measure(pages[name], URL_2SV);
        results[name].nav.push(at.filled);
        results[name].box.push(at.filled - at.inserted);
      }
      // Once: KeePassXC's fill is the entry's code (compared, never shown).
      if (i === 0) {
        const value = await pages.kpxc.inputValue('#auth-mfa-otpcode');
        if (!(await codesAround(totpKey)).includes(value)) throw new Error("KeePassXC-Browser filled something other than the entry's TOTP code");
      }
    }

    const ms = (x) => `${x.toFixed(1)}`;
    const load = execFileSync('uptime', { encoding: 'utf8' }).trim();
    const version = (file) => execFileSync(file, ['--version'], { encoding: 'utf8', env: { ...process.env, QT_QPA_PLATFORM: 'offscreen' }, stdio: ['ignore', 'pipe', 'ignore'] }).trim().split('\n').pop().replace(/ built on .*/, '');
    const versions = `${version(KEEPASSXC)}, KeePassXC-Browser ${extension.version}, ${version(CHROMIUM)}`;
    console.log(`fill speed, ${LOADS} loads each, interleaved, headless Chromium ${os.cpus().length} cores; ${versions}; uptime: ${load}`);
    console.log('| ms | nidan median | nidan p90 | KeePassXC-Browser median | KeePassXC-Browser p90 | KeePassXC-Browser ÷ nidan (medians) |');
    console.log('| --- | --- | --- | --- | --- | --- |');
    const row = (label, a, b, compare) => console.log(`| ${label} | ${ms(median(a))} | ${ms(p90(a))} | ${ms(median(b))} | ${ms(p90(b))} | ${compare} |`);
    const { nidan: n, kpxc: k } = results;
    row('navigation → code', n.nav, k.nav, `${(median(k.nav) / median(n.nav)).toFixed(1)}× (goal ≥ 3×)`);
    row('insertion → code', n.box, k.box, `${(median(k.box) / median(n.box)).toFixed(1)}×`);
  } finally {
    while (cleanups.length) await cleanups.pop()();
  }
}

await main();
