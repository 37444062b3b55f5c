import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as trust from '../lib/trust.js';
import { allHosts } from '../lib/market.js';

const table = JSON.parse(readFileSync(new URL('../marketplaces.json', import.meta.url), 'utf8'));
const DAY = 24 * 60 * 60 * 1000;
const T0 = Date.parse('2026-11-01T09:00:00Z');
const jp = { account: 'shop', marketplace: 'jp', host: 'www.amazon.co.jp' };
const us = { account: 'shop', marketplace: 'us', host: 'www.amazon.com' };

// A browser profile's life: each step is [function, args] applied in turn.
function life(steps, state = {}) {
  let reminder;
  for (const [fn, args] of steps) {
    const out = fn(state, args);
    if (fn === trust.prompted) ({ state, reminder } = out);
    else state = out;
  }
  return { state, reminder };
}

test('first prompt, and a prompt where the box was never ticked: no reminder', () => {
  assert.equal(trust.prompted({}, { ...jp, at: T0 }).reminder, null);
  const other = trust.trust({}, { ...jp, account: 'other', at: T0 });
  assert.equal(trust.prompted(other, { ...jp, at: T0 + DAY }).reminder, null, 'another account was trusted, not this one');
  assert.deepEqual(trust.stale(other, T0), []);
});

test('trust, then the 2SV page again: a reminder with the date and the count', () => {
  const { state, reminder } = life([
    [trust.trust, { ...jp, at: T0 }],
    [trust.prompted, { ...jp, at: T0 + 3 * DAY }],
  ]);
  assert.deepEqual(reminder, { account: 'shop', marketplace: 'jp', count: 1, trustedAt: T0 });
  assert.equal(trust.badgeText(state, T0 + 3 * DAY), '1');
  assert.deepEqual(trust.stale(state, T0 + 3 * DAY), [{ account: 'shop', marketplace: 'jp', count: 1, trustedAt: T0, lostAt: T0 + 3 * DAY, muted: false, snoozed: false }]);
});

test('before the trust is lost nothing is stale and there is no badge', () => {
  const state = trust.trust({}, { ...jp, at: T0 });
  assert.equal(trust.badgeText(state, T0), '');
  assert.deepEqual(trust.stale(state, T0), []);
});

test('each trust adds one; the reminder shows the latest date; reset brings the count back to 0', () => {
  const { state, reminder } = life([
    [trust.trust, { ...jp, at: T0 }],
    [trust.prompted, { ...jp, at: T0 + DAY }],
    [trust.trust, { ...jp, at: T0 + DAY + 60_000 }],
    [trust.prompted, { ...jp, at: T0 + 5 * DAY }],
  ]);
  assert.equal(reminder.count, 2);
  assert.equal(reminder.trustedAt, T0 + DAY + 60_000);
  const cleared = trust.reset(state, jp);
  assert.deepEqual(cleared, {});
  assert.equal(trust.badgeText(cleared, T0 + 5 * DAY), '');
  assert.equal(trust.prompted(cleared, { ...jp, at: T0 + 6 * DAY }).reminder, null, 'nothing trusted since the reset');
  const again = trust.prompted(trust.trust(cleared, { ...jp, at: T0 + 7 * DAY }), { ...jp, at: T0 + 8 * DAY });
  assert.equal(again.reminder.count, 1, 'counting starts over');
});

test('a trusted entry stays stale after a new trust until reset', () => {
  const { state } = life([
    [trust.trust, { ...jp, at: T0 }],
    [trust.prompted, { ...jp, at: T0 + DAY }],
    [trust.trust, { ...jp, at: T0 + DAY + 1 }],
  ]);
  assert.equal(trust.stale(state, T0 + DAY + 1)[0].count, 2);
  assert.equal(trust.badgeText(state, T0 + DAY + 1), '1');
});

