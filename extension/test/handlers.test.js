import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createHandler, FILLED_WINDOW_MS, CLOCK_TTL_MS } from '../lib/handlers.js';
import { NativeError } from '../lib/native.js';
import { FakeArea, fakeHost } from './support/fakes.js';

const table = JSON.parse(readFileSync(new URL('../marketplaces.json', import.meta.url), 'utf8'));
const jp = { id: 'ext', url: 'https://www.amazon.co.jp/ap/mfa?arb=1', tab: { id: 1, url: 'https://www.amazon.co.jp/ap/mfa?arb=1' } };
const account = (name, label = `${name}@example.com`) => ({ name, label, issuer: 'Amazon', marketplaces: ['jp'], hosts: ['www.amazon.co.jp'] });
const codeAnswer = (name) => ({ ok: true, protocol: 1, account: account(name), code: '123456', period: 30, remaining: 17 });

export const EXTENSION = { id: 'ext', url: 'chrome-extension://ext/' };

function setup({ answer = () => codeAnswer('shop'), local = {}, session = {}, settings = {}, fetch, now } = {}) {
  const host = fakeHost(answer);
  const areas = { local: new FakeArea(local), session: new FakeArea(session), settings: new FakeArea(settings) };
  const handle = createHandler({ ask: host.ask, table, ...areas, extension: EXTENSION, fetch, now });
  return { handle, host, ...areas };
}

test('the origin comes from the sender, never from the message', async () => {
  const { handle, host } = setup();
  const answer = await handle({ type: 'code', origin: 'https://evil.example', url: 'https://evil.example' }, jp);
  assert.equal(answer.ok, true);
  assert.equal(answer.code, '123456');
  assert.equal(answer.remaining, 17);
  assert.deepEqual(host.requests, [{ type: 'code', origin: 'https://www.amazon.co.jp' }]);
  assert.deepEqual(answer.options, { autoSubmit: false, rememberDevice: false });
});

test('senders that are not Amazon sign-in pages never reach the host', async () => {
  const { handle, host } = setup();
  const senders = [
    { url: 'https://www.amazon.co.jp.evil.example/ap/mfa' },
    { url: 'http://www.amazon.co.jp/ap/mfa' },
    { url: 'https://www.amazon.co.jp:8443/ap/mfa' },
    { url: 'https://user@www.amazon.co.jp/ap/mfa' },
    { url: 'https://www.amaz0n.co.jp/ap/mfa' },
    { url: 'https://xn--mazon-3ve.co.jp/ap/mfa' },
    { url: 'chrome-extension://dcdddbcbipkamcfhjaingbomnchlkenp/popup/popup.html' },
    { tab: { url: 'https://evil.example/?www.amazon.co.jp' } },
    {},
    undefined,
  ];
  for (const sender of senders) {
    for (const type of ['code', 'signinEmail', 'filled', 'refused', 'clock']) {
      const answer = await handle({ type, email: 'a@example.com' }, sender);
      assert.equal(answer.error?.code, 'forbidden_origin', `${type} from ${JSON.stringify(sender)}`);
    }
  }
  assert.equal(host.requests.length, 0);
});

test('sender.url (the frame) wins over the tab URL', async () => {
  const { handle, host } = setup();
  await handle({ type: 'code' }, { url: 'https://sellercentral.amazon.co.jp/ap/mfa', tab: { url: 'https://www.amazon.co.jp/' } });
  await handle({ type: 'code' }, { tab: { url: 'https://sellercentral-europe.amazon.com/ap/signin' } });
  assert.deepEqual(host.requests.map((r) => r.origin), ['https://sellercentral.amazon.co.jp', 'https://sellercentral-europe.amazon.com']);
});

test('messages that are not for the background get null', async () => {
  const { handle } = setup();
  for (const message of [null, 'code', {}, { type: 'popupThing' }, { type: 'hello' }]) {
    assert.equal(await handle(message, jp), null, JSON.stringify(message));
  }
});

test('the sign-in e-mail is kept in session storage per host and sent with code', async () => {
  const { handle, host, session, local } = setup();
  await handle({ type: 'signinEmail', email: '  a@example.com ' }, { url: 'https://www.amazon.co.jp/ap/signin' });
  await handle({ type: 'signinEmail', email: 'us@example.com' }, { url: 'https://www.amazon.com/ap/signin' });
  assert.deepEqual(session.items.signinEmails, { 'www.amazon.co.jp': 'a@example.com', 'www.amazon.com': 'us@example.com' });
  assert.deepEqual(local.items, {}, 'never in persistent storage');
  await handle({ type: 'code' }, jp);
  assert.equal(host.requests[0].email, 'a@example.com');
  await handle({ type: 'signinEmail', email: '' }, { url: 'https://www.amazon.co.jp/ap/signin' });
  await handle({ type: 'signinEmail', email: 'x'.repeat(400) }, { url: 'https://www.amazon.com/ap/signin' });
  await handle({ type: 'signinEmail', email: 42 }, { url: 'https://www.amazon.com/ap/signin' });
  assert.deepEqual(session.items.signinEmails, {}, 'empty, oversize or non-string e-mails are dropped');
});

