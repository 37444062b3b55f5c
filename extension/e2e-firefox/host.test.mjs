// Firefox starts the host its own way: the manifest's path and the add-on id
// on the command line, where Chromium passes the extension's origin.
import assert from 'node:assert/strict';
import test from 'node:test';
import { ADDON_ID, Home, launch, waitForCodes } from './harness.mjs';

test('Firefox starts the host with the manifest path and the add-on id, and the host serves it', async (t) => {
  const home = await Home.create(t, { accounts: [{ name: 'shop-jp', marketplaces: ['jp'] }] });
  const firefox = await launch(t, { home, host: 'recorded' });
  const popup = await firefox.popup();
  // The wrapper records its argv before it runs the host, so once the popup
  // shows a code the record is complete.
  await waitForCodes(popup, ['shop-jp']);
  assert.deepEqual(await firefox.hostArgv(), [await firefox.manifestPath(), ADDON_ID]);
});