test('a refused code undoes the trust given with it', () => {
  const once = trust.refused(trust.trust({}, { ...jp, at: T0 }), { host: jp.host, at: T0 + 5000 });
  assert.deepEqual(once, {}, 'Amazon trusted nothing');
  const twice = life([
    [trust.trust, { ...jp, at: T0 }],
    [trust.prompted, { ...jp, at: T0 + DAY }],
    [trust.trust, { ...jp, at: T0 + DAY + 10 }],
    [trust.refused, { host: jp.host, at: T0 + DAY + 20 }],
    [trust.trust, { ...jp, at: T0 + DAY + 30 }],
  ]).state;
  assert.equal(twice.shop.marketplaces.jp.count, 2, 'one lost trust, one good one');
  const late = trust.refused(trust.trust({}, { ...jp, at: T0 }), { host: jp.host, at: T0 + trust.PENDING_MS + 1 });
  assert.equal(late.shop.marketplaces.jp.count, 1, 'a refusal long after is about another attempt');
  const elsewhere = trust.refused(trust.trust({}, { ...jp, at: T0 }), { host: 'www.amazon.com', at: T0 + 1 });
  assert.equal(elsewhere.shop.marketplaces.jp.count, 1, 'a refusal on another host');
  const previous = life([
    [trust.trust, { ...jp, at: T0 }],
    [trust.trust, { ...jp, at: T0 + DAY }],
    [trust.refused, { host: jp.host, at: T0 + DAY + 1 }],
  ]).state;
  assert.equal(previous.shop.marketplaces.jp.trustedAt, T0, 'the date goes back to the trust that held');
});

test('"Not now" hides the reminder and the badge for a week, or until the next trust', () => {
  const lost = life([
    [trust.trust, { ...jp, at: T0 }],
    [trust.prompted, { ...jp, at: T0 + DAY }],
  ]).state;
  const snoozed = trust.snooze(lost, { ...jp, at: T0 + DAY });
  assert.equal(trust.badgeText(snoozed, T0 + 2 * DAY), '');
  assert.equal(trust.prompted(snoozed, { ...jp, at: T0 + 2 * DAY }).reminder, null);
  assert.equal(trust.stale(snoozed, T0 + 2 * DAY)[0].snoozed, true, 'still listed, as put off');
  assert.equal(trust.prompted(snoozed, { ...jp, at: T0 + DAY + trust.SNOOZE_MS }).reminder.count, 1, 'a week later');
  const retrusted = trust.trust(snoozed, { ...jp, at: T0 + 2 * DAY });
  assert.equal(trust.prompted(retrusted, { ...jp, at: T0 + 3 * DAY }).reminder.count, 2, 'a new entry ends the snooze');
});

test('"don\'t remind me" is per account, across marketplaces, and can be undone', () => {
  const base = life([
    [trust.trust, { ...jp, at: T0 }],
    [trust.trust, { ...us, at: T0 }],
    [trust.trust, { ...jp, account: 'other', at: T0 }],
    [trust.prompted, { ...jp, at: T0 + DAY }],
    [trust.prompted, { ...us, at: T0 + DAY }],
    [trust.prompted, { ...jp, account: 'other', at: T0 + DAY }],
  ]).state;
  assert.equal(trust.badgeText(base, T0 + DAY), '3');
  const muted = trust.mute(base, { account: 'shop' });
  assert.equal(trust.prompted(muted, { ...jp, at: T0 + 2 * DAY }).reminder, null);
  assert.equal(trust.prompted(muted, { ...us, at: T0 + 2 * DAY }).reminder, null);
  assert.equal(trust.prompted(muted, { ...jp, account: 'other', at: T0 + 2 * DAY }).reminder.account, 'other');
  assert.equal(trust.badgeText(muted, T0 + 2 * DAY), '1');
  const counted = trust.trust(muted, { ...jp, at: T0 + 3 * DAY });
  assert.equal(counted.shop.marketplaces.jp.count, 2, 'trusts still counted while muted');
  assert.equal(trust.prompted(trust.mute(counted, { account: 'shop', on: false }), { ...jp, at: T0 + 4 * DAY }).reminder.count, 2);
  assert.deepEqual(trust.mute({}, { account: 'new' }), { new: { muted: true, marketplaces: {} } }, 'muting before any trust sticks');
  assert.deepEqual(trust.reset(trust.mute(trust.trust({}, { ...jp, at: T0 }), { account: 'shop' }), jp), { shop: { muted: true, marketplaces: {} } }, 'a reset keeps the mute');
});

