// Enrolment from Amazon's authenticator-app setup page, in real Chromium with
// the real host: nidan-host runs the nidan CLI beside it to save the key.
// The fixture's own script checks the first code as Amazon would (RFC 6238,
// current or adjacent step).
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import test from 'node:test';
import { EXTENSION_DIR, Home, launch } from './harness.mjs';

const fixture = (name) => readFile(`${EXTENSION_DIR}/test/fixtures/${name}`, 'utf8');
const SETUP_URL = 'https://www.amazon.co.jp/a/settings/approval/setup/register';
const SIGNIN_URL = 'https://www.amazon.co.jp/ap/signin?openid.return_to=https%3A%2F%2Fwww.amazon.co.jp%2Fa%2Fsettings%2Fapproval';
const MFA_URL = 'https://www.amazon.co.jp/ap/mfa?ie=UTF8&arb=5b3e3c3e-0000-4000-8000-000000000000';
// The key test/fixtures/setup-totp.html shows (and its QR code holds).
const PAGE_KEY = 'A4EA SCQL BQGQ 4DYQ CEJB GFAV CYLR QGI2 DMOB 2HQ7 EAQS EIZE EUTA';
const EMAIL = 'setup@example.com';
const CODE_INPUT = '#ch-auth-app-code-input';
const SAVE = 'Save to nidan';

// signIn types the e-mail on the sign-in page, as the user does before
// reaching Advanced Security Settings, and waits until the extension has it.
async function signIn(browser, email) {
  const page = await browser.open(SIGNIN_URL, await fixture('signin-email.html'));
  await page.locator('#ap_email').fill(email);
  await page.locator('#ap_email').blur();
  const deadline = Date.now() + 15_000;
  for (;;) {
    const { signinEmails = {} } = await browser.serviceWorker.evaluate(() => chrome.storage.session.get('signinEmails'));
    if (signinEmails['www.amazon.co.jp'] === email) break;
    assert.ok(Date.now() < deadline, 'the sign-in e-mail never reached the extension');
  }
  await page.close();
}

const accounts = async (home) => JSON.parse((await home.nidan(['list', '--json'])).stdout);

// waitForVault polls `nidan list --json` until predicate holds.
async function waitForVault(home, predicate, { timeout = 15_000 } = {}) {
  const deadline = Date.now() + timeout;
  for (;;) {
    const list = await accounts(home);
    if (predicate(list)) return list;
    assert.ok(Date.now() < deadline, `the vault never matched: ${JSON.stringify(list)}`);
  }
}

// panelNode is the locator of the node of nidan's panel (a frame of the
// extension's origin) that has attribute name (with value, when given).
async function panelNode(browser, page, name, value) {
  const selector = value === undefined ? `[${name}]` : `[${name}="${value}"]`;
  const deadline = Date.now() + 15_000;
  for (;;) {
    for (const frame of browser.panelFrames(page)) {
      const node = frame.locator(selector);
      if (await node.count().catch(() => 0)) {
        await frame.locator('body[data-visible="1"]').waitFor();
        return node.first();
      }
    }
    assert.ok(Date.now() < deadline, `nidan's panel has no ${selector}`);
    await new Promise((resolve) => setTimeout(resolve, 16));
  }
}

// clickPhoneTick clicks the panel's "I added it to my phone too" box with a
// real mouse click.
async function clickPhoneTick(browser, page) {
  const box = await (await panelNode(browser, page, 'data-action', 'phone')).boundingBox();
  await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
}