test('not_a_device: this PC\'s key goes to the page, for the command it shows', async () => {
  const { handle } = setup({
    answer: () => {
      throw new NativeError('not_a_device', 'not yet added', { ok: false, protocol: 1, device_key: 'age1abc' });
    },
  });
  const got = await handle({ type: 'code' }, jp);
  assert.equal(got.error.code, 'not_a_device');
  assert.equal(got.device_key, 'age1abc');
});

test('ambiguous: candidates go to the page; the pick is sent and remembered', async () => {
  const { handle, host, local } = setup({
    answer: (r) => {
      if (r.account === 'shop-b') return codeAnswer('shop-b');
      throw new NativeError('ambiguous', 'several accounts', { ok: false, protocol: 1, candidates: ['shop-a', 'shop-b', 7] });
    },
    session: { signinEmails: { 'www.amazon.co.jp': 'boss@example.com' } },
  });
  const first = await handle({ type: 'code' }, jp);
  assert.equal(first.ok, false);
  assert.equal(first.error.code, 'ambiguous');
  assert.deepEqual(first.candidates, ['shop-a', 'shop-b']);
  assert.equal(first.host, 'www.amazon.co.jp');
  const picked = await handle({ type: 'code', account: 'shop-b' }, jp);
  assert.equal(picked.account.name, 'shop-b');
  assert.deepEqual(local.items.accountChoices, { 'www.amazon.co.jp': { 'boss@example.com': 'shop-b' } });
  await handle({ type: 'code' }, jp);
  assert.deepEqual(host.requests.at(-1), { type: 'code', origin: 'https://www.amazon.co.jp', email: 'boss@example.com', account: 'shop-b' }, 'next time the remembered pick is sent');
});

test('a remembered account the host no longer picks is forgotten', async () => {
  const choices = { accountChoices: { 'www.amazon.co.jp': { '': 'gone' } } };
  const other = setup({ answer: () => codeAnswer('shop'), local: choices });
  assert.equal((await other.handle({ type: 'code' }, jp)).account.name, 'shop');
  assert.equal(other.host.requests[0].account, 'gone');
  assert.deepEqual(other.local.items.accountChoices, {});

  const ambiguous = setup({
    answer: () => {
      throw new NativeError('ambiguous', 'several', { ok: false, protocol: 1, candidates: ['x', 'y'] });
    },
    local: choices,
  });
  assert.equal((await ambiguous.handle({ type: 'code' }, jp)).error.code, 'ambiguous');
  assert.deepEqual(ambiguous.local.items.accountChoices, {});
});

test('host failures reach the page with code, host and marketplaces', async () => {
  const cases = [
    [new NativeError('host_missing', 'Specified native messaging host not found.'), { code: 'host_missing' }],
    [new NativeError('no_account', 'no account', { ok: false, protocol: 1 }), { code: 'no_account', protocol: 1 }],
    [new NativeError('host_too_old', 'old', { ok: true, protocol: 0 }), { code: 'host_too_old', protocol: 0 }],
    [new Error('boom'), { code: 'internal' }],
  ];
  for (const [err, want] of cases) {
    const { handle } = setup({
      answer: () => {
        throw err;
      },
    });
    const answer = await handle({ type: 'code' }, { url: 'https://sellercentral-europe.amazon.com/ap/mfa' });
    assert.equal(answer.ok, false);
    assert.equal(answer.error.code, want.code);
    assert.equal(answer.protocol, want.protocol);
    assert.equal(answer.host, 'sellercentral-europe.amazon.com');
    assert.deepEqual(answer.marketplaces, ['uk', 'de', 'fr', 'it', 'es']);
  }
});

test('options ride along with the code, from the settings area only', async () => {
  const { handle } = setup({ settings: { options: { autoSubmit: true, rememberDevice: 'yes' } } });
  assert.deepEqual((await handle({ type: 'code' }, jp)).options, { autoSubmit: true, rememberDevice: false });
  // storage.local is open to content scripts: options found there are not nidan's.
  const planted = setup({ local: { options: { autoSubmit: true, rememberDevice: true } } });
  assert.deepEqual((await planted.handle({ type: 'code' }, jp)).options, { autoSubmit: false, rememberDevice: false });
});

