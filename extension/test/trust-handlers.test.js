// The background's trusted-device messages: what the 2SV page reports, what
// ends up in storage.local, and what the page is told to show.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createHandler } from '../lib/handlers.js';
import { TRUST_SUBMIT_PREFIX } from '../lib/storage.js';
import { FakeArea, fakeHost } from './support/fakes.js';
import { loadContent } from './support/load.js';

const { TRUST_SUBMIT_PREFIX: CONTENT_PREFIX } = (await loadContent()).reminder;

const table = JSON.parse(readFileSync(new URL('../marketplaces.json', import.meta.url), 'utf8'));
const from = (host, path = '/ap/mfa?arb=1') => ({ id: 'ext', url: `https://${host}${path}` });
const jp = from('www.amazon.co.jp');
const us = from('www.amazon.com');
const T0 = Date.parse('2026-11-01T09:00:00Z');

let ids = 0;

// submit plays the 2SV page's content script: it writes a submit with the box
// ticked into storage.local (as content/reminder.js recordTrust does); the
// background's storage listener then sweeps it in.
async function submit({ handle, local }, account, host, at) {
  await local.set({ [`${TRUST_SUBMIT_PREFIX}${++ids}`]: { account, host, at } });
  await handle.sweepTrusts();
}

test('the content scripts and the background agree on the submit key', () => {
  assert.equal(CONTENT_PREFIX, TRUST_SUBMIT_PREFIX);
});

function setup() {
  const clock = { now: T0 };
  const opened = [];
  const local = new FakeArea();
  const host = fakeHost(() => {
    throw new Error('the host is not asked for trust messages');
  });
  const handle = createHandler({ ask: host.ask, table, local, session: new FakeArea(), settings: new FakeArea(), now: () => clock.now, openTab: async (url) => opened.push(url) });
  return { handle, local, clock, opened };
}

test('trusted, then prompted again: the reminder names the date, the count and the settings page', async () => {
  const { handle, local, clock } = setup();
  assert.deepEqual(await handle({ type: 'prompted', account: 'shop' }, jp), { ok: true, reminder: null }, 'first prompt');
  await submit({ handle, local }, 'shop', 'www.amazon.co.jp', T0);
  assert.deepEqual(Object.keys(local.items), ['trustedDevices'], 'the submit record is folded in and removed');
  assert.equal(local.items.trustedDevices.shop.marketplaces.jp.count, 1);
  clock.now += 86_400_000;
  const { reminder } = await handle({ type: 'prompted', account: 'shop' }, jp);
  assert.deepEqual(reminder, {
    account: 'shop',
    marketplace: 'jp',
    count: 1,
    trustedAt: T0,
    marketplaceName: 'Japan',
    marketplaceNameJa: '日本',
    approvalUrl: 'https://www.amazon.co.jp/a/settings/approval',
  });
});

test('the reminder\'s buttons: reset, snooze, mute; and the settings page opens from the table only', async () => {
  const { handle, local, opened } = setup();
  await submit({ handle, local }, 'shop', 'www.amazon.co.jp', T0);
  await handle({ type: 'prompted', account: 'shop' }, jp);
  assert.deepEqual(await handle({ type: 'trustAction', action: 'snooze', account: 'shop', marketplace: 'jp' }, jp), { ok: true });
  assert.equal((await handle({ type: 'prompted', account: 'shop' }, jp)).reminder, null);
  await handle({ type: 'trustAction', action: 'reset', account: 'shop', marketplace: 'jp' }, jp);
  assert.deepEqual(local.items.trustedDevices, {});
  await handle({ type: 'trustAction', action: 'mute', account: 'shop', marketplace: 'jp' }, jp);
  assert.deepEqual(local.items.trustedDevices, { shop: { muted: true, marketplaces: {} } });
  assert.deepEqual(await handle({ type: 'openApproval', marketplace: 'uk' }, from('sellercentral-europe.amazon.com')), { ok: true });
  assert.deepEqual(opened, ['https://www.amazon.co.uk/a/settings/approval']);
  for (const bad of [
    { type: 'openApproval', marketplace: 'https://evil.example' },
    { type: 'trustAction', action: 'toString', account: 'shop', marketplace: 'jp' },
    { type: 'trustAction', action: 'reset', account: 'shop', marketplace: '__proto__' },
    { type: 'prompted', account: '' },
    { type: 'prompted', account: 42 },
    { type: 'prompted' },
  ]) {
    assert.equal((await handle(bad, jp)).error?.code, 'bad_request', JSON.stringify(bad));
  }
  assert.equal(opened.length, 1);
});

