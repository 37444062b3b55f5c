// The Japanese strings speak as Amazon's Japanese pages do: they quote the
// "Don't require OTP" box and the settings page's names exactly as the
// Japanese fixtures show them (test/fixtures, derived from Amazon's pages),
// with full-width punctuation and counters set close (1件, 27秒).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';

const ext = new URL('../', import.meta.url);
const read = (path) => readFileSync(new URL(path, ext), 'utf8');
const messages = (lang) => Object.fromEntries(Object.entries(JSON.parse(read(`_locales/${lang}/messages.json`))).map(([k, v]) => [k, v.message]));
const ja = messages('ja');
const en = messages('en');

// rememberLabel is the text of the 2SV page's "Don't require OTP" box.
function rememberLabel(html) {
  const m = html.match(/<label for="auth-mfa-remember-device">[\s\S]*?<span class="a-label a-checkbox-label">([\s\S]*?)<\/span>/);
  assert.ok(m, 'the fixture has the remember-device box');
  return m[1].trim();
}

test('messages quote the remember-device box as the 2SV page labels it', () => {
  const label = rememberLabel(read('test/fixtures/signin-mfa-totp-ja.html'));
  assert.equal(label, 'このブラウザではOTPを要求しない');
  for (const key of ['optionsRememberDevice', 'reminderTitle', 'approvalText']) {
    assert.ok(ja[key].includes(`「${label}」`), `ja ${key} quotes 「${label}」: ${ja[key]}`);
  }
  const enLabel = rememberLabel(read('test/fixtures/signin-mfa-totp.html'));
  for (const key of ['optionsRememberDevice', 'approvalText']) {
    assert.match(en[key], new RegExp(`["“]${enLabel}["”]`), `en ${key} quotes "${enLabel}"`);
  }
});

test("messages use the settings page's own names", () => {
  const page = read('test/fixtures/approval-ja.html');
  for (const [name, keys] of [
    ['高度なセキュリティ設定', ['reminderWhere', 'reminderOpenSettings']],
    ['設定をリセット', ['reminderWhere']],
    ['OTPを要求しないデバイス', ['approvalTitle', 'popupTrustTitle']],
    ['2段階認証', ['extDescription', 'pageWrongCodeCauses']],
  ]) {
    assert.ok(page.includes(name), `approval-ja.html shows ${name}`);
    for (const key of keys) assert.ok(ja[key].includes(name), `ja ${key} says ${name}: ${ja[key]}`);
  }
});

test('Japanese punctuation is full-width and counters sit close to their numbers', () => {
  const JA = '[\\u3040-\\u30ff\\u4e00-\\u9fff「」、。]';
  const halfWidth = new RegExp(`${JA}[:()?!,]|[:()?!,]${JA}`);
  const spaced = /(?:\d|\$[A-Z]+\$)\s+(?:件|秒|行|文字|つ|日|回|分)/;
  for (const [key, text] of Object.entries(ja)) {
    assert.doesNotMatch(text, halfWidth, `ja ${key}: ${text}`);
    assert.doesNotMatch(text, spaced, `ja ${key}: ${text}`);
  }
});
