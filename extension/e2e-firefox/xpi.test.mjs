// The add-on as users get it: scripts/build-xpi.sh lints extension/ with
// web-ext (an error fails the build) and packs it; Firefox installs the .xpi
// and it works with the real host.
import assert from 'node:assert/strict';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import test from 'node:test';
import { REPO, run } from '../e2e/harness.mjs';
import { Home, launch, shownCode, tempDir, waitForCodes } from './harness.mjs';

test('the .xpi scripts/build-xpi.sh makes passes web-ext lint, installs in Firefox and shows codes', async (t) => {
  const out = await tempDir(t, 'nidan-xpi-');
  await run(path.join(REPO, 'scripts', 'build-xpi.sh'), [out]);
  const built = await readdir(out);
  assert.equal(built.length, 1, `build-xpi.sh made ${built}`);
  assert.match(built[0], /^nidan-\d+\.\d+\.\d+\.xpi$/);

  const home = await Home.create(t, { accounts: [{ name: 'shop-jp', marketplaces: ['jp'] }] });
  const firefox = await launch(t, { home, extension: path.join(out, built[0]) });
  const popup = await firefox.popup();
  await waitForCodes(popup, ['shop-jp']);
  await home.expectCode('shop-jp', () => shownCode(popup, 'shop-jp'));
  assert.deepEqual(firefox.errors, []);
});
