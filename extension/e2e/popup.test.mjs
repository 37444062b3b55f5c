// The toolbar popup against the real host and a real vault, and against
// every state of the host that needs the user to act.
import assert from 'node:assert/strict';
import { chmod, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import test from 'node:test';
import { fileURLToPath } from 'node:url';
import { EXTENSION_DIR, Home, launch } from './harness.mjs';

const FAKE_HOST = fileURLToPath(new URL('fakehost.mjs', import.meta.url));

const row = (popup, name) => popup.locator(`li[data-name="${name}"]`);
const shownCode = (popup, name) => row(popup, name).locator('.code').textContent();
const visibleNames = (popup) =>
  popup.locator('#accounts li:visible').evaluateAll((lis) => lis.map((li) => li.dataset.name));

test('the popup shows every code as nidan code gives it, and the next one when it rolls over', async (t) => {
  const names = ['shop-jp', 'retail-us', 'everywhere'];
  const home = await Home.create(t, {
    accounts: [
      { name: 'shop-jp', marketplaces: ['jp'] },
      { name: 'retail-us', marketplaces: ['us'] },
      { name: 'everywhere' },
    ],
  });
  await home.nidan(['edit', 'retail-us', '--phone-backup=true']);
  const browser = await launch(t, { home });
  const popup = await browser.popup();
  for (const name of names) {
    await row(popup, name).waitFor();
    await home.expectCode(name, () => shownCode(popup, name));
  }
  assert.deepEqual(await visibleNames(popup), (await browser.native({ type: 'list' })).accounts.map((a) => a.name));

  // Accounts no phone holds are marked "only in nidan".
  for (const name of names) {
    assert.equal(await row(popup, name).locator('.badge').isVisible(), name !== 'retail-us', name);
  }
  await browser.screenshot(popup, 'popup-en');

  // At the end of the period the popup asks again by itself.
  const before = await shownCode(popup, 'shop-jp');
  await popup.waitForFunction(
    (old) => document.querySelector('li[data-name="shop-jp"] .code').textContent !== old,
    before,
    { timeout: 35_000 },
  );
  await home.expectCode('shop-jp', () => shownCode(popup, 'shop-jp'));
  assert.deepEqual(browser.extensionErrors(), []);
});

test('the search box filters accounts by name, label and marketplace', async (t) => {
  const home = await Home.create(t, {
    accounts: [
      { name: 'shop-jp', marketplaces: ['jp'] },
      { name: 'shop-uk', marketplaces: ['uk'] },
      { name: 'retail-us', marketplaces: ['us'] },
    ],
  });
  const browser = await launch(t, { home });
  const popup = await browser.popup();
  await row(popup, 'retail-us').waitFor();
  const search = popup.locator('#search');
  await search.fill('shop');
  assert.deepEqual(await visibleNames(popup), ['shop-jp', 'shop-uk']);
  await search.fill('UK');
  assert.deepEqual(await visibleNames(popup), ['shop-uk']);
  await search.fill('ｒｅｔａｉｌ'); // full-width, as a Japanese input method types it
  assert.deepEqual(await visibleNames(popup), ['retail-us']);
  await search.fill('nothing-like-this');
  assert.deepEqual(await visibleNames(popup), []);
  assert.match(await popup.locator('#empty').textContent(), /nothing-like-this/);
  await search.fill('');
  assert.equal((await visibleNames(popup)).length, 3);
  assert.deepEqual(browser.extensionErrors(), []);
});

test('a click copies the code; so does Enter in the search box', async (t) => {
  const home = await Home.create(t, {
    accounts: [
      { name: 'shop-jp', marketplaces: ['jp'] },
      { name: 'retail-us', marketplaces: ['us'] },
    ],
  });
  const browser = await launch(t, { home });
  const popup = await browser.popup();
  await row(popup, 'shop-jp').locator('button').click();
  await popup.locator('#toast').filter({ hasText: 'shop-jp' }).waitFor();
  await home.expectCode('shop-jp', () => browser.readClipboard());

  await popup.bringToFront();
  await popup.locator('#search').fill('retail');
  await popup.locator('#search').press('Enter');
  await popup.locator('#toast').filter({ hasText: 'retail-us' }).waitFor();
  await home.expectCode('retail-us', () => browser.readClipboard());
  assert.deepEqual(browser.extensionErrors(), []);
});

// problemText opens the popup and returns its problem panel's text.
async function problemText(browser) {
  const popup = await browser.popup();
  const problem = popup.locator('#problem');
  await problem.waitFor();
  assert.deepEqual(browser.extensionErrors(), []);
  return { popup, text: await problem.innerText() };
}

test('with no host installed, the popup first gives the installer, which works without nidan-host', async (t) => {
  const browser = await launch(t, { host: 'none' });
  const { popup, text } = await problemText(browser);
  assert.match(text, /not installed for this browser/);
  const commands = await popup.locator('#problem code').allTextContents();
  assert.deepEqual(commands, ['scripts/install.sh --browser chromium', 'nidan install --browser chromium']);
  await browser.screenshot(popup, 'popup-no-host-en');
});

test('with no vault, the popup says to run nidan init', async (t) => {
  const home = await Home.create(t, { init: false });
  const browser = await launch(t, { home });
  const { text } = await problemText(browser);
  assert.match(text, /no vault yet/);
  assert.match(text, /nidan init/);
});

test('with an empty vault, the popup says how to add an account', async (t) => {
  const home = await Home.create(t);
  const browser = await launch(t, { home });
  const popup = await browser.popup();
  const empty = popup.locator('#empty');
  await empty.waitFor();
  assert.match(await empty.innerText(), /No accounts yet[\s\S]*nidan add NAME --marketplace jp[\s\S]*Or save the key from Amazon's setup page/);
  assert.equal(await popup.locator('#search').isVisible(), false);
  assert.deepEqual(browser.extensionErrors(), []);
});

test('with a vault that does not open, the popup says to run nidan doctor', async (t) => {
  const home = await Home.create(t, { accounts: [{ name: 'shop-jp' }] });
  await writeFile(path.join(home.dir, 'vault.age'), 'not an age file', { mode: 0o600 });
  const browser = await launch(t, { home });
  const { text } = await problemText(browser);
  assert.match(text, /cannot open its vault/);
  assert.match(text, /nidan doctor/);
});

test('with the identity readable by others, the popup names the file and gives the chmod', async (t) => {
  const home = await Home.create(t, { accounts: [{ name: 'shop-jp' }] });
  const identity = path.join(home.dir, 'identity');
  await chmod(identity, 0o644);
  const browser = await launch(t, { home });
  const { popup, text } = await problemText(browser);
  assert.match(text, /cannot open its vault/);
  assert.equal(await popup.locator('#problem .reason').textContent(), `${identity} is readable by other users (mode 0644); refusing to use it`);
  assert.deepEqual(await popup.locator('#problem code').allTextContents(), [`chmod 600 "${identity}"`, 'nidan doctor']);
  await browser.screenshot(popup, 'popup-identity-readable-en');
});

test('with the identity missing, the popup says so and where to put it back', async (t) => {
  const home = await Home.create(t, { accounts: [{ name: 'shop-jp' }] });
  await rm(path.join(home.dir, 'identity'));
  const browser = await launch(t, { home });
  const { popup, text } = await problemText(browser);
  assert.match(await popup.locator('#problem .reason').textContent(), /identity file is missing/);
  assert.match(text, /Put back this vault's identity file from your backup/);
  assert.deepEqual(await popup.locator('#problem code').allTextContents(), ['nidan doctor']);
});

test('accounts bound to no Amazon site are listed apart, without a code', async (t) => {
  const home = await Home.create(t, { accounts: [{ name: 'shop-jp', marketplaces: ['jp'] }] });
  await home.nidan(['add', 'github'], { input: 'otpauth://totp/GitHub:alice?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP&issuer=GitHub\n' });
  const browser = await launch(t, { home });
  const popup = await browser.popup();
  await row(popup, 'shop-jp').waitFor();
  const unbound = popup.locator('#unbound');
  await unbound.waitFor();
  assert.deepEqual(await visibleNames(popup), ['shop-jp']);
  assert.deepEqual(await unbound.locator('li').evaluateAll((lis) => lis.map((li) => li.dataset.name)), ['github']);
  assert.match(await unbound.innerText(), /Bound to no Amazon site[\s\S]*GitHub — alice[\s\S]*nidan edit NAME --marketplace jp/);
  assert.equal(await unbound.locator('.code').count(), 0);
  assert.deepEqual(browser.extensionErrors(), []);
});

test('with only accounts bound to no Amazon site, the popup shows them and how to add one', async (t) => {
  const home = await Home.create(t);
  await home.nidan(['add', 'github'], { input: 'otpauth://totp/GitHub:alice?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP&issuer=GitHub\n' });
  const browser = await launch(t, { home });
  const popup = await browser.popup();
  await popup.locator('#unbound').waitFor();
  await popup.locator('#empty').waitFor();
  assert.match(await popup.locator('#empty').innerText(), /nidan add NAME --marketplace jp/);
  assert.deepEqual(browser.extensionErrors(), []);
});

for (const [name, protocol, expected] of [
  ['a host older than protocol 1 is named too old', 'none', /too old for this extension \(it speaks protocol 0\)/],
  ['a host speaking protocol 2 is named too new', '2', /newer than this extension \(it speaks protocol 2\)/],
  ['a host that exits without answering leads to nidan doctor', 'exit', /stopped without a proper answer[\s\S]*nidan doctor/],
]) {
  test(name, async (t) => {
    const browser = await launch(t, { host: { path: FAKE_HOST }, env: { NIDAN_FAKE_PROTOCOL: protocol } });
    const { text } = await problemText(browser);
    assert.match(text, expected);
  });
}

test('the popup follows the browser into Japanese', async (t) => {
  const home = await Home.create(t, { accounts: [{ name: 'shop-jp', marketplaces: ['jp'] }] });
  const browser = await launch(t, { home, lang: 'ja' });
  const popup = await browser.popup();
  await row(popup, 'shop-jp').waitFor();
  assert.equal(await popup.locator('#search').getAttribute('placeholder'), 'アカウントを検索');
  assert.match(await row(popup, 'shop-jp').locator('.seconds').textContent(), /^\d+秒$/);
  await home.expectCode('shop-jp', () => shownCode(popup, 'shop-jp'));
  await browser.screenshot(popup, 'popup-ja');
  assert.deepEqual(browser.extensionErrors(), []);
});

test('with no host installed, the Japanese popup explains it in Japanese', async (t) => {
  const browser = await launch(t, { host: 'none', lang: 'ja' });
  const { popup, text } = await problemText(browser);
  assert.match(text, /インストールされていません/);
  assert.match(text, /nidan install --browser chromium/);
  await browser.screenshot(popup, 'popup-no-host-ja');
});

test("the popup warns when this computer's clock is off from Amazon's", async (t) => {
  const home = await Home.create(t, { accounts: [{ name: 'shop-jp', marketplaces: ['jp'] }] });
  const browser = await launch(t, { home });
  // Amazon's clock, as its Date header tells it, a minute ahead of ours.
  const ahead = () => ({ headers: { date: new Date(Date.now() + 60_000).toUTCString() } });
  browser.serve('https://www.amazon.co.jp/', ahead);
  const html = await readFile(`${EXTENSION_DIR}/test/fixtures/signin-mfa-totp-ja.html`, 'utf8');
  const page = await browser.open('https://www.amazon.co.jp/ap/mfa?ie=UTF8', () => ({ body: html, ...ahead() }));
  // The page warns once the background has measured (and stored) the drift.
  await browser.waitForPanel(page, (p) => p.texts.some((text) => /clock is \d+ s off/.test(text)));
  const popup = await browser.popup();
  await popup.locator('#clock').waitFor();
  assert.match(await popup.locator('#clock').textContent(), /clock is (59|60|61) s off/);
  await row(popup, 'shop-jp').waitFor();
  await browser.screenshot(popup, 'popup-clock-en');
  assert.deepEqual(browser.extensionErrors(), []);
});
