// Clearing a copied code from the clipboard 30 s later (popup/clipboard.js).
// The shipped manifest has `offscreen` and only offers `clipboardRead`
// (optional: required, it would warn at install). Chromium's question for an
// optional permission is a dialog that nothing answers in a headless
// browser, so "granted" is tested on a copy of the extension that has
// clipboardRead among its permissions, and "Firefox" on one without the
// offscreen permission (then chrome.offscreen does not exist, as there).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Home, launch } from './harness.mjs';

const granted = (manifest) => ({
  ...manifest,
  permissions: [...manifest.permissions, 'clipboardRead'],
  optional_permissions: manifest.optional_permissions.filter((p) => p !== 'clipboardRead'),
});
const withoutOffscreen = (manifest) => ({ ...manifest, permissions: manifest.permissions.filter((p) => p !== 'offscreen') });

// offscreenClosed resolves once the clearing document has done its check and
// closed itself; the condition is polled from an extension page.
const offscreenClosed = (page) =>
  page.evaluate(async () => {
    while ((await chrome.runtime.getContexts({ contextTypes: ['OFFSCREEN_DOCUMENT'] })).length) {
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  });

async function copyFromPopup(browser) {
  const popup = await browser.popup();
  await popup.locator('li[data-name="shop-jp"] button').click();
  await popup.locator('#toast').filter({ hasText: 'shop-jp' }).waitFor();
  return popup;
}

async function start(t, manifest) {
  const home = await Home.create(t, { accounts: [{ name: 'shop-jp', marketplaces: ['jp'] }] });
  return { home, browser: await launch(t, { home, manifest }) };
}

test('without clipboardRead, the popup offers to clear copied codes, with a button that asks for it', async (t) => {
  const { home, browser } = await start(t);
  const popup = await copyFromPopup(browser);
  await home.expectCode('shop-jp', () => browser.readClipboard());
  const offer = popup.locator('#clear-offer');
  await offer.waitFor();
  assert.match(await offer.textContent(), /stays on the clipboard\. Clear copied codes after 30 s\?/);
  assert.equal(await offer.locator('button').textContent(), 'Allow');
  assert.doesNotMatch(await popup.locator('#toast').textContent(), /clears the clipboard in 30 s/);
  assert.equal(await popup.evaluate(() => chrome.offscreen.hasDocument()), false, 'nothing set up to clear');
  await browser.screenshot(popup, 'popup-clear-offer');
  assert.deepEqual(browser.extensionErrors(), []);
});

test('without the offscreen API (as on Firefox), the popup says the code stays on the clipboard', async (t) => {
  const { browser } = await start(t, withoutOffscreen);
  const popup = await copyFromPopup(browser);
  assert.match(await popup.locator('#toast').textContent(), /does not let nidan clear the clipboard/);
  assert.equal(await popup.locator('#clear-offer').isHidden(), true, 'nothing to offer');
  assert.deepEqual(browser.extensionErrors(), []);
});

// Each of these waits out the real 30 s; they run side by side, each in its
// own browser with its own clipboard.
describe('with clipboardRead granted', { concurrency: true }, () => {
  test('30 s after a copy, the clipboard is cleared if it still holds the code', { timeout: 90_000 }, async (t) => {
    const { home, browser } = await start(t, granted);
    const popup = await copyFromPopup(browser);
    assert.match(await popup.locator('#toast').textContent(), /clears the clipboard in 30 s/);
    assert.equal(await popup.locator('#clear-offer').isHidden(), true);
    await home.expectCode('shop-jp', () => browser.readClipboard());
    await offscreenClosed(popup);
    await browser.waitForClipboard('');
    assert.deepEqual(browser.extensionErrors(), []);
  });

  test('a clipboard that holds something else by then is left alone', { timeout: 90_000 }, async (t) => {
    const { browser } = await start(t, granted);
    const popup = await copyFromPopup(browser);
    await browser.writeClipboard('something the user copied');
    await offscreenClosed(popup);
    assert.equal(await browser.readClipboard(), 'something the user copied');
    assert.deepEqual(browser.extensionErrors(), []);
  });
});
