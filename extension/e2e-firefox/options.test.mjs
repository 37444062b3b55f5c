// The options page in real Firefox: the background keeps the settings in the
// extension's IndexedDB (lib/settings.js) and takes changes from this page.
import assert from 'node:assert/strict';
import test from 'node:test';
import { Home, launch, waitIn } from './harness.mjs';

const checked = (page, name) => page.$eval(`input[name="${name}"]`, (el) => el.checked);

test('the Firefox options page saves a setting where the background reads it', async (t) => {
  const home = await Home.create(t, { accounts: [] });
  const firefox = await launch(t, { home });
  let page = await firefox.extensionPage('options/options.html');
  await waitIn(page, () => document.querySelector('form#options[data-ready]') !== null);
  assert.equal(await checked(page, 'rememberDevice'), false);
  await page.click('input[name="rememberDevice"]');
  await waitIn(page, () => document.getElementById('status').textContent !== '');
  await page.close();
  page = await firefox.extensionPage('options/options.html');
  await waitIn(page, () => document.querySelector('form#options[data-ready]') !== null);
  assert.equal(await checked(page, 'rememberDevice'), true);
  assert.equal(await checked(page, 'autoSubmit'), false);
  assert.deepEqual(firefox.errors, []);
});