test('two marketplaces are tracked apart', () => {
  const { state } = life([
    [trust.trust, { ...jp, at: T0 }],
    [trust.trust, { ...us, at: T0 + 1 }],
    [trust.trust, { ...us, at: T0 + 2 }],
  ]);
  const us1 = trust.prompted(state, { ...us, at: T0 + DAY });
  assert.equal(us1.reminder.count, 2);
  assert.equal(us1.reminder.marketplace, 'us');
  assert.equal(trust.stale(us1.state, T0 + DAY).length, 1, 'only us was asked again');
  const reset = trust.reset(us1.state, us);
  assert.equal(trust.prompted(reset, { ...jp, at: T0 + 2 * DAY }).reminder.count, 1, 'resetting us leaves jp');
});

test('asked again only on a host the trust was given on', () => {
  const state = trust.trust({}, { ...jp, at: T0 });
  assert.equal(trust.prompted(state, { ...jp, host: 'sellercentral.amazon.co.jp', at: T0 + DAY }).reminder, null);
  const both = trust.trust(state, { ...jp, host: 'sellercentral.amazon.co.jp', at: T0 + 1 });
  assert.equal(trust.prompted(both, { ...jp, host: 'sellercentral.amazon.co.jp', at: T0 + DAY }).reminder.count, 2, 'same marketplace, one count');
});

test('functions leave their input alone', () => {
  const state = trust.trust({}, { ...jp, at: T0 });
  const copy = structuredClone(state);
  trust.trust(state, { ...jp, at: T0 + 1 });
  trust.prompted(state, { ...jp, at: T0 + 1 });
  trust.refused(state, { host: jp.host, at: T0 + 1 });
  trust.snooze(state, { ...jp, at: T0 });
  trust.mute(state, { account: 'shop' });
  trust.reset(state, jp);
  assert.deepEqual(state, copy);
});

test('normalize keeps valid state and drops the rest', () => {
  const good = life([
    [trust.trust, { ...jp, at: T0 }],
    [trust.prompted, { ...jp, at: T0 + 1 }],
    [trust.trust, { ...jp, at: T0 + 2 }],
  ]).state;
  const snoozedMuted = trust.mute(trust.snooze(good, { ...jp, at: T0 }), { account: 'x' });
  assert.deepEqual(trust.normalize(structuredClone(snoozedMuted)), snoozedMuted);
  for (const raw of [undefined, null, 'x', [], 42]) assert.deepEqual(trust.normalize(raw), {});
  assert.deepEqual(
    trust.normalize({
      '': { marketplaces: { jp: good.shop.marketplaces.jp } },
      a: null,
      b: { marketplaces: { jp: { count: 0, trustedAt: T0 } } },
      c: { marketplaces: { jp: { count: 1, trustedAt: 'yesterday' } } },
      d: { marketplaces: { jp: { count: 1, trustedAt: T0, hosts: ['h', 7], lostAt: -1, pending: { host: 3 } } } },
    }),
    { d: { marketplaces: { jp: { count: 1, trustedAt: T0, hosts: ['h'] } } } },
  );
});

test('every sign-in host counts for one marketplace; sellercentral-europe for uk', () => {
  for (const host of allHosts(table)) assert.ok(trust.marketplaceOf(table, host), host);
  assert.equal(trust.marketplaceOf(table, 'sellercentral-europe.amazon.com'), 'uk');
  assert.equal(trust.marketplaceOf(table, 'sellercentral-japan.amazon.com'), 'jp');
  assert.equal(trust.marketplaceOf(table, 'www.amazon.co.jp.evil.example'), null);
  assert.equal(trust.approvalUrl(table, 'jp'), 'https://www.amazon.co.jp/a/settings/approval');
  assert.equal(trust.approvalUrl(table, 'uk'), 'https://www.amazon.co.uk/a/settings/approval');
  assert.equal(trust.approvalUrl(table, 'us'), 'https://www.amazon.com/a/settings/approval');
  assert.equal(trust.approvalUrl(table, 'xx'), null);
  for (const m of table.marketplaces) assert.match(trust.approvalUrl(table, m.key), /^https:\/\/www\.amazon\.[a-z.]+\/a\/settings\/approval$/);
});