test('settings change from the options page only', async () => {
  const { handle, settings } = setup();
  const optionsPage = { id: 'ext', url: 'chrome-extension://ext/options/options.html' };
  const others = [
    jp, // a content script on Amazon
    { id: 'ext', url: 'chrome-extension://ext/content/panel.html', tab: jp.tab }, // nidan's frame in a page
    { id: 'ext', url: 'chrome-extension://ext/popup/popup.html' },
    { id: 'other', url: 'chrome-extension://other/options/options.html' },
    { id: 'ext', url: 'chrome-extension://other/options/options.html' },
    { id: 'ext', url: 'https://www.amazon.co.jp/options/options.html' },
    { id: 'ext' },
    undefined,
  ];
  for (const sender of others) {
    for (const message of [{ type: 'setOption', name: 'autoSubmit', value: true }, { type: 'getOptions' }]) {
      const answer = await handle(message, sender);
      assert.equal(answer.error?.code, 'forbidden_origin', `${message.type} from ${JSON.stringify(sender)}`);
    }
  }
  assert.deepEqual(settings.items, {});
  assert.deepEqual(await handle({ type: 'setOption', name: 'autoSubmit', value: true }, optionsPage), { ok: true, options: { autoSubmit: true, rememberDevice: false } });
  assert.deepEqual(await handle({ type: 'getOptions' }, { ...optionsPage, url: `${optionsPage.url}?x#y` }), { ok: true, options: { autoSubmit: true, rememberDevice: false } });
  assert.deepEqual((await handle({ type: 'code' }, jp)).options, { autoSubmit: true, rememberDevice: false });
  for (const bad of [{ name: 'autoSubmit', value: 'yes' }, { name: 'evil', value: true }, { name: '__proto__', value: true }]) {
    assert.equal((await handle({ type: 'setOption', ...bad }, optionsPage)).error.code, 'bad_request', JSON.stringify(bad));
  }
});

test('refused: only a recent fill by nidan on that host counts, once', async () => {
  let t = 1_000_000;
  const { handle } = setup({ now: () => t });
  assert.equal((await handle({ type: 'refused' }, jp)).filledByNidan, false);
  await handle({ type: 'filled' }, jp);
  t += 1000;
  assert.equal((await handle({ type: 'refused' }, { url: 'https://www.amazon.com/ap/signin' })).filledByNidan, false, 'another host');
  assert.equal((await handle({ type: 'refused' }, jp)).filledByNidan, true);
  assert.equal((await handle({ type: 'refused' }, jp)).filledByNidan, false, 'consumed');
  await handle({ type: 'filled' }, jp);
  t += FILLED_WINDOW_MS;
  assert.equal((await handle({ type: 'refused' }, jp)).filledByNidan, false, 'too old');
});

test('refused: a code nidan filled that expired in the box is told apart', async () => {
  let t = 1_000_000;
  const { handle } = setup({ now: () => t });
  await handle({ type: 'filled', expiresAt: t + 10_000 }, jp);
  t += 5_000;
  assert.deepEqual(await handle({ type: 'refused' }, jp), { ok: true, filledByNidan: true, expired: false });
  await handle({ type: 'filled', expiresAt: t + 10_000 }, jp);
  t += 60_000;
  assert.deepEqual(await handle({ type: 'refused' }, jp), { ok: true, filledByNidan: true, expired: true });
  await handle({ type: 'filled', expiresAt: 'soon' }, jp);
  assert.deepEqual(await handle({ type: 'refused' }, jp), { ok: true, filledByNidan: true, expired: false });
});

test('clock: measured from the sender origin, stored for the popup, reused for a while', async () => {
  let t = Date.parse('2026-11-21T10:00:00Z');
  const fetched = [];
  const fetch = async (url, init) => {
    fetched.push([url, init.method]);
    return { headers: new Headers({ date: new Date(t + 42_000).toUTCString() }) };
  };
  const { handle, session } = setup({ fetch, now: () => t });
  const first = await handle({ type: 'clock' }, jp);
  assert.equal(first.skewed, true);
  assert.ok(Math.abs(first.skewMs - 42_500) <= 500, String(first.skewMs));
  assert.equal(session.items.clockSkewMs, first.skewMs);
  assert.equal(session.items.clockCheckedAt, t);
  assert.deepEqual(fetched, [['https://www.amazon.co.jp/', 'HEAD']]);
  t += CLOCK_TTL_MS - 1;
  assert.equal((await handle({ type: 'clock' }, jp)).skewMs, first.skewMs);
  assert.equal(fetched.length, 1);
  t += 1;
  await handle({ type: 'clock' }, jp);
  assert.equal(fetched.length, 2);
});

test('clock: Amazon unreachable is no warning and no stored value', async () => {
  const fetch = async () => {
    throw new TypeError('Failed to fetch');
  };
  const { handle, session } = setup({ fetch });
  assert.deepEqual(await handle({ type: 'clock' }, jp), { ok: true, skewMs: null, skewed: false });
  assert.deepEqual(session.items, {});
});
