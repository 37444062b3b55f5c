import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';

const ext = new URL('../', import.meta.url);
const messages = (lang) => JSON.parse(readFileSync(new URL(`_locales/${lang}/messages.json`, ext), 'utf8'));
const en = messages('en');
const ja = messages('ja');

test('en and ja have the same keys, with the same placeholders', () => {
  assert.deepEqual(Object.keys(ja).sort(), Object.keys(en).sort());
  for (const key of Object.keys(en)) {
    assert.equal(typeof en[key].message, 'string', `en ${key}`);
    assert.equal(typeof ja[key].message, 'string', `ja ${key}`);
    assert.ok(ja[key].message.trim(), `ja ${key} is not empty`);
    assert.deepEqual(Object.keys(ja[key].placeholders || {}).sort(), Object.keys(en[key].placeholders || {}).sort(), `placeholders of ${key}`);
    for (const [lang, m] of [['en', en], ['ja', ja]]) {
      for (const name of Object.keys(m[key].placeholders || {})) {
        assert.ok(m[key].message.toLowerCase().includes(`$${name.toLowerCase()}$`), `${lang} ${key} uses $${name}$`);
      }
    }
  }
});

// Every string the extension's code asks for exists: t('x'), getMessage('x'),
// data-i18n="x" and __MSG_x__, in every file except the tests.
function* sourceFiles(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const url = new URL(entry.name + (entry.isDirectory() ? '/' : ''), dir);
    if (entry.isDirectory()) {
      if (!['test', 'e2e', 'node_modules', '_locales'].includes(entry.name)) yield* sourceFiles(url);
    } else if (/\.(js|html|json)$/.test(entry.name)) {
      yield url;
    }
  }
}

test('every message the code uses is defined', () => {
  const used = new Set();
  const patterns = [/\bt\(\s*'([A-Za-z0-9_]+)'/g, /getMessage\(\s*'([A-Za-z0-9_]+)'/g, /data-i18n="([A-Za-z0-9_]+)"/g, /__MSG_([A-Za-z0-9_]+)__/g];
  for (const url of sourceFiles(ext)) {
    const text = readFileSync(url, 'utf8');
    for (const re of patterns) for (const m of text.matchAll(re)) used.add(m[1]);
  }
  assert.ok(used.size > 10, 'the scan finds the strings');
  for (const key of used) assert.ok(Object.hasOwn(en, key), `${key} is missing from _locales/en/messages.json`);
});

// The pages' localized attributes (data-i18n, data-i18n-placeholder,
// -label, -title...) name messages that both languages must have: a missing
// one shows as an empty label in that language only.
test('every data-i18n* attribute of the pages names a message of en and ja', () => {
  const used = [];
  for (const url of sourceFiles(ext)) {
    if (!url.pathname.endsWith('.html')) continue;
    const text = readFileSync(url, 'utf8');
    for (const m of text.matchAll(/\s(data-i18n(?:-[a-z]+)*)\s*=\s*(["'])(.*?)\2/g)) {
      used.push({ where: `${url.pathname.slice(ext.pathname.length)} ${m[1]}`, key: m[3] });
    }
  }
  const attributes = new Set(used.map((u) => u.where.split(' ')[1]));
  assert.ok(attributes.has('data-i18n') && attributes.has('data-i18n-placeholder'), 'the scan finds the attributes');
  for (const { where, key } of used) {
    for (const [lang, m] of [['en', en], ['ja', ja]]) {
      assert.ok(Object.hasOwn(m, key) && m[key].message.trim(), `${where}="${key}" is missing from _locales/${lang}/messages.json`);
    }
  }
});
