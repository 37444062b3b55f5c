// The 2SV page is filled in real Firefox, by the real host installed with
// `nidan install --browser firefox`.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import test from 'node:test';
import { holdAfterBox } from '../e2e/common.mjs';
import { expectCodeAround, Home, hostLog, launch, waitIn } from './harness.mjs';

const FIXTURES = new URL('../test/fixtures/', import.meta.url);
const MFA_URL = 'https://www.amazon.co.jp/ap/mfa?arb=0c1d2e3f-4a5b-6c7d-8e9f-a0b1c2d3e4f5';

test('Firefox fills the authenticator-app 2SV page with the code nidan code gives', async (t) => {
  const home = await Home.create(t, { accounts: [{ name: 'shop-jp', marketplaces: ['jp'] }] });
  const firefox = await launch(t, { home });
  const html = await readFile(new URL('signin-mfa-totp-ja.html', FIXTURES), 'utf8');

  const before = await home.code('shop-jp');
  const page = await firefox.open(MFA_URL, html);
  const value = await waitIn(page, () => {
    const input = document.querySelector('#auth-mfa-otpcode');
    return input && input.value !== '' && input.value;
  });
  await expectCodeAround(home, 'shop-jp', before, value);

  // The host served the code for the tab's real origin, and did not see a
  // caller it refuses: Firefox started it as nidan's add-on.
  // (Two code requests when the first code had under 3 s left.)
  const log = await hostLog(home);
  const served = log.filter((l) => l.type === 'code');
  assert.ok(served.length >= 1, JSON.stringify(log));
  for (const line of served) {
    assert.deepEqual([line.origin, line.account, line.outcome], ['https://www.amazon.co.jp', 'shop-jp', 'ok']);
  }
  assert.ok(log.every((l) => l.caller === undefined && l.outcome !== 'forbidden_caller'), JSON.stringify(log));
});

// Issue 17: the box is filled the moment it is parsed when the words before
// it name the app, in Firefox too: the test holds the parser right after
// the box (holdAfterBox), and the code is there before the form's button.
test('Firefox fills the box while the parser is still in the form', async (t) => {
  const home = await Home.create(t, { accounts: [{ name: 'shop-jp', marketplaces: ['jp'] }] });
  const firefox = await launch(t, { home });
  const html = await readFile(new URL('signin-mfa-totp-ja.html', FIXTURES), 'utf8');
  const held = holdAfterBox(html, 'https://www.amazon.co.jp/ap/held.js');
  firefox.site.serve(MFA_URL, held.html);
  firefox.site.serve('https://www.amazon.co.jp/ap/held.js', held.script);

  const before = await home.code('shop-jp');
  const page = await firefox.browser.newPage();
  // Not page.goto: it would wait for a load the held script keeps from coming.
  await page.mainFrame().browsingContext.navigate(MFA_URL, 'none');
  await held.requested;
  const value = await waitIn(page, () => {
    const input = document.querySelector('#auth-mfa-otpcode');
    const parsing = document.readyState === 'loading' && !document.querySelector('#auth-signin-button');
    return parsing && input && input.value !== '' && input.value;
  });
  await expectCodeAround(home, 'shop-jp', before, value);
  held.release();
});
