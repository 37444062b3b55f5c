// The toolbar popup in real Firefox shows the codes nidan code gives.
import assert from 'node:assert/strict';
import test from 'node:test';
import { Home, launch } from './harness.mjs';

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
  await popup.waitForFunction(
    (names) => names.every((n) => /^\d{6,8}$/.test(document.querySelector(`li[data-name="${n}"] .code`)?.textContent ?? '')),
    {},
    names,
  );
  for (const name of names) {
    await home.expectCode(name, () =>
      popup.$eval(`li[data-name="${name}"] .code`, (el) => el.textContent),
    );
  }
  assert.deepEqual(firefox.errors, []);
});
