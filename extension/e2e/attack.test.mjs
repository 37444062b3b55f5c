// Attacks from an Amazon page on nidan (issue 15): each test is a hostile page
// served at a real Amazon URL, with the real extension, host and vault; each
// failed before its fix.
import assert from 'node:assert/strict';
import { readdir } from 'node:fs/promises';
import test from 'node:test';
import { EXTENSION_DIR, Home, launch } from './harness.mjs';

// 15.5: a page that can load chrome-extension://<id>/<file> knows nidan is
// installed. With no web-accessible resources, every such fetch fails.
test('an Amazon page cannot fetch any of the extension\'s files (no fingerprint)', async (t) => {
  const home = await Home.create(t, { accounts: [{ name: 'shop-jp', marketplaces: ['jp'] }] });
  const browser = await launch(t, { home });
  const files = [
    'manifest.json',
    ...(await readdir(`${EXTENSION_DIR}/content`)).map((f) => `content/${f}`),
    ...(await readdir(`${EXTENSION_DIR}/vendor`)).map((f) => `vendor/${f}`),
  ];
  for (const url of ['https://www.amazon.co.jp/dp/B0FINGERPRINT', 'https://www.amazon.co.jp/ap/signin', 'https://www.amazon.co.jp/a/settings/approval']) {
    const page = await browser.open(url, '<!doctype html><title>shop</title><p>hello</p>');
    const loaded = await page.evaluate(
      (urls) =>
        Promise.all(
          urls.map((u) =>
            fetch(u).then(
              (r) => `${u} ${r.status}`,
              () => null,
            ),
          ),
        ).then((all) => all.filter(Boolean)),
      files.map((f) => browser.extensionUrl(f)),
    );
    assert.deepEqual(loaded, [], `${url} fetched ${loaded.join(', ')}`);
    await page.close();
  }
});
