// Filling Amazon's 2SV page: real fixtures served at their real URLs, the
// real host and vault, and `nidan code` as the reference.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import test from 'node:test';
import { EXTENSION_DIR, holdAfterBox, Home, launch } from './harness.mjs';

const fixture = (name) => readFile(`${EXTENSION_DIR}/test/fixtures/${name}`, 'utf8');
const OTP = '#auth-mfa-otpcode';
// A query string as Amazon's 2SV redirect carries one.
const MFA_QUERY = '?ie=UTF8&arb=5b3e3c3e-0000-4000-8000-000000000000';

const REAL_ORIGIN = 'https://www.amazon.co.jp';

const otpFilled = (page) => page.waitForFunction((sel) => (document.querySelector(sel)?.value ?? '') !== '', OTP);

test('the authenticator-app page on www.amazon.co.jp is filled with the code nidan code gives', async (t) => {
  const home = await Home.create(t, { accounts: [{ name: 'shop-jp', marketplaces: ['jp'] }] });
  const browser = await launch(t, { home, lang: 'ja' });
  const page = await browser.open(`https://www.amazon.co.jp/ap/mfa${MFA_QUERY}`, await fixture('signin-mfa-totp-ja.html'));
  await otpFilled(page);
  await home.expectCode('shop-jp', () => page.inputValue(OTP));
  await browser.screenshot(page, 'filled-www.amazon.co.jp-ja');
  assert.deepEqual(browser.extensionErrors(), []);
});

test('the Seller Central page is filled too', async (t) => {
  const home = await Home.create(t, { accounts: [{ name: 'seller-jp', marketplaces: ['jp'] }] });
  const browser = await launch(t, { home });
  const page = await browser.open(
    `https://sellercentral.amazon.co.jp/ap/mfa${MFA_QUERY}`,
    await fixture('sellercentral-jp-mfa-totp.html'),
  );
  await otpFilled(page);
  await home.expectCode('seller-jp', () => page.inputValue(OTP));
  await browser.screenshot(page, 'filled-sellercentral.amazon.co.jp-en');
  assert.deepEqual(browser.extensionErrors(), []);
});

test('a lookalike host gets nothing and the host is never started', async (t) => {
  const home = await Home.create(t, { accounts: [{ name: 'shop-jp', marketplaces: ['jp'] }] });
  const browser = await launch(t, { home, host: 'counted' });
  const html = await fixture('signin-mfa-totp-ja.html');
  const lookalike = await browser.open(`https://www.amazon.co.jp.evil.example/ap/mfa${MFA_QUERY}`, html);
  // The real page, loaded after the lookalike, proves the extension and the
  // host work in this browser: had the lookalike asked, it would have by now.
  const real = await browser.open(`https://www.amazon.co.jp/ap/mfa${MFA_QUERY}`, html);
  await otpFilled(real);
  assert.equal(await lookalike.inputValue(OTP), '');
  assert.equal(await lookalike.locator('[data-nidan]').count(), 0, 'no nidan panel on the lookalike');
  const requests = await browser.hostRequests();
  assert.ok(requests.length >= 1, 'the real page asked for a code');
  assert.deepEqual(new Set(requests.map((r) => r.origin)), new Set([REAL_ORIGIN]), 'only for the real page');
  // One host process may answer several requests (a session, lib/session.js).
  assert.ok((await browser.hostStarts()) <= requests.length, 'no other start of the host');
});

test('the SMS page is not filled silently; the button fills it on a click', async (t) => {
  const home = await Home.create(t, { accounts: [{ name: 'shop-jp', marketplaces: ['jp'] }] });
  const browser = await launch(t, { home, host: 'counted' });
  const page = await browser.open(`https://www.amazon.co.jp/ap/mfa${MFA_QUERY}`, await fixture('signin-mfa-sms-ja.html'));
  await browser.waitForPanel(page, (p) => p.buttons.some((b) => b.label === 'Fill from nidan'));
  assert.equal(await page.inputValue(OTP), '');
  // The code was asked for as the page started (before its variant was
  // known), and stays in the content script.
  assert.ok((await browser.hostStarts()) <= 1, 'at most the early request');
  await browser.screenshot(page, 'sms-offer-en');
  // A page script clicking the button gets nothing: the offer stays (a click
  // that counted would have closed it, synchronously).
  await browser.syntheticClickPanel(page, 'Fill from nidan');
  assert.ok((await browser.panel(page)).buttons.some((b) => b.label === 'Fill from nidan'));
  // The user's click fills.
  await browser.clickPanel(page, 'Fill from nidan');
  await otpFilled(page);
  await home.expectCode('shop-jp', () => page.inputValue(OTP));
  const asked = (await browser.hostRequests()).map((r) => `${r.type} ${r.origin}`);
  assert.ok(asked.length >= 1);
  assert.deepEqual(new Set(asked), new Set([`code ${REAL_ORIGIN}`]));
  assert.deepEqual(browser.extensionErrors(), []);
});

