// The end-to-end harness: Debian's real Chromium with the unpacked extension,
// the real `nidan` binary and a real vault. Every test gets its own nidan home
// and its own Chromium profile, both removed afterwards. Pages are served at
// their real https URLs through Playwright's routing, so content scripts run
// exactly as on Amazon; every request nobody registered is aborted, so a test
// never reaches the network.
//
// Determinism: everything waits on a condition (a locator, waitForFunction,
// a promise), never on a sleep. TOTP codes roll over while a test runs, so
// codes are compared with expectCode, which accepts either side of a rollover.
//
// Tests import everything from here. It holds launch, which puts a profile
// together; the rest lives in common.mjs (paths, run, defer), home.mjs (Home,
// building nidan, host manifests) and browser.mjs (Browser, chromiumOptions).

import assert from 'node:assert/strict';
import { cp, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Browser, chromiumOptions } from './browser.mjs';
import { defer, EXTENSION_DIR, tempDir } from './common.mjs';
import { writeCountingWrapper, writeHostManifest } from './home.mjs';

export { Browser, chromiumOptions } from './browser.mjs';
export { CHROMIUM, defer, EXTENSION_DIR, EXTENSION_ID, HOST_NAME, holdAfterBox, NIDAN, NIDAN_HOST, REPO, run, SHOTS_DIR } from './common.mjs';
export { buildNidan, Home, randomSecret } from './home.mjs';

async function patchedExtension(t, patch) {
  const dir = path.join(await tempDir(t, 'nidan-extension-'), 'extension');
  await cp(EXTENSION_DIR, dir, { recursive: true });
  const file = path.join(dir, 'manifest.json');
  await writeFile(file, JSON.stringify(patch(JSON.parse(await readFile(file, 'utf8'))), null, 2));
  return dir;
}

// launch starts Chromium with the extension and a fresh profile.
//
// host says how the native host gets into the profile:
//   'install'  `nidan install --browser chromium --profile DIR`, the user's way
//              (the manifest points at bin/nidan-host);
//   'counted'  a manifest written here whose path is a wrapper that counts
//              host starts (browser.hostStarts());
//   'none'     no host at all;
//   {path}     a manifest for any other program (e.g. fakehost.mjs).
// The host inherits the browser's environment, so NIDAN_HOME set on the
// browser reaches it: no wrapper is needed to point it at home.
// lang is the browser's UI language, which chrome.i18n follows: Chromium on
// Linux takes it from LANGUAGE and --lang (Playwright's `locale` option only
// emulates navigator.language and leaves chrome.i18n in English). Languages
// other than en-US need Debian's chromium-l10n package.
//
// manifest, when given, maps the extension's manifest to the one to test
// with (e.g. an extra permission); the extension is then loaded from a copy.
export async function launch(t, { home, host = 'install', lang = 'en-US', env = {}, manifest } = {}) {
  const userDataDir = await tempDir(t, 'nidan-chromium-');
  const extensionDir = manifest ? await patchedExtension(t, manifest) : EXTENSION_DIR;
  let counted;
  if (host === 'install') {
    await home.nidan(['install', '--browser', 'chromium', '--profile', userDataDir]);
  } else if (host === 'counted') {
    const { wrapper, ...files } = await writeCountingWrapper(await tempDir(t, 'nidan-wrapper-'));
    await writeHostManifest(userDataDir, wrapper);
    counted = files;
  } else if (host && typeof host === 'object') {
    await writeHostManifest(userDataDir, host.path);
  } else {
    assert.equal(host, 'none', `unknown host mode ${host}`);
  }

  const options = chromiumOptions({ extensionDir, lang, env: { ...(home ? { NIDAN_HOME: home.dir } : {}), ...env } });
  const browser = new Browser(t, { userDataDir, options, lang, home, counted });
  defer(t, () => browser.close());
  await browser.start();
  return browser;
}
