import { test, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { ask, check, classify, HOST_NAME, NativeError } from '../lib/native.js';

afterEach(() => {
  delete globalThis.chrome;
});

function fakeChrome(sendNativeMessage) {
  globalThis.chrome = { runtime: { sendNativeMessage } };
}

const ok = (fields) => ({ ok: true, protocol: 1, version: '0.1.0', ...fields });

test('ask sends to dev.nidan.host and resolves to the response', async () => {
  const calls = [];
  fakeChrome(async (name, request) => {
    calls.push([name, request]);
    return ok({ vault: 'ready', accounts: 2 });
  });
  const response = await ask({ type: 'hello' });
  assert.deepEqual(calls, [[HOST_NAME, { type: 'hello' }]]);
  assert.equal(HOST_NAME, 'dev.nidan.host');
  assert.equal(response.accounts, 2);
});

test('browser failures become host_missing or host_failed', async () => {
  const cases = [
    ['Specified native messaging host not found.', 'host_missing'],
    ['Access to the specified native messaging host is forbidden.', 'host_missing'],
    ['Failed to start native messaging host.', 'host_missing'],
    ['No such native application dev.nidan.host', 'host_missing'],
    ['Native host has exited.', 'host_failed'],
    ['Error when communicating with the native messaging host.', 'host_failed'],
    ['An unexpected error occurred', 'host_failed'],
  ];
  for (const [message, code] of cases) {
    fakeChrome(async () => {
      throw new Error(message);
    });
    await assert.rejects(ask({ type: 'hello' }), (err) => err instanceof NativeError && err.code === code, message);
    assert.equal(classify(message).code, code, `${message} as a string`);
  }
});

test('no native messaging at all is host_missing', async () => {
  await assert.rejects(ask({ type: 'hello' }), { code: 'host_missing' });
});

test('the protocol version is checked before anything else', () => {
  assert.throws(() => check({ ok: true, protocol: 2 }), { code: 'host_too_new' });
  assert.throws(() => check({ ok: true, protocol: 0 }), { code: 'host_too_old' });
  assert.throws(() => check({ ok: true }), { code: 'host_too_old' });
  assert.throws(() => check({ ok: false, protocol: 2, error: { code: 'unknown_type' } }), { code: 'host_too_new' });
  assert.throws(() => check({ ok: true, protocol: '1' }), { code: 'host_too_old' });
  const err = (() => {
    try {
      check({ ok: true, protocol: 7 });
    } catch (e) {
      return e;
    }
  })();
  assert.equal(err.response.protocol, 7, 'the response rides along so the popup can say which protocol');
});

test('garbage answers are host_failed', () => {
  for (const response of [undefined, null, 'x', 42, [], [1]]) {
    assert.throws(() => check(response), { code: 'host_failed' }, JSON.stringify(response));
  }
});

test('protocol errors reject with their code and keep the response', () => {
  const response = { ok: false, protocol: 1, error: { code: 'ambiguous', message: 'several accounts' }, candidates: ['a', 'b'] };
  assert.throws(() => check(response), (err) => err.code === 'ambiguous' && err.message === 'several accounts' && err.response.candidates.length === 2);
  assert.throws(() => check({ ok: false, protocol: 1 }), { code: 'host_failed' });
  assert.throws(() => check({ ok: false, protocol: 1, error: { code: '' } }), { code: 'host_failed' });
});

test('the browser namespace is preferred when present (Firefox)', async () => {
  globalThis.browser = { runtime: { sendNativeMessage: async () => ok({ from: 'browser' }) } };
  fakeChrome(async () => ok({ from: 'chrome' }));
  try {
    assert.equal((await ask({ type: 'hello' })).from, 'browser');
  } finally {
    delete globalThis.browser;
  }
});
