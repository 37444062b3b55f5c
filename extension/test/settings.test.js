import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cachedArea } from '../lib/settings.js';
import { getOptions, setOption } from '../lib/storage.js';
import { FakeArea } from './support/fakes.js';

// A FakeArea that counts its reads.
function countingArea(items) {
  const area = new FakeArea(items);
  const get = area.get.bind(area);
  area.reads = 0;
  area.get = (key) => {
    area.reads++;
    return get(key);
  };
  return area;
}

test('the settings are read once per worker, and again only after a change', async () => {
  const area = countingArea({ options: { autoSubmit: true } });
  const cached = cachedArea(area);
  const [a, b] = await Promise.all([getOptions(cached), getOptions(cached)]);
  assert.deepEqual(a, { autoSubmit: true, rememberDevice: false });
  assert.deepEqual(b, a);
  await getOptions(cached);
  assert.equal(area.reads, 1, 'one read, however many codes');
  assert.deepEqual(await setOption(cached, 'rememberDevice', true), { autoSubmit: true, rememberDevice: true });
  assert.deepEqual(await getOptions(cached), { autoSubmit: true, rememberDevice: true }, 'a change is read back at once');
  assert.deepEqual(area.items.options, { autoSubmit: true, rememberDevice: true });
});

test('a failed read is not kept: the next one tries again', async () => {
  const area = countingArea({});
  let fail = true;
  const get = area.get;
  area.get = (key) => (fail ? Promise.reject(new Error('closed')) : get(key));
  const cached = cachedArea(area);
  await assert.rejects(cached.get('options'), /closed/);
  fail = false;
  assert.deepEqual(await cached.get('options'), {});
});

test('what a caller does with its answer does not change the next one', async () => {
  const cached = cachedArea(new FakeArea({ options: { autoSubmit: false } }));
  (await cached.get('options')).options = 'changed';
  assert.deepEqual(await cached.get('options'), { options: { autoSubmit: false } });
});
