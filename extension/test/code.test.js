import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadContent } from './support/load.js';
const { getCode, MAX_ROLLS } = (await loadContent()).code;

const code = (remaining, name = 'shop') => ({ ok: true, code: '123456', remaining, period: 30, account: { name, label: '' }, options: {} });

// fakes records what the flow did: messages sent, notices shown, chooser
// calls and sleeps, answering sends from the given queue.
function fakes(answers, { pick = null } = {}) {
  const log = { sent: [], shown: [], chosen: [], slept: [], closed: 0 };
  const deps = {
    send: async (message) => {
      log.sent.push(message);
      return answers.length ? answers.shift() : null;
    },
    show: (spec) => {
      log.shown.push(spec.id);
      return { close: () => log.closed++ };
    },
    choose: async (candidates, host) => {
      log.chosen.push([candidates, host]);
      return pick;
    },
    sleep: async (ms) => {
      log.slept.push(ms);
    },
  };
  return { deps, log };
}

test('a code with time left is returned at once', async () => {
  const { deps, log } = fakes([code(20)]);
  assert.equal((await getCode(deps)).code, '123456');
  assert.deepEqual(log.sent, [{ type: 'code', account: undefined }]);
  assert.deepEqual(log.shown, []);
});

test('near the end of the period: wait, say so, ask again', async () => {
  const { deps, log } = fakes([code(2), code(30)]);
  assert.equal((await getCode(deps)).remaining, 30);
  assert.equal(log.sent.length, 2);
  assert.equal(log.slept.length, 1);
  assert.ok(log.slept[0] >= 2000 && log.slept[0] < 3000, String(log.slept[0]));
  assert.deepEqual(log.shown, ['status']);
  assert.equal(log.closed, 1);
});

test('answers that keep ending the period stop after MAX_ROLLS', async () => {
  const { deps, log } = fakes(Array.from({ length: 10 }, () => code(1)));
  assert.ok(await getCode(deps));
  assert.equal(log.sent.length, MAX_ROLLS + 1);
});

test('ambiguous: the chooser picks, and the pick is sent', async () => {
  const ambiguous = { ok: false, error: { code: 'ambiguous' }, candidates: ['a', 'b'], host: 'www.amazon.co.jp' };
  const { deps, log } = fakes([ambiguous, code(20, 'b')], { pick: 'b' });
  assert.equal((await getCode(deps)).account.name, 'b');
  assert.deepEqual(log.chosen, [[['a', 'b'], 'www.amazon.co.jp']]);
  assert.deepEqual(log.sent.at(-1), { type: 'code', account: 'b' });
});

test('ambiguous: closing the chooser fills nothing and asks nothing more', async () => {
  const ambiguous = { ok: false, error: { code: 'ambiguous' }, candidates: ['a', 'b'], host: 'h' };
  const { deps, log } = fakes([ambiguous]);
  assert.equal(await getCode(deps), null);
  assert.equal(log.sent.length, 1);
  assert.deepEqual(log.shown, []);
});

test('failures show one notice; an unreachable background shows none', async () => {
  for (const code of ['host_missing', 'no_account', 'vault_missing', 'ambiguous']) {
    const { deps, log } = fakes([{ ok: false, error: { code }, host: 'h', marketplaces: ['jp'] }]);
    assert.equal(await getCode(deps), null, code);
    assert.deepEqual(log.shown, ['error'], code);
  }
  const { deps, log } = fakes([]);
  assert.equal(await getCode(deps), null);
  assert.deepEqual(log.shown, []);
});

test('the 2SV page: no wait at the period\'s end, the code is had at once', async () => {
  const { deps, log } = fakes([code(1)]);
  const answer = await getCode(deps, undefined, { waitForNext: false });
  assert.equal(answer.remaining, 1);
  assert.equal(answer.asked, undefined);
  assert.equal(typeof answer.receivedAt, 'number');
  assert.deepEqual(log.slept, []);
  assert.deepEqual(log.shown, []);
});

test('an early answer is used while fresh, asked again once stale', async () => {
  const boundary = 1_700_000_010_000; // a multiple of 30 s
  let now = boundary - 10_000;
  const early = { ...code(10), receivedAt: now };
  const fresh = fakes([code(30)]);
  now = boundary - 1;
  fresh.deps.now = () => now;
  assert.equal(await getCode(fresh.deps, undefined, { first: Promise.resolve(early), waitForNext: false }), early);
  assert.deepEqual(fresh.log.sent, [], 'no second request');
  const stale = fakes([code(30)]);
  now = boundary;
  stale.deps.now = () => now;
  assert.equal((await getCode(stale.deps, undefined, { first: Promise.resolve(early), waitForNext: false })).remaining, 30);
  assert.equal(stale.log.sent.length, 1);
  const failed = fakes([]);
  const noHost = { ok: false, error: { code: 'host_missing' }, host: 'h', marketplaces: [] };
  assert.equal(await getCode(failed.deps, undefined, { first: Promise.resolve(noHost) }), null);
  assert.deepEqual(failed.log.shown, ['error']);
});
