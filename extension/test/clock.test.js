import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isSkewed, measureSkew, skewFromDate, SKEW_LIMIT_MS } from '../lib/clock.js';

test('skew is the Date header midpoint minus the round-trip midpoint', () => {
  const t = Date.parse('2026-11-21T10:00:00Z');
  const date = new Date(t).toUTCString();
  assert.equal(skewFromDate(date, t, t), 500);
  assert.equal(skewFromDate(date, t - 1000, t + 1000), 500);
  assert.equal(skewFromDate(new Date(t - 30_000).toUTCString(), t, t), -29_500);
  assert.equal(skewFromDate(undefined, t, t), null);
  assert.equal(skewFromDate(null, t, t), null);
  assert.equal(skewFromDate('not a date', t, t), null);
});

test('more than 10 s either way is skewed', () => {
  assert.equal(SKEW_LIMIT_MS, 10_000);
  for (const [ms, want] of [[0, false], [10_000, false], [-10_000, false], [10_001, true], [-60_000, true], [null, false], [undefined, false]]) {
    assert.equal(isSkewed(ms), want, String(ms));
  }
});

test('measureSkew: HEAD, uncached, without cookies; null when unreachable or dateless', async () => {
  const t = Date.parse('2026-11-21T10:00:00Z');
  let init;
  const skew = await measureSkew('https://www.amazon.com', async (url, i) => {
    init = i;
    return { headers: new Headers({ date: new Date(t - 20_000).toUTCString() }) };
  }, () => t);
  assert.equal(skew, -19_500);
  assert.deepEqual(init, { method: 'HEAD', cache: 'no-store', credentials: 'omit' });
  assert.equal(await measureSkew('https://www.amazon.com', async () => ({ headers: new Headers() }), () => t), null);
  assert.equal(await measureSkew('https://www.amazon.com', async () => {
    throw new TypeError('Failed to fetch');
  }), null);
});
