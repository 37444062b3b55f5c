// The background's trusted-device messages: what the 2SV page reports, what
// ends up in storage.local, and what the page is told to show.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createHandler } from '../lib/handlers.js';
import { FakeArea, fakeHost } from './support/fakes.js';

const table = JSON.parse(readFileSync(new URL('../marketplaces.json', import.meta.url), 'utf8'));
const from = (host, path = '/ap/mfa?arb=1') => ({ id: 'ext', url: `https://${host}${path}` });
const jp = from('www.amazon.co.jp');
const us = from('www.amazon.com');
const T0 = Date.parse('2026-11-01T09:00:00Z');

function setup() {
  const clock = { now: T0 };
  const opened = [];
  const local = new FakeArea();
  const host = fakeHost(() => {
    throw new Error('the host is not asked for trust messages');
  });
  const handle = createHandler({ ask: host.ask, table, local, session: new FakeArea(), now: () => clock.now, openTab: async (url) => opened.push(url) });
  return { handle, local, clock, opened };
}

test('trusted, then prompted again: the reminder names the date, the count and the settings page', async () => {
  const { handle, local, clock } = setup();
  assert.deepEqual(await handle({ type: 'prompted', account: 'shop' }, jp), { ok: true, reminder: null }, 'first prompt');
  assert.deepEqual(await handle({ type: 'trusted', account: 'shop' }, jp), { ok: true });
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
  await handle({ type: 'trusted', account: 'shop' }, jp);
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
    { type: 'trusted', account: '' },
    { type: 'trusted', account: 42 },
    { type: 'prompted' },
  ]) {
    assert.equal((await handle(bad, jp)).error?.code, 'bad_request', JSON.stringify(bad));
  }
  assert.equal(opened.length, 1);
});

test('a refused code undoes the trust it went with', async () => {
  const { handle, local } = setup();
  await handle({ type: 'trusted', account: 'shop' }, jp);
  await handle({ type: 'refused' }, from('www.amazon.co.jp', '/ap/signin'));
  assert.deepEqual(local.items.trustedDevices, {});
});

test('two marketplaces apart; the sender decides the marketplace', async () => {
  const { handle, local } = setup();
  await handle({ type: 'trusted', account: 'shop', marketplace: 'us' }, jp);
  await handle({ type: 'trusted', account: 'shop' }, us);
  await handle({ type: 'trusted', account: 'shop' }, us);
  assert.equal(local.items.trustedDevices.shop.marketplaces.jp.count, 1);
  assert.equal(local.items.trustedDevices.shop.marketplaces.us.count, 2);
  assert.equal((await handle({ type: 'prompted', account: 'shop' }, us)).reminder.count, 2);
});

test('lookalike senders cannot record or read trust', async () => {
  const { handle, local } = setup();
  for (const type of ['trusted', 'prompted', 'trustAction', 'openApproval']) {
    const answer = await handle({ type, account: 'shop', action: 'reset', marketplace: 'jp' }, from('www.amazon.co.jp.evil.example'));
    assert.equal(answer.error.code, 'forbidden_origin', type);
  }
  assert.deepEqual(local.items, {});
});

test('concurrent messages do not lose each other\'s writes', async () => {
  const { handle, local } = setup();
  await Promise.all([jp, us, jp, us, jp].map((sender) => handle({ type: 'trusted', account: 'shop' }, sender)));
  assert.equal(local.items.trustedDevices.shop.marketplaces.jp.count, 3);
  assert.equal(local.items.trustedDevices.shop.marketplaces.us.count, 2);
});
