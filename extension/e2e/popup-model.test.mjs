// Unit tests of the popup's decisions (popup/model.js); no browser needed.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import test from 'node:test';
import { browserName, EMPTY_STEPS, formatDate, expiry, hostHint, isBound, matches, problem, secondsLeft, setupCommand } from '../popup/model.js';

test('expiry snaps the host-reported remaining seconds to the TOTP step boundary', () => {
  const boundary = 1_800_000_000_000; // a multiple of 30 s and of 60 s
  for (const [period, remaining, receivedAt, want] of [
    [30, 10, boundary - 9_400, boundary], // host rounded up, answer took a few ms
    [30, 9, boundary - 9_000, boundary], // exact
    [30, 30, boundary - 29_999, boundary], // a step that just began
    [30, 1, boundary + 20, boundary], // rolled over in flight: already expired
    [60, 45, boundary - 44_500, boundary],
  ]) {
    assert.equal(expiry(period, remaining, receivedAt), want, `${period}/${remaining}`);
  }
});

test('secondsLeft counts whole seconds and stops at zero', () => {
  assert.equal(secondsLeft(10_000, 0), 10);
  assert.equal(secondsLeft(10_000, 1), 10);
  assert.equal(secondsLeft(10_000, 9_001), 1);
  assert.equal(secondsLeft(10_000, 10_000), 0);
  assert.equal(secondsLeft(10_000, 12_000), 0);
});

test('matches every word of the query against name, issuer, label and marketplaces', () => {
  const account = { name: 'shop-jp', issuer: 'Amazon', label: 'Seller@Example.co.jp', marketplaces: ['jp'] };
  for (const [query, want] of [
    ['', true],
    ['  ', true],
    ['shop', true],
    ['SHOP', true],
    ['ｓｈｏｐ', true], // full-width, from a Japanese input method
    ['seller@example', true],
    ['amazon jp', true],
    ['shop us', false],
    ['retail', false],
  ]) {
    assert.equal(matches(account, query), want, JSON.stringify(query));
  }
  assert.equal(matches({ name: 'bare' }, 'bare'), true, 'missing fields are no error');
});

test('browserName names the browser as nidan install --browser knows it', () => {
  const brands = (...names) => names.map((brand) => ({ brand, version: '156' }));
  for (const [list, firefox, want] of [
    [brands('Chromium', 'Google Chrome', 'Not.A/Brand'), '', 'chrome'],
    [brands('Not.A/Brand', 'Chromium', 'Microsoft Edge'), '', 'edge'],
    [brands('Brave', 'Chromium', 'Not.A/Brand'), '', 'brave'],
    [brands('Chromium', 'Not.A/Brand'), '', 'chromium'],
    [brands('Not.A/Brand'), '', ''],
    [undefined, '', ''],
    [undefined, 'Firefox', 'firefox'],
    [undefined, 'LibreWolf', 'librewolf'],
  ]) {
    assert.equal(browserName(list, firefox), want, JSON.stringify([list, firefox]));
  }
});

