import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { allHosts, marketplacesOf, signinOrigin } from '../lib/market.js';

const ext = new URL('../', import.meta.url);
const raw = (path) => readFileSync(new URL(path, ext));
const manifest = JSON.parse(raw('manifest.json'));
const table = JSON.parse(raw('marketplaces.json'));

test('extension/marketplaces.json is byte-identical to otp/market/marketplaces.json', () => {
  assert.ok(raw('marketplaces.json').equals(raw('../otp/market/marketplaces.json')), 'copy otp/market/marketplaces.json to extension/');
});

test('host access covers exactly the table hosts; content scripts only their sign-in and settings paths', () => {
  const hosts = allHosts(table);
  const want = hosts.map((h) => `https://${h}/*`).sort();
  assert.ok(want.length >= 40, 'every marketplace, retail and Seller Central');
  assert.deepEqual([...manifest.host_permissions].sort(), want);
  const [signin, approval, qr] = manifest.content_scripts;
  assert.equal(manifest.content_scripts.length, 3);
  // A product page (/dp/…) loads nothing of nidan's.
  assert.deepEqual([...signin.matches].sort(), hosts.flatMap((h) => [`https://${h}/ap/*`, `https://${h}/ax/claim*`]).sort());
  assert.equal(signin.run_at, 'document_start', 'the code is asked for before the form exists');
  const settings = hosts.map((h) => `https://${h}/a/settings/approval*`).sort();
  assert.deepEqual([...approval.matches].sort(), settings);
  assert.deepEqual([...qr.matches].sort(), settings);
  assert.deepEqual(qr.js, ['vendor/jsqr.js']);
  // The settings page's parts are injected there only: a sign-in page,
  // parsed while they run, does without them.
  const settingsOnly = ['content/approval.js', 'content/enroll.js'];
  assert.deepEqual(approval.js.filter((f) => !settingsOnly.includes(f)), signin.js);
  assert.ok(settingsOnly.every((f) => approval.js.includes(f) && approval.js.indexOf(f) < approval.js.indexOf('content/main.js')));
});

// Fingerprinting (issue 15.5): a web-accessible file answers any page that
// asks for chrome-extension://<id>/<file>, which tells it nidan is there.
test('one web-accessible resource, the panel frame, at a per-session URL: content scripts are listed, not imported', () => {
  // A fixed URL would let any Amazon page tell that nidan is installed.
  assert.deepEqual(manifest.web_accessible_resources.map((e) => [e.resources, e.use_dynamic_url]), [[['panel/panel.html'], true]]);
  assert.deepEqual([...manifest.web_accessible_resources[0].matches].sort(), allHosts(table).map((h) => `https://${h}/*`).sort());
  for (const file of readdirSync(new URL('content/', ext))) {
    const source = raw(`content/${file}`).toString();
    assert.doesNotMatch(source, /^\s*(?:import|export)\s/m, `${file} is a classic script`);
    assert.doesNotMatch(source, /\bimport\(/, `${file} imports nothing`);
  }
});

// offscreen and clipboardWrite bring no install warning; clipboardRead
// would ("Read data you copy and paste"), so the popup asks for it when the
// user wants copied codes cleared (popup/clipboard.js). No webRequest: its
// listener slows other pages' loads (background.js says how).
test('permissions stay minimal', () => {
  assert.deepEqual([...manifest.permissions].sort(), ['clipboardWrite', 'nativeMessaging', 'offscreen', 'storage']);
  assert.deepEqual(manifest.optional_permissions, ['clipboardRead']);
});

// The stores ask why each permission is needed: the listing answers for
// every one the manifest asks for, in both languages.
test('the store listing explains every permission', () => {
  for (const lang of ['en', 'ja']) {
    const listing = raw(`../scripts/release/listing/${lang}.md`).toString();
    for (const permission of [...manifest.permissions, ...manifest.optional_permissions]) {
      assert.match(listing, new RegExp(`^\\| ${permission}\\b`, 'm'), `${lang}.md: ${permission}`);
    }
  }
});

test('one MV3 manifest for Chromium and Firefox', () => {
  assert.equal(manifest.manifest_version, 3);
  assert.equal(manifest.background.service_worker, 'background.js');
  assert.deepEqual(manifest.background.scripts, ['background.js']);
  assert.equal(manifest.background.type, 'module');
  assert.equal(manifest.browser_specific_settings.gecko.id, 'nidan@nidan.dev');
  assert.equal(manifest.default_locale, 'en');
  assert.equal(manifest.action.default_popup, 'popup/popup.html');
  for (const file of ['background.js', manifest.options_ui.page, ...manifest.content_scripts[1].js, ...Object.values(manifest.icons), ...Object.values(manifest.action.default_icon)]) {
    assert.ok(existsSync(new URL(file, ext)), `${file} exists`);
  }
});

test('the pinned key gives the Chromium id dcdddbcbipkamcfhjaingbomnchlkenp', () => {
  const digest = createHash('sha256').update(Buffer.from(manifest.key, 'base64')).digest('hex').slice(0, 32);
  const id = [...digest].map((c) => String.fromCharCode(97 + parseInt(c, 16))).join('');
  assert.equal(id, 'dcdddbcbipkamcfhjaingbomnchlkenp');
});

test('signinOrigin accepts the table hosts only, exactly', () => {
  for (const host of allHosts(table)) {
    assert.equal(signinOrigin(table, `https://${host}/ap/mfa?x=1#y`), `https://${host}`);
  }
  const refused = [
    'http://www.amazon.co.jp/',
    'https://www.amazon.co.jp.evil.example/',
    'https://evil.example/?www.amazon.co.jp',
    'https://www.amazon.co.jp:8443/',
    'https://user@www.amazon.co.jp/',
    'https://user:pw@www.amazon.co.jp/',
    'https://www.amaz0n.co.jp/',
    'https://xn--amazn-mye.co.jp/',
    'https://amazon.co.jp/',
    'https://www.amazon.co/',
    'https://www.amazon.co.jp./',
    'not a url',
    '',
    undefined,
  ];
  for (const url of refused) assert.equal(signinOrigin(table, url), null, String(url));
  assert.deepEqual(marketplacesOf(table, 'sellercentral-japan.amazon.com'), ['jp']);
  assert.deepEqual(marketplacesOf(table, 'www.amazon.co.jp.evil.example'), []);
});

test('every content script is listed once, start.js last', () => {
  const { js } = manifest.content_scripts[1];
  const present = readdirSync(new URL('content/', ext)).filter((f) => f.endsWith('.js')).map((f) => `content/${f}`);
  assert.equal(js.at(-1), 'content/start.js', 'start.js runs the flow once the others are in');
  assert.equal(new Set(js).size, js.length);
  assert.deepEqual([...js].sort(), present.sort());
});

test('the settings page of lib/settings.js is the options page', async () => {
  const { SETTINGS_PAGE } = await import('../lib/settings.js');
  assert.equal(SETTINGS_PAGE, manifest.options_ui.page);
});
