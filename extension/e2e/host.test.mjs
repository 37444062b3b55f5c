// The extension reaches the real host installed into the profile.
import assert from 'node:assert/strict';
import test from 'node:test';
import { Home, launch } from './harness.mjs';

test('the service worker says hello to the real host installed into the profile', async (t) => {
  const home = await Home.create(t, { accounts: [{ name: 'shop-jp', marketplaces: ['jp'] }] });
  const browser = await launch(t, { home });
  const answer = await browser.native({ type: 'hello', id: 'e2e' });
  assert.equal(answer.ok, true);
  assert.equal(answer.id, 'e2e');
  assert.equal(answer.protocol, 1);
  assert.equal(answer.vault, 'ready');
  assert.equal(answer.accounts, 1);
});

test('the host tells the extension when there is no vault yet', async (t) => {
  const home = await Home.create(t, { init: false });
  const browser = await launch(t, { home });
  const answer = await browser.native({ type: 'hello' });
  assert.equal(answer.ok, true);
  assert.equal(answer.vault, 'missing');
  assert.equal(answer.accounts, 0);
});
