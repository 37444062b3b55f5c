// Amazon's "choose where to receive the OTP" page (issue 15.7): when it offers
// the authenticator app, one real click on nidan's button picks it and
// continues, and the authenticator 2SV page that follows is filled.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import test from 'node:test';
import { EXTENSION_DIR, Home, launch } from './harness.mjs';

const fixture = (name) => readFile(`${EXTENSION_DIR}/test/fixtures/${name}`, 'utf8');
const SIGNIN = 'https://www.amazon.co.jp/ap/signin';
const OTP = '#auth-mfa-otpcode';
const USE_APP = 'Use the authenticator app';

test('choose-device: a real click picks the authenticator app, continues, and the next page is filled', async (t) => {
  const home = await Home.create(t, { accounts: [{ name: 'shop-jp', marketplaces: ['jp'] }] });
  const browser = await launch(t, { home });
  const chooser = await fixture('signin-mfa-choose-device-totp.html');
  const totpPage = await fixture('signin-mfa-totp.html');
  const posted = [];
  browser.serve(SIGNIN, (request) => {
    if (request.method() !== 'POST') return chooser;
    const device = new URLSearchParams(request.postData() ?? '').get('otpDeviceContext');
    posted.push(device);
    return device.endsWith(', TOTP') ? totpPage : chooser;
  });
  const page = await browser.open(SIGNIN);
  await browser.waitForPanel(page, (p) => p.buttons.some((b) => b.label === USE_APP));
  // The page's own script clicking nidan's button gets nothing.
  await browser.syntheticClickPanel(page, USE_APP);
  assert.ok((await browser.panel(page)).buttons.some((b) => b.label === USE_APP));
  assert.deepEqual(posted, []);
  await browser.screenshot(page, 'choose-device-en');
  await browser.clickPanel(page, USE_APP);
  await page.waitForFunction((sel) => document.querySelector(sel)?.value, OTP);
  assert.equal(posted.length, 1);
  assert.match(posted[0], /, TOTP$/);
  await home.expectCode('shop-jp', () => page.inputValue(OTP));
  assert.deepEqual(browser.extensionErrors(), []);
});