test('one click saves the setup page\'s key bound to jp, fills its first code, and the 2SV page is filled then', async (t) => {
  const home = await Home.create(t);
  const browser = await launch(t, { home });
  await signIn(browser, EMAIL);
  const page = await browser.open(SETUP_URL, await fixture('setup-totp.html'));
  await browser.waitForPanel(page, (p) => p.buttons.some((b) => b.label === SAVE));

  // A page script clicking the button gets nothing: the offer stays (a
  // click that counted would replace it at once) and the vault stays empty.
  await browser.syntheticClickPanel(page, SAVE);
  assert.ok((await browser.panel(page)).buttons.some((b) => b.label === SAVE));
  assert.deepEqual(await accounts(home), []);
  assert.equal(await page.inputValue(CODE_INPUT), '');

  await browser.screenshot(page, 'enroll-offer-en');
  await browser.clickPanel(page, SAVE);
  await page.waitForFunction((sel) => document.querySelector(sel)?.value !== '', CODE_INPUT);
  assert.deepEqual(await accounts(home), [{ name: EMAIL, issuer: 'Amazon', label: EMAIL, marketplaces: ['jp'], bound: true, phone_backup: false }]);
  await home.expectCode(EMAIL, () => page.inputValue(CODE_INPUT));
  const shown = await browser.waitForPanel(page, (p) => p.texts.some((x) => x.includes('Saved to nidan as')));
  assert.ok(shown.texts.some((x) => x.includes("Also scan this QR code with your phone's authenticator app now")));
  assert.equal(await page.locator('#sia-enable-mfa-box').isVisible(), false, 'nidan did not submit');
  await browser.screenshot(page, 'enroll-saved-en');

  // "I added it to my phone too" reaches the vault.
  await clickPhoneTick(browser, page);
  await waitForVault(home, (list) => list.length === 1 && list[0].phone_backup === true);

  // The page's own check (Amazon's, in the fixture) accepts the code.
  await page.locator('#ch-auth-app-submit').click();
  await page.locator('#sia-enable-mfa-box').waitFor({ state: 'visible' });
  assert.equal(await page.locator('#ch-auth-app-form-error').isVisible(), false);

  // The next sign-in's 2SV page is filled with that account's code.
  const mfa = await browser.open(MFA_URL, await fixture('signin-mfa-totp-ja.html'));
  await mfa.waitForFunction(() => document.querySelector('#auth-mfa-otpcode')?.value !== '');
  await home.expectCode(EMAIL, () => mfa.inputValue('#auth-mfa-otpcode'));
  assert.deepEqual(browser.extensionErrors(), []);
});

test('a key already in nidan is refused with a clear message, and nothing is filled or written', async (t) => {
  const home = await Home.create(t, { accounts: [{ name: 'old-shop', secret: PAGE_KEY.toLowerCase(), marketplaces: ['jp'] }] });
  const browser = await launch(t, { home, host: 'counted' });
  await signIn(browser, EMAIL);
  const html = await fixture('setup-totp.html');
  const lookalike = await browser.open(SETUP_URL.replace('www.amazon.co.jp', 'www.amazon.co.jp.evil.example'), html);
  const page = await browser.open(SETUP_URL, html);
  await browser.clickPanel(page, SAVE);
  const shown = await browser.waitForPanel(page, (p) => p.texts.some((x) => x.includes('This key is already in nidan, as old-shop.')));
  assert.ok(shown.buttons.some((b) => b.label === 'Fill its code'));
  assert.equal(await page.inputValue(CODE_INPUT), '');
  assert.deepEqual((await accounts(home)).map((a) => a.name), ['old-shop']);
  await browser.screenshot(page, 'enroll-duplicate-en');

  // The lookalike, loaded first, never got a panel nor reached the host.
  assert.equal(await lookalike.locator('[data-nidan]').count(), 0);
  const requests = await browser.hostRequests();
  assert.deepEqual(requests.map((r) => `${r.type} ${r.origin}`), ['enroll https://www.amazon.co.jp']);

  // The account that holds the key fills its code on request.
  await browser.clickPanel(page, 'Fill its code');
  await page.waitForFunction((sel) => document.querySelector(sel)?.value !== '', CODE_INPUT);
  await home.expectCode('old-shop', () => page.inputValue(CODE_INPUT));
  assert.deepEqual(browser.extensionErrors(), []);
});

