// nidan's in-page panel in real Firefox: the chooser is drawn in a frame of
// the add-on's origin (panel/panel.html) that the page cannot search, and a
// real click on an account in it fills that account's code.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import test from 'node:test';
import { expectCodeAround, Home, launch, realClick, waitIn } from './harness.mjs';

const MFA_URL = 'https://www.amazon.co.jp/ap/mfa?arb=0c1d2e3f-4a5b-6c7d-8e9f-a0b1c2d3e4f5';

test('the Firefox chooser is a frame the page cannot search; a real click picks the account', async (t) => {
  const home = await Home.create(t, { accounts: [{ name: 'shop-alpha', marketplaces: ['jp'] }, { name: 'shop-beta', marketplaces: ['jp'] }] });
  const firefox = await launch(t, { home });
  const html = await readFile(new URL('../test/fixtures/signin-mfa-totp-ja.html', import.meta.url), 'utf8');
  const page = await firefox.open(MFA_URL, html);
  let frame;
  const deadline = Date.now() + 20_000;
  while (!frame) {
    for (const f of page.frames()) {
      // Over BiDi, Firefox (ESR 153) reports the frame's first URL (about:blank)
      // only; the button is found in it all the same.
      if (f !== page.mainFrame() && (await f.$('button[data-account="shop-beta"]').catch(() => null))) frame = f;
    }
    assert.ok(frame || Date.now() < deadline, `no panel frame among ${page.frames().map((f) => f.url())}`);
    if (!frame) await new Promise((resolve) => setTimeout(resolve, 50));
  }
  assert.equal(await page.evaluate(() => window.find('shop-beta') || window.find('shop-alpha')), false);
  const button = await frame.$('button[data-account="shop-beta"]');
  const before = await home.code('shop-beta');
  await realClick(page, button);
  const value = await waitIn(page, () => {
    const input = document.querySelector('#auth-mfa-otpcode');
    return input && input.value !== '' && input.value;
  });
  await expectCodeAround(home, 'shop-beta', before, value);
});
