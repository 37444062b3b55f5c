// The in-page panel against the page's own scripts (issue 15.3): the account
// names nidan shows are in a frame of the extension's origin, which
// window.find and the DOM cannot reach, and a click on the panel counts only
// while it is fully visible: put at opacity 0 over a decoy, it takes none.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import test from 'node:test';
import { EXTENSION_DIR, Home, launch } from './harness.mjs';

const OTP = '#auth-mfa-otpcode';
const URL_2SV = 'https://www.amazon.co.jp/ap/mfa?ie=UTF8&arb=5b3e3c3e-0000-4000-8000-000000000000';
const NAMES = ['shop-alpha', 'shop-beta'];

async function chooserPage(t) {
  const home = await Home.create(t, { accounts: NAMES.map((name) => ({ name, marketplaces: ['jp'] })) });
  const browser = await launch(t, { home });
  const page = await browser.open(URL_2SV, await readFile(`${EXTENSION_DIR}/test/fixtures/signin-mfa-totp-ja.html`, 'utf8'));
  await browser.waitForPanel(page, (p) => NAMES.every((name) => p.buttons.some((b) => b.label === name)));
  return { home, browser, page };
}

test('page scripts cannot find the account names the chooser shows', async (t) => {
  const { browser, page } = await chooserPage(t);
  const found = await page.evaluate((names) => {
    // window.find searches the page as a user's Ctrl+F would, shadow roots included.
    const searched = names.flatMap((name) => [name, name.slice(0, 6)]).map((text) => {
      getSelection().removeAllRanges();
      return window.find(text, false, false, true);
    });
    return { searched, text: document.documentElement.innerText, html: document.documentElement.outerHTML };
  }, NAMES);
  assert.deepEqual(found.searched, [false, false, false, false]);
  for (const name of NAMES) {
    assert.ok(!found.text.includes(name) && !found.html.includes(name), `${name} is in the page`);
  }
  assert.deepEqual(browser.extensionErrors(), []);
});

test('the chooser at opacity 0 over a decoy takes no click; shown, it takes the user\'s', async (t) => {
  const { home, browser, page } = await chooserPage(t);
  const { x, y } = await browser.panelButtonBox(page, 'shop-beta');
  const [frame] = browser.panelFrames(page);
  // The page fades nidan's panel out and puts a decoy under it.
  await page.evaluate(([px, py]) => {
    const decoy = Object.assign(document.createElement('button'), { textContent: 'Claim your prize' });
    decoy.style.cssText = `position: fixed; left: ${px - 60}px; top: ${py - 15}px; width: 120px; height: 30px; z-index: 1`;
    document.body.append(decoy);
    document.querySelector('div[data-nidan]').style.setProperty('opacity', '0', 'important');
  }, [x, y]);
  await frame.locator('body:not([data-visible="1"])').waitFor();
  await page.mouse.click(x, y);
  // The click went nowhere: the chooser is still up, nothing was filled. A
  // counted click would have filled the code at once.
  await browser.waitForPanel(page, (p) => p.buttons.some((b) => b.label === 'shop-beta'));
  assert.equal(await page.inputValue(OTP), '');

  // Faded by an ancestor's filter instead: the same.
  await page.evaluate(() => {
    document.querySelector('div[data-nidan]').style.removeProperty('opacity');
    document.body.style.filter = 'opacity(0.01)';
  });
  await page.mouse.click(x, y);
  assert.equal(await page.inputValue(OTP), '');

  // Back in full view, the user's click picks the account.
  await page.evaluate(() => { document.body.style.filter = ''; });
  await browser.clickPanel(page, 'shop-beta');
  await page.waitForFunction((sel) => document.querySelector(sel)?.value !== '', OTP);
  await home.expectCode('shop-beta', () => page.inputValue(OTP));
  assert.deepEqual(browser.extensionErrors(), []);
});

test('a page cannot load the panel frame at a fixed URL', async (t) => {
  const { browser, page } = await chooserPage(t);
  const fixed = browser.extensionUrl('panel/panel.html');
  const status = await page.evaluate((url) => fetch(url).then((r) => r.status, () => 'refused'), fixed);
  assert.equal(status, 'refused');
});