test('a refused code undoes the trust it went with, even one not swept in yet', async () => {
  const { handle, local, clock } = setup();
  await local.set({ [`${TRUST_SUBMIT_PREFIX}x`]: { account: 'shop', host: 'www.amazon.co.jp', at: T0 } });
  clock.now += 2000;
  await handle({ type: 'refused' }, from('www.amazon.co.jp', '/ap/signin'));
  assert.deepEqual(local.items, { trustedDevices: {} });
});

test('a prompt sweeps in a trust given just before, so that it is judged on it', async () => {
  const { handle, local, clock } = setup();
  await local.set({ [`${TRUST_SUBMIT_PREFIX}x`]: { account: 'shop', host: 'www.amazon.co.jp', at: T0 } });
  clock.now += 86_400_000;
  assert.equal((await handle({ type: 'prompted', account: 'shop' }, jp)).reminder.count, 1);
});

test('two marketplaces apart; the host decides the marketplace', async () => {
  const { handle, local } = setup();
  await submit({ handle, local }, 'shop', 'www.amazon.co.jp', T0);
  await submit({ handle, local }, 'shop', 'www.amazon.com', T0);
  await submit({ handle, local }, 'shop', 'www.amazon.com', T0 + 1);
  assert.equal(local.items.trustedDevices.shop.marketplaces.jp.count, 1);
  assert.equal(local.items.trustedDevices.shop.marketplaces.us.count, 2);
  assert.equal((await handle({ type: 'prompted', account: 'shop' }, us)).reminder.count, 2);
});

test('submit records that do not fit are dropped; times from the future are taken as now', async () => {
  const { handle, local } = setup();
  await local.set({
    [`${TRUST_SUBMIT_PREFIX}a`]: { account: 'shop', host: 'www.amazon.co.jp.evil.example', at: T0 },
    [`${TRUST_SUBMIT_PREFIX}b`]: { account: '', host: 'www.amazon.co.jp', at: T0 },
    [`${TRUST_SUBMIT_PREFIX}c`]: 'garbage',
    [`${TRUST_SUBMIT_PREFIX}d`]: { account: 'shop', host: 'www.amazon.co.jp', at: T0 + 10 * 86_400_000 },
    options: { autoSubmit: true },
  });
  await handle.sweepTrusts();
  assert.deepEqual(Object.keys(local.items).sort(), ['options', 'trustedDevices']);
  assert.deepEqual(Object.keys(local.items.trustedDevices), ['shop']);
  assert.equal(local.items.trustedDevices.shop.marketplaces.jp.trustedAt, T0);
});

test('lookalike senders cannot read or change trust', async () => {
  const { handle, local } = setup();
  for (const type of ['prompted', 'trustAction', 'openApproval', 'trustList']) {
    const answer = await handle({ type, account: 'shop', action: 'reset', marketplace: 'jp' }, from('www.amazon.co.jp.evil.example'));
    assert.equal(answer.error.code, 'forbidden_origin', type);
  }
  assert.deepEqual(local.items, {});
});

test('concurrent sweeps and messages count each submit once and lose no write', async () => {
  const { handle, local } = setup();
  const hosts = ['www.amazon.co.jp', 'www.amazon.com', 'www.amazon.co.jp', 'www.amazon.com', 'www.amazon.co.jp'];
  await Promise.all(hosts.map((host, i) => submit({ handle, local }, 'shop', host, T0 + i)));
  await Promise.all([handle.sweepTrusts(), handle({ type: 'trustAction', action: 'mute', account: 'other', marketplace: 'jp' }, jp), handle.sweepTrusts()]);
  assert.equal(local.items.trustedDevices.shop.marketplaces.jp.count, 3);
  assert.equal(local.items.trustedDevices.shop.marketplaces.us.count, 2);
  assert.equal(local.items.trustedDevices.other.muted, true);
});
