// The popup's section of trusted-device entries that may be stale (issue 6),
// with its actions, and the toolbar badge that follows them.
import assert from 'node:assert/strict';
import test from 'node:test';
import { Home, launch } from './harness.mjs';

const DAY = 24 * 60 * 60 * 1000;

// A state as lib/trust.js keeps it: three accounts trusted before, Amazon
// asked again since, so their entries may be stale.
function staleState(now) {
  const entry = (count, host) => ({ count, trustedAt: now - 3 * DAY, hosts: [host], lostAt: now - DAY });
  return {
    'shop-a': { marketplaces: { jp: entry(2, 'www.amazon.co.jp') } },
    'shop-b': { marketplaces: { us: entry(1, 'www.amazon.com') } },
    'shop-c': { marketplaces: { jp: entry(1, 'sellercentral.amazon.co.jp') } },
  };
}

// badgeIs waits until the background has set the toolbar badge to text.
const badgeIs = (browser, text) =>
  browser.serviceWorker.evaluate(
    (want) =>
      new Promise((resolve) => {
        const check = async () => ((await chrome.action.getBadgeText({})) === want ? resolve() : setTimeout(check, 50));
        check();
      }),
    text,
  );

test('the popup lists stale trusted-device entries with the reminder actions; the badge follows', async (t) => {
  const home = await Home.create(t, { accounts: [{ name: 'shop-a', marketplaces: ['jp'] }] });
  const browser = await launch(t, { home });
  await browser.serviceWorker.evaluate((state) => chrome.storage.local.set({ trustedDevices: state }), staleState(Date.now()));
  await badgeIs(browser, '3');

  const popup = await browser.popup();
  const entry = (account) => popup.locator(`#trust li[data-account="${account}"]`);
  await entry('shop-a').waitFor();
  assert.match(await entry('shop-a').innerText(), /shop-a — Japan[\s\S]*up to 2 entries/);
  assert.match(await entry('shop-b').innerText(), /shop-b — United States/);
  await browser.screenshot(popup, 'popup-trusted-devices-en');

  // "Open Advanced Security Settings": that marketplace's page, in a new tab.
  browser.serve('https://www.amazon.co.jp/a/settings/approval', '<!doctype html><title>Advanced Security Settings</title>');
  const [settings] = await Promise.all([
    browser.context.waitForEvent('page'),
    entry('shop-a').getByRole('button', { name: 'Open Advanced Security Settings' }).click(),
  ]);
  await settings.waitForURL('https://www.amazon.co.jp/a/settings/approval');

  await entry('shop-a').getByRole('button', { name: "I've reset them" }).click();
  await entry('shop-a').waitFor({ state: 'detached' });
  await badgeIs(browser, '2');
  await entry('shop-b').getByRole('button', { name: 'Not now' }).click();
  await entry('shop-b').waitFor({ state: 'detached' });
  await entry('shop-c').getByRole('button', { name: "Don't remind me" }).click();
  await popup.locator('#trust').waitFor({ state: 'hidden' });
  await badgeIs(browser, '');

  const { trustedDevices } = await browser.serviceWorker.evaluate(() => chrome.storage.local.get('trustedDevices'));
  assert.equal(trustedDevices['shop-a'], undefined, 'reset: the count starts again at 0');
  assert.ok(trustedDevices['shop-b'].marketplaces.us.snoozedUntil > Date.now(), 'not now: put off');
  assert.equal(trustedDevices['shop-c'].muted, true, "don't remind me: muted");
  assert.deepEqual(browser.extensionErrors(), []);
});

test('the popup names marketplaces in Japanese for a Japanese browser', async (t) => {
  const home = await Home.create(t);
  const browser = await launch(t, { home, lang: 'ja' });
  await browser.serviceWorker.evaluate((state) => chrome.storage.local.set({ trustedDevices: state }), staleState(Date.now()));
  const popup = await browser.popup();
  const entry = popup.locator('#trust li[data-account="shop-a"]');
  await entry.waitFor();
  assert.match(await entry.innerText(), /shop-a — 日本/);
  assert.match(await popup.locator('#trust').innerText(), /年/);
  await browser.screenshot(popup, 'popup-trusted-devices-ja');
  assert.deepEqual(browser.extensionErrors(), []);
});
