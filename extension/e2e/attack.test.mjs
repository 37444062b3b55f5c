// Attacks from an Amazon page on nidan (issue 15): each test is a hostile page
// served at a real Amazon URL, with the real extension, host and vault; each
// failed before its fix.
import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import test from 'node:test';
import { EXTENSION_DIR, Home, launch, randomSecret } from './harness.mjs';

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

const fixture = (name) => readFile(`${EXTENSION_DIR}/test/fixtures/${name}`, 'utf8');
const OTP = '#auth-mfa-otpcode';
const REAL_2SV = 'https://www.amazon.co.jp/ap/mfa?ie=UTF8&arb=real';
const otpFilled = (page) => page.waitForFunction((sel) => document.querySelector(sel)?.value !== '', OTP);
// withHead puts markup at the start of the page's head.
const withHead = (html, markup) => html.replace(/<head>/i, `<head>${markup}`);

// 15.2: a page that is not a sign-in page pretends to be one. Content
// scripts run only on the sign-in paths, judged by the URL the document was
// loaded from (the navigation timing entry), which history.replaceState
// cannot change.
test('a page that rewrites its URL to a sign-in path gets no code, and the host is never asked', async (t) => {
  const home = await Home.create(t, { accounts: [{ name: 'shop-jp', marketplaces: ['jp'] }] });
  const browser = await launch(t, { home, host: 'counted' });
  const form = (style) => `<form id="auth-mfa-form" style="${style}"><input type="tel" id="auth-mfa-otpcode" name="otpCode"><input type="submit" id="auth-signin-button"></form>`;
  const rewrite = (path, style) => `<!doctype html><html><head><script>history.replaceState(null, '', '${path}')</script></head>
<body><p>Great deals</p>${form(style)}<script>document.body.append(document.createRange().createContextualFragment(${JSON.stringify(form(style).replace('auth-mfa-form', 'auth-mfa-form2'))}))</script></body></html>`;
  const attacks = [
    ['https://www.amazon.co.jp/dp/B0ATTACK01', rewrite('/ap/signin', 'display:none')],
    ['https://www.amazon.co.jp/dp/B0ATTACK02', rewrite('/ap/mfa', '')],
    // A path the content scripts run on, but not the 2SV page's.
    ['https://www.amazon.co.jp/ap/cvf/request', rewrite('/ap/mfa', '')],
  ];
  const pages = [];
  for (const [url, html] of attacks) {
    const page = await browser.open(url, html);
    assert.match(await page.evaluate(() => location.pathname), /^\/ap\/(?:signin|mfa)$/, 'the rewrite took');
    pages.push(page);
  }
  const real = await browser.open(REAL_2SV, await fixture('signin-mfa-totp.html'));
  await otpFilled(real);
  for (const page of pages) assert.equal(await page.inputValue(OTP), '', page.url());
  // Only the real page asked (its code, and the next one if its period
  // rolled), and nothing else started the host.
  const requests = await browser.hostRequests();
  assert.ok(requests.length >= 1);
  assert.ok(requests.every((r) => r.type === 'code' && r.origin === 'https://www.amazon.co.jp'), JSON.stringify(requests));
  assert.ok((await browser.hostStarts()) <= requests.length);
  assert.deepEqual(browser.extensionErrors(), []);
});

// 15.2: a 2SV form the user cannot see is not filled silently.
test('a hidden 2SV form is never filled: display, visibility, opacity (on an ancestor too), zero size, off-screen', async (t) => {
  const home = await Home.create(t, { accounts: [{ name: 'shop-jp', marketplaces: ['jp'] }] });
  const browser = await launch(t, { home });
  const html = await fixture('signin-mfa-totp.html');
  const styles = {
    none: '#auth-mfa-form { display: none }',
    hidden: '#auth-mfa-otpcode { visibility: hidden }',
    opacity: '#auth-mfa-form { opacity: 0 }',
    ancestor: ':has(> #auth-mfa-form) { opacity: 0 }',
    zero: '#auth-mfa-otpcode { width: 0; height: 0; padding: 0; border: 0 }',
    left: '#auth-mfa-form { position: absolute; left: -10000px }',
    above: '#auth-mfa-form { position: absolute; top: -10000px }',
    right: '#auth-mfa-form { position: absolute; left: 100000px }',
  };
  browser.serve(REAL_2SV, (request) => {
    const style = styles[new URL(request.url()).searchParams.get('hide')];
    return style ? withHead(html, `<style>${style}</style>`) : html;
  });
  const pages = [];
  for (const hide of Object.keys(styles)) pages.push([hide, await browser.open(`${REAL_2SV}&hide=${hide}`)]);
  const real = await browser.open(REAL_2SV);
  await otpFilled(real);
  await home.expectCode('shop-jp', () => real.inputValue(OTP));
  for (const [hide, page] of pages) assert.equal(await page.inputValue(OTP), '', hide);
  // Shown later (Amazon's scripts may reveal the form): filled then.
  const [, late] = pages.find(([hide]) => hide === 'none');
  await late.evaluate(() => document.head.querySelector('style').remove());
  await otpFilled(late);
  assert.deepEqual(browser.extensionErrors(), []);
});

// 15.2: the sign-in e-mail picks the account; only the user's input counts.
test('an e-mail box the page filled itself does not choose the account', async (t) => {
  const home = await Home.create(t, {});
  await home.nidan(['add', 'shop-a', '--marketplace', 'jp', '--label', 'victim@example.com'], { input: `${randomSecret()}\n` });
  await home.add('shop-b', { marketplaces: ['jp'] });
  const browser = await launch(t, { home, host: 'counted' });
  const signin = `<!doctype html><html><head></head><body>
<form name="signIn" action="/ap/signin" method="post"><input type="email" id="ap_email_shown" name="e"><input type="submit" id="continue"></form>
<script>
  const f = document.createElement('form');
  f.innerHTML = '<input type="hidden" id="ap_email" name="email" value="victim@example.com">';
  document.body.append(f);
  f.querySelector('input').dispatchEvent(new Event('change', { bubbles: true }));
  f.dispatchEvent(new Event('submit'));
</script></body></html>`;
  await browser.open('https://www.amazon.co.jp/ap/signin?openid.mode=checkid_setup', signin);
  const page = await browser.open(REAL_2SV, await fixture('signin-mfa-totp.html'));
  await browser.waitForPanel(page, (p) => p.buttons.some((b) => b.label === 'shop-b'));
  assert.equal(await page.inputValue(OTP), '');
  const requests = await browser.hostRequests();
  assert.ok(requests.length >= 1);
  assert.ok(requests.every((r) => r.email === undefined), JSON.stringify(requests.map((r) => r.email)));
  assert.deepEqual(browser.extensionErrors(), []);
});