test('with only the QR image on the page, the key is decoded from it; a refused code is explained', async (t) => {
  const home = await Home.create(t);
  const browser = await launch(t, { home });
  await signIn(browser, EMAIL);
  // No "Can't scan the barcode?": the QR image is all there is.
  const html = (await fixture('setup-totp.html')).replace(/<a id="sia-auth-app-cant-scan-link"[^>]*>[^<]*<\/a>/, '');
  assert.ok(!html.includes('sia-auth-app-cant-scan-link"'));
  const page = await browser.open(SETUP_URL, html);
  await browser.clickPanel(page, SAVE);
  await page.waitForFunction((sel) => document.querySelector(sel)?.value !== '', CODE_INPUT);
  assert.deepEqual((await accounts(home)).map((a) => [a.name, a.marketplaces]), [[EMAIL, ['jp']]]);
  await home.expectCode(EMAIL, () => page.inputValue(CODE_INPUT));

  // A wrong code sent to Amazon: nidan explains and offers the next code.
  await page.locator(CODE_INPUT).fill('000000');
  await page.locator('#ch-auth-app-submit').click();
  await page.locator('#ch-auth-app-form-error').waitFor({ state: 'visible' });
  const shown = await browser.waitForPanel(page, (p) => p.texts.some((x) => x.includes('Amazon did not accept the code.')));
  assert.ok(shown.buttons.some((b) => b.label === 'Fill the next code'));
  assert.ok(shown.texts.includes('nidan doctor'));
  await browser.screenshot(page, 'enroll-refused-en');
  assert.deepEqual(browser.extensionErrors(), []);
});

test('in Japanese, with no e-mail from sign-in, the panel asks for a name and saves under it', async (t) => {
  const home = await Home.create(t);
  const browser = await launch(t, { home, lang: 'ja' });
  const page = await browser.open(SETUP_URL, await fixture('setup-totp.html'));
  await browser.clickPanel(page, 'nidanに保存');
  await browser.waitForPanel(page, (p) => p.texts.some((x) => x.includes('このアカウントに名前を付けてください')));
  assert.deepEqual(await accounts(home), []);
  const field = await panelNode(browser, page, 'data-field');
  await field.click();
  await page.keyboard.type('shop-jp');
  await browser.clickPanel(page, 'nidanに保存');
  await page.waitForFunction((sel) => document.querySelector(sel)?.value !== '', CODE_INPUT);
  assert.deepEqual(await accounts(home), [{ name: 'shop-jp', issuer: 'Amazon', label: '', marketplaces: ['jp'], bound: true, phone_backup: false }]);
  await home.expectCode('shop-jp', () => page.inputValue(CODE_INPUT));
  await browser.waitForPanel(page, (p) => p.texts.some((x) => x.includes('スマートフォンの認証アプリでもスキャン')));
  await browser.screenshot(page, 'enroll-saved-ja');
  assert.deepEqual(browser.extensionErrors(), []);
});

test('the enrolment panel at opacity 0 over a decoy saves nothing; in view, the user\'s click saves', async (t) => {
  const home = await Home.create(t);
  const browser = await launch(t, { home });
  await signIn(browser, EMAIL);
  const page = await browser.open(SETUP_URL, await fixture('setup-totp.html'));
  const { x, y } = await browser.panelButtonBox(page, SAVE);
  const [frame] = browser.panelFrames(page);
  await page.evaluate(() => document.querySelector('div[data-nidan]').style.setProperty('opacity', '0', 'important'));
  await frame.locator('body:not([data-visible="1"])').waitFor();
  await page.mouse.click(x, y);
  await browser.waitForPanel(page, (p) => p.buttons.some((b) => b.label === SAVE));
  assert.deepEqual(await accounts(home), []);
  assert.equal(await page.inputValue(CODE_INPUT), '');

  await page.evaluate(() => document.querySelector('div[data-nidan]').style.removeProperty('opacity'));
  await browser.clickPanel(page, SAVE);
  await page.waitForFunction((sel) => document.querySelector(sel)?.value !== '', CODE_INPUT);
  assert.equal((await accounts(home)).length, 1);
  assert.deepEqual(browser.extensionErrors(), []);
});
