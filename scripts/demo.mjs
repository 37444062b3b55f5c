// The browser half of scripts/demo.sh (run it through demo.sh, which builds
// nidan, makes the throwaway home and profile, and cleans up).
//
// For each language (Japanese, then English) it starts Debian's Chromium with
// the extension in the throwaway profile — headed when there is a display —
// serves Amazon's two-step verification page at its real URL through
// Playwright's routing, waits for nidan to fill the code, checks the code
// against `nidan code`, and saves screenshots of the filled page and of the
// toolbar popup. The browser plumbing (routing, the service worker, the
// popup, nidan's in-page panel) is the end-to-end tests' harness.
//
// Environment (set by demo.sh): NIDAN_HOME, NIDAN_DEMO_NIDAN (the nidan
// binary), NIDAN_DEMO_PROFILES (a Chromium user-data-dir per language, ja/
// and en/, with the host installed), NIDAN_DEMO_SHOTS (where screenshots go), NIDAN_DEMO_ACCOUNT
// (the account bound to amazon.co.jp), NIDAN_DEMO_HEADED=1 for a window,
// NIDAN_DEMO_PAUSE (seconds a headed window stays on each view).

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { Browser, chromiumOptions, EXTENSION_DIR } from '../extension/e2e/harness.mjs';

const env = (name) => {
  const value = process.env[name];
  assert.ok(value, `${name} is not set: run scripts/demo.sh, not this file`);
  return value;
};
const NIDAN = env('NIDAN_DEMO_NIDAN');
const PROFILES = env('NIDAN_DEMO_PROFILES');
const SHOTS = env('NIDAN_DEMO_SHOTS');
const ACCOUNT = env('NIDAN_DEMO_ACCOUNT');
env('NIDAN_HOME');
const HEADED = process.env.NIDAN_DEMO_HEADED === '1';
const PAUSE_MS = HEADED ? Number(process.env.NIDAN_DEMO_PAUSE ?? 3) * 1000 : 0;

const FIXTURES = path.join(EXTENSION_DIR, 'test', 'fixtures');
// The saved pages link three of Amazon's stylesheets; the demo answers one
// of them with a stand-in and aborts every other request to Amazon's servers.
const AMAZON_CSS_URL = 'https://images-na.ssl-images-amazon.com/images/I/21PFuszay6L.css';
const STANDIN_CSS = path.join(import.meta.dirname, 'demo-amazon.css');
const LANGUAGES = [
  {
    lang: 'ja',
    label: 'Japanese',
    page: 'signin-mfa-totp-ja.html',
    url: 'https://www.amazon.co.jp/ap/mfa?arb=3f9c2a7e-5d1b-4c8e-9a6f-0b2d4e6f8a1c',
  },
  {
    lang: 'en-US',
    label: 'English',
    page: 'signin-mfa-totp.html',
    url: 'https://www.amazon.co.jp/ap/mfa?arb=3f9c2a7e-5d1b-4c8e-9a6f-0b2d4e6f8a1c&language=en_US',
  },
];

const say = (message) => console.log(`demo: ${message}`);

async function nidanCode() {
  const { stdout } = await promisify(execFile)(NIDAN, ['code', ACCOUNT]);
  return stdout.trim();
}

// pause keeps a headed window on a view long enough for a person to see it;
// headless, it returns at once. Nothing waits on it for correctness.
const pause = () => new Promise((resolve) => setTimeout(resolve, PAUSE_MS));

async function shoot(page, name, options = {}) {
  const file = path.join(SHOTS, `${name}.png`);
  await page.screenshot({ path: file, ...options });
  say(`  saved ${file}`);
}

// The Browser of the tests reports through a test context; the demo prints.
const reporter = { diagnostic: say };

async function start({ lang }) {
  // The tests' launch options; the host inherits NIDAN_HOME from the browser.
  const options = { ...chromiumOptions({ lang, headless: !HEADED }), viewport: { width: 1200, height: 500 } };
  // The Browser checks that chrome.i18n really runs in lang.
  const browser = new Browser(reporter, { userDataDir: path.join(PROFILES, lang.slice(0, 2)), options, lang });
  await browser.start();
  browser.serve(AMAZON_CSS_URL, { body: await readFile(STANDIN_CSS, 'utf8'), headers: { 'content-type': 'text/css' } });
  return browser;
}

