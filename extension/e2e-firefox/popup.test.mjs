// The toolbar popup in real Firefox shows the codes nidan code gives.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import test from 'node:test';
import { Home, launch, shownCode, waitForCodes } from './harness.mjs';

const placeholder = (popup) => popup.$eval('#search', (el) => el.placeholder);

test('the Firefox popup shows every code as nidan code gives it', async (t) => {
  const names = ['shop-jp', 'retail-us'];
  const home = await Home.create(t, {
    accounts: [
      { name: 'shop-jp', marketplaces: ['jp'] },
      { name: 'retail-us', marketplaces: ['us'] },
    ],
  });
  const firefox = await launch(t, { home });
  const popup = await firefox.popup();
  await waitForCodes(popup, names);
  for (const name of names) await home.expectCode(name, () => shownCode(popup, name));
  const en = JSON.parse(await readFile(new URL('../_locales/en/messages.json', import.meta.url), 'utf8'));
  assert.equal(await placeholder(popup), en.popupSearch.message);
  assert.deepEqual(firefox.errors, []);
});

test('the Firefox popup speaks Japanese when Firefox does', async (t) => {
  const home = await Home.create(t, { accounts: [{ name: 'shop-jp', marketplaces: ['jp'] }] });
  const firefox = await launch(t, { home, lang: 'ja' });
  const popup = await firefox.popup();
  await waitForCodes(popup, ['shop-jp']);
  const ja = JSON.parse(await readFile(new URL('../_locales/ja/messages.json', import.meta.url), 'utf8'));
  assert.equal(await placeholder(popup), ja.popupSearch.message, 'Firefox runs in English: apt-get install firefox-esr-l10n-ja');
  await home.expectCode('shop-jp', () => shownCode(popup, 'shop-jp'));
  assert.deepEqual(firefox.errors, []);
});
