// Settings out of content scripts' reach (issue 15.4): code running in the
// world of nidan's content script on an Amazon page tries to switch on
// auto-submit and "Don't require OTP" — by writing storage.local, which
// content scripts may, and by asking the background — and the next 2SV page
// is still filled without either. The options page still sets them.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import test from 'node:test';
import { EXTENSION_DIR, Home, launch } from './harness.mjs';

const OTP = '#auth-mfa-otpcode';
const ORIGIN = 'https://www.amazon.co.jp';
const MFA = `${ORIGIN}/ap/mfa?ie=UTF8&arb=5b3e3c3e-0000-4000-8000-000000000000`;
const SIGNED_IN = '<!doctype html><meta charset="utf-8"><title>Amazon</title><p id="signed-in">Signed in.</p>';

async function serve(browser) {
  const posts = [];
  browser.serve(`${ORIGIN}/ap/mfa`, await readFile(`${EXTENSION_DIR}/test/fixtures/signin-mfa-totp-ja.html`, 'utf8'));
  browser.serve(`${ORIGIN}/ap/signin`, (request) => {
    posts.push(new URLSearchParams(request.postData() ?? ''));
    return SIGNED_IN;
  });
  return posts;
}

const ATTACK = `(async () => {
  await chrome.storage.local.set({ options: { autoSubmit: true, rememberDevice: true } });
  const answers = [];
  for (const name of ['autoSubmit', 'rememberDevice']) {
    answers.push(await chrome.runtime.sendMessage({ type: 'setOption', name, value: true }));
  }
  answers.push(await chrome.runtime.sendMessage({ type: 'getOptions' }));
  return answers;
})()`;

test("the content script's world cannot switch on auto-submit or remember-device", async (t) => {
  const home = await Home.create(t, { accounts: [{ name: 'shop-jp', marketplaces: ['jp'] }] });
  const browser = await launch(t, { home });
  const posts = await serve(browser);
  const page = await browser.open(MFA);
  await page.waitForFunction((sel) => document.querySelector(sel)?.value !== '', OTP);

  const answers = await browser.inContentScript(page, ATTACK);
  for (const answer of answers) assert.equal(answer?.error?.code, 'forbidden_origin', JSON.stringify(answers));

  // A fresh 2SV page: filled, but neither ticked nor submitted.
  await page.reload();
  await home.expectCode('shop-jp', async () => {
    await page.waitForFunction((sel) => document.querySelector(sel)?.value !== '', OTP);
    return page.inputValue(OTP);
  });
  assert.equal(await page.isChecked('input[name="rememberDevice"]'), false, 'the box stays as Amazon left it');
  assert.equal(posts.length, 0, 'nothing was submitted');
  assert.equal(page.url(), MFA);

  // The user's own choice on the options page still works.
  await browser.setOptions({ autoSubmit: true, rememberDevice: true });
  await Promise.all([page.waitForURL(/\/ap\/signin/), page.reload()]);
  assert.ok(posts.at(-1).has('rememberDevice'), 'ticked by the option');
  assert.deepEqual(browser.extensionErrors(), []);
});

test('the options page keeps its settings across a restart', async (t) => {
  const home = await Home.create(t, { accounts: [] });
  const browser = await launch(t, { home });
  await browser.setOptions({ rememberDevice: true });
  await browser.restart();
  const page = await browser.context.newPage();
  await page.goto(browser.extensionUrl('options/options.html'));
  await page.locator('form#options[data-ready]').waitFor();
  assert.equal(await page.isChecked('input[name="rememberDevice"]'), true);
  assert.equal(await page.isChecked('input[name="autoSubmit"]'), false);
});