test('problem gives the next step for every state of the host, one that works first', () => {
  const env = { browser: 'chromium', os: 'linux' };
  const commands = (p) => p.steps.flatMap((s) => s.commands);
  const perm = '/home/u/.local/share/nidan/identity is readable by other users (mode 0644); refusing to use it; run `chmod 600 /home/u/.local/share/nidan/identity`';
  for (const [err, title, want, reason] of [
    // nidan-host missing: `nidan install` would fail the same way; the
    // installer builds both and registers them.
    [{ code: 'host_missing' }, ['errHostMissing'], ['scripts/install.sh --browser chromium', 'nidan install --browser chromium']],
    [{ code: 'vault_missing' }, ['errVaultMissing'], ['nidan init', 'nidan add NAME --marketplace jp']],
    [{ code: 'vault_unreadable', message: perm }, ['errVaultUnreadable'], ['chmod 600 /home/u/.local/share/nidan/identity', 'nidan doctor'], '/home/u/.local/share/nidan/identity is readable by other users (mode 0644); refusing to use it'],
    [{ code: 'vault_unreadable', message: 'the identity file is missing; run `nidan doctor`' }, ['errVaultUnreadable'], ['nidan doctor'], 'the identity file is missing'],
    [{ code: 'vault_unreadable' }, ['errVaultUnreadable'], ['nidan doctor'], ''],
    [{ code: 'not_a_device', response: { device_key: 'age1abc' } }, ['errNotADevice'], ['nidan devices add age1abc --name NAME']],
    [{ code: 'host_too_old', response: {} }, ['errHostTooOld', '0'], ['scripts/install.sh']],
    [{ code: 'host_too_new', response: { protocol: 2 } }, ['errHostTooNew', '2'], []],
    [{ code: 'host_failed' }, ['errHostFailed'], ['nidan doctor']],
    [{ code: 'internal' }, ['errOther', 'internal'], ['nidan doctor']],
    [new Error('not a NativeError'), ['errHostFailed'], ['nidan doctor']],
  ]) {
    const got = problem(err, env);
    assert.deepEqual(got.title, title, err.code);
    assert.deepEqual(commands(got), want, err.code);
    assert.equal(got.reason, reason, err.code);
  }
  const identity = problem({ code: 'vault_unreadable', message: 'the identity file is missing; run `nidan doctor`' }, env);
  assert.deepEqual(identity.steps.map((s) => s.key), ['popupIdentityStep', 'popupDoctorStep']);
  assert.deepEqual(commands(problem({ code: 'host_missing' }, { browser: '', os: 'win' })), [
    setupCommand('win'),
    'nidan install',
  ]);
  assert.equal(setupCommand('win', 'edge'), 'powershell -ExecutionPolicy Bypass -File scripts\\install.ps1 --browser edge');
});

test("hostHint splits the host's message into reason and fix", () => {
  assert.deepEqual(hostHint('there is no vault yet; run `nidan init`'), { reason: 'there is no vault yet', fix: 'nidan init' });
  assert.deepEqual(hostHint('odd failure'), { reason: 'odd failure', fix: '' });
  assert.deepEqual(hostHint(undefined), { reason: '', fix: '' });
});

test('accounts bound to no host are told apart, also from hosts without the field', () => {
  assert.equal(isBound({ name: 'a', bound: true, code: '123456' }), true);
  assert.equal(isBound({ name: 'a', code: '123456' }), true);
  assert.equal(isBound({ name: 'gh', bound: false }), false);
  assert.equal(isBound({ name: 'gh', bound: false, code: '123456' }), false);
  assert.equal(isBound({ name: 'gh' }), false, 'no code: nothing to show');
  assert.deepEqual(EMPTY_STEPS.map((s) => s.key), ['popupNoAccounts', 'popupOrSetupPage']);
  assert.match(EMPTY_STEPS[0].commands[0], /^nidan add NAME --marketplace /);
});

// extension/test/locales.test.js checks t('…') and data-i18n="…"; the popup
// also takes keys from data-i18n-placeholder/-label/-title and from problem().
test('every message the popup takes from markup or from problem() exists in English and Japanese', async () => {
  const read = async (file) => readFile(new URL(file, import.meta.url), 'utf8');
  const en = JSON.parse(await read('../_locales/en/messages.json'));
  const ja = JSON.parse(await read('../_locales/ja/messages.json'));
  const keys = new Set([...(await read('../popup/popup.html')).matchAll(/data-i18n(?:-\w+)?="(\w+)"/g)].map((m) => m[1]));
  for (const code of ['host_missing', 'vault_missing', 'vault_unreadable', 'not_a_device', 'host_too_old', 'host_too_new', 'host_failed', 'internal']) {
    const { title, steps } = problem({ code, response: {} }, { browser: '', os: 'linux' });
    keys.add(title[0]);
    for (const step of steps) keys.add(step.key);
  }
  for (const message of ['x; run `chmod 600 f`', 'the identity file is missing']) {
    for (const step of problem({ code: 'vault_unreadable', message }, { browser: '', os: 'linux' }).steps) keys.add(step.key);
  }
  for (const step of EMPTY_STEPS) keys.add(step.key);
  assert.ok(keys.size > 10, 'the scan finds the keys');
  for (const key of keys) assert.ok(Object.hasOwn(en, key) && Object.hasOwn(ja, key), key);
});

test('formatDate writes the date as the reminder on the page does', () => {
  const T0 = Date.UTC(2026, 10, 1, 3);
  assert.equal(formatDate(T0, 'ja'), '2026年11月1日');
  assert.equal(formatDate(T0, 'en-US'), 'November 1, 2026');
});