// showFill loads the 2SV page and waits for nidan to fill it.
async function showFill(browser, { lang, page: fixture, url }) {
  say(`  serving Amazon's 2SV page at ${url}`);
  const html = await readFile(path.join(FIXTURES, fixture), 'utf8');
  const before = await nidanCode();
  const page = await browser.open(url, html);
  const field = page.locator('#auth-mfa-otpcode');
  await page.waitForFunction(() => document.querySelector('#auth-mfa-otpcode')?.value !== '', null, { timeout: 15_000 });
  const filled = await field.inputValue();
  const after = await nidanCode();
  assert.ok(filled === before || filled === after, `the page holds ${filled}, nidan code gave ${before} then ${after}`);
  say(`  nidan filled ${filled}: the code \`nidan code ${ACCOUNT}\` gives`);
  await field.scrollIntoViewIfNeeded();
  await shoot(page, `filled-page-${lang.slice(0, 2)}`);
  await pause();
  return page;
}

// showPopup opens the toolbar popup and checks that it speaks the browser's
// language and shows the code nidan gives.
async function showPopup(browser, { lang }) {
  const popup = await browser.popup();
  const code = popup.locator(`li[data-name="${ACCOUNT}"] .code`);
  await popup.waitForFunction((name) => /^\d{6,8}$/.test(document.querySelector(`li[data-name="${name}"] .code`)?.textContent ?? ''), ACCOUNT);
  const before = await nidanCode();
  const shown = await code.textContent();
  const after = await nidanCode();
  assert.ok(shown === before || shown === after, `the popup shows ${shown}, nidan code gave ${before} then ${after}`);
  const placeholder = (await messages(lang)).popupSearch.message;
  assert.equal(await popup.locator('#search').getAttribute('placeholder'), placeholder, `the popup is not in ${lang}`);
  say(`  the popup shows ${shown} for ${ACCOUNT}, in ${lang}`);
  // Cut where the content ends: the toolbar popup is as tall as its content.
  const height = await popup.evaluate(() => Math.ceil(document.querySelector('main').getBoundingClientRect().bottom));
  await shoot(popup, `popup-${lang.slice(0, 2)}`, { clip: { x: 0, y: 0, width: 380, height: Math.min(height, 560) } });
  await pause();
}

// messages are the extension's strings in lang, to find its buttons by label.
async function messages(lang) {
  return JSON.parse(await readFile(path.join(EXTENSION_DIR, '_locales', lang.slice(0, 2), 'messages.json'), 'utf8'));
}

// trustedDeviceReminder shows issue 6: after a sign-in with "Don't require
// OTP on this browser" ticked, cookies and cache are cleared as a user clears
// them, Amazon asks again, and nidan's reminder appears on the 2SV page. It
// runs as soon as the extension has the reminder's strings.
async function trustedDeviceReminder(browser, language, page) {
  const openSettings = (await messages(language.lang)).reminderOpenSettings?.message;
  if (!openSettings) {
    say('  skipped: this extension has no trusted-device reminder yet (issue 6)');
    return;
  }
  const action = await page.locator('#auth-mfa-form').getAttribute('action');
  browser.serve(action, '<!doctype html><meta charset="utf-8"><title>Amazon</title><p>Signed in.</p>');
  await page.locator('#auth-mfa-remember-device').check();
  await Promise.all([page.waitForURL(action), page.locator('#auth-signin-button').click()]);
  say('  signed in with "Don\'t require OTP on this browser" ticked; clearing cookies and cache, as a user does');
  const cdp = await browser.context.newCDPSession(page);
  await cdp.send('Network.clearBrowserCookies');
  await cdp.send('Network.clearBrowserCache');
  say('  Amazon asks for the code again: nidan fills it and reminds');
  await page.goto(language.url);
  await browser.waitForPanel(page, (p) => p.buttons.some((b) => b.label === openSettings));
  await shoot(page, `reminder-${language.lang.slice(0, 2)}`);
  await pause();
}

for (const language of LANGUAGES) {
  say(`starting Chromium in ${language.label} (${HEADED ? 'in a window' : 'headless'}) with the extension`);
  const browser = await start(language);
  try {
    const page = await showFill(browser, language);
    say(`opening nidan's toolbar popup (${language.label})`);
    await showPopup(browser, language);
    say(`the trusted-device reminder (${language.label})`);
    await trustedDeviceReminder(browser, language, page);
    const errors = browser.extensionErrors();
    assert.deepEqual(errors, [], 'the extension reported errors');
  } finally {
    await browser.close();
  }
}
say('the code was filled and shown in Japanese and in English');