test('with two accounts on the host, the chooser asks once and nidan remembers, across a restart', async (t) => {
  const home = await Home.create(t, {
    accounts: [
      { name: 'shop-a', marketplaces: ['jp'] },
      { name: 'shop-b', marketplaces: ['jp'] },
    ],
  });
  const browser = await launch(t, { home });
  const url = `https://www.amazon.co.jp/ap/mfa${MFA_QUERY}`;
  const page = await browser.open(url, await fixture('signin-mfa-totp-ja.html'));
  const chooser = await browser.waitForPanel(page, (p) => p.buttons.some((b) => b.label === 'shop-b'));
  assert.ok(chooser.buttons.some((b) => b.label === 'shop-a'), 'both candidates are offered');
  assert.equal(await page.inputValue(OTP), '');
  await browser.screenshot(page, 'chooser-en');
  await browser.clickPanel(page, 'shop-b');
  await otpFilled(page);
  await home.expectCode('shop-b', () => page.inputValue(OTP));

  for (const when of ['in the same session', 'after a restart']) {
    if (when === 'after a restart') await browser.restart();
    const again = await browser.open(url);
    await otpFilled(again);
    await home.expectCode('shop-b', () => again.inputValue(OTP));
    assert.ok(!(await browser.panel(again)).buttons.some((b) => b.label === 'shop-a'), `no chooser ${when}`);
  }
  assert.deepEqual(browser.extensionErrors(), []);
});

// The box is filled the moment it is parsed when the words before it name
// the app (issue 17): the test holds the parser right after the box.
async function heldAfterBox(browser, html) {
  const url = `https://www.amazon.co.jp/ap/mfa${MFA_QUERY}`;
  const held = holdAfterBox(html, 'https://www.amazon.co.jp/ap/held.js');
  browser.serve(url, held.html);
  browser.serve('https://www.amazon.co.jp/ap/held.js', held.script);
  const page = await browser.context.newPage();
  await page.goto(url, { waitUntil: 'commit' });
  return { page, release: held.release };
}

const parsing = (page) => page.evaluate(() => ({ loading: document.readyState === 'loading', button: Boolean(document.querySelector('#auth-signin-button')) }));

test('the box is filled while the parser is still in the form', async (t) => {
  const home = await Home.create(t, { accounts: [{ name: 'shop-jp', marketplaces: ['jp'] }] });
  const browser = await launch(t, { home });
  const { page, release } = await heldAfterBox(browser, await fixture('signin-mfa-totp-ja.html'));
  await otpFilled(page);
  assert.deepEqual(await parsing(page), { loading: true, button: false });
  await home.expectCode('shop-jp', () => page.inputValue(OTP));
  release();
  await page.waitForFunction(() => document.readyState !== 'loading');
  await home.expectCode('shop-jp', () => page.inputValue(OTP));
  assert.deepEqual(browser.extensionErrors(), []);
});

test('words after the box that name a phone take the early code back and offer the fill', async (t) => {
  const home = await Home.create(t, { accounts: [{ name: 'shop-jp', marketplaces: ['jp'] }] });
  const browser = await launch(t, { home });
  const html = (await fixture('signin-mfa-totp-ja.html')).replace('</form>', '<p>Or the OTP sent to a phone number ending in 12</p></form>');
  const { page, release } = await heldAfterBox(browser, html);
  await otpFilled(page);
  assert.deepEqual(await parsing(page), { loading: true, button: false });
  release();
  await browser.waitForPanel(page, (p) => p.buttons.some((b) => b.label === 'Fill from nidan'));
  assert.equal(await page.inputValue(OTP), '');
  assert.deepEqual(browser.extensionErrors(), []);
});
