// lib/session.js: one host process for many requests, with sendNativeMessage's failures.
import { test, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { createSession } from '../lib/session.js';
import { HOST_NAME } from '../lib/native.js';

afterEach(() => {
  delete globalThis.chrome;
});

const ok = (fields) => ({ ok: true, protocol: 1, version: '0.1.0', ...fields });

// fakeHost installs chrome.runtime.connectNative; answer(request) → response
// or undefined (no answer yet). Returns what it saw.
function fakeHost(answer) {
  const seen = { connects: 0, requests: [], ports: [] };
  globalThis.chrome = {
    runtime: {
      lastError: undefined,
      connectNative(name) {
        assert.equal(name, HOST_NAME);
        seen.connects++;
        const listeners = { message: [], disconnect: [] };
        const port = {
          onMessage: { addListener: (fn) => listeners.message.push(fn) },
          onDisconnect: { addListener: (fn) => listeners.disconnect.push(fn) },
          postMessage(request) {
            seen.requests.push(request);
            const response = answer(request);
            if (response) queueMicrotask(() => listeners.message.forEach((fn) => fn({ ...response, id: request.id })));
          },
          disconnect() {
            port.closed = true;
          },
          drop(message) {
            globalThis.chrome.runtime.lastError = { message };
            listeners.disconnect.forEach((fn) => fn(port));
            globalThis.chrome.runtime.lastError = undefined;
          },
        };
        seen.ports.push(port);
        return port;
      },
    },
  };
  return seen;
}

const manualTimers = () => {
  const list = [];
  return { list, setTimeout: (fn) => list.push(fn), clearTimeout: () => {} };
};

test('one host process answers request after request; warm starts it before the first', async () => {
  const seen = fakeHost((r) => ok({ code: '123456', type: r.type }));
  const session = createSession({ timers: manualTimers() });
  session.warm();
  assert.equal(seen.connects, 1);
  const [a, b] = await Promise.all([session.ask({ type: 'code', origin: 'https://www.amazon.co.jp' }), session.ask({ type: 'hello' })]);
  assert.equal(a.code, '123456');
  assert.equal(b.type, 'hello');
  assert.equal(seen.connects, 1);
  assert.deepEqual(seen.requests.map((r) => r.type), ['code', 'hello']);
  assert.notEqual(seen.requests[0].id, seen.requests[1].id);
});

test('idle: the session closes, and the next request opens a new one', async () => {
  const seen = fakeHost(() => ok({}));
  const timers = manualTimers();
  const session = createSession({ timers });
  await session.ask({ type: 'hello' });
  timers.list.at(-1)();
  assert.equal(seen.ports[0].closed, true);
  await session.ask({ type: 'hello' });
  assert.equal(seen.connects, 2);
});

test('warm keeps an open session from closing', async () => {
  const seen = fakeHost(() => ok({}));
  const live = new Map();
  let next = 0;
  const timers = { setTimeout: (fn) => (live.set(++next, fn), next), clearTimeout: (id) => live.delete(id) };
  const session = createSession({ timers });
  session.warm();
  session.warm();
  assert.equal(seen.connects, 1);
  assert.equal(live.size, 1, 'one idle timer, started again');
  [...live.values()][0]();
  assert.equal(seen.ports[0].closed, true, 'closed idleMs after the last warm');
});

test('a missing or crashing host fails as sendNativeMessage would; protocol errors too', async () => {
  const seen = fakeHost(() => undefined);
  const session = createSession({ timers: manualTimers() });
  const missing = session.ask({ type: 'code' });
  seen.ports[0].drop('Specified native messaging host not found.');
  await assert.rejects(missing, { code: 'host_missing' });
  const crashed = session.ask({ type: 'code' });
  assert.equal(seen.connects, 2, 'a new session after the drop');
  seen.ports[1].drop('Native host has exited.');
  await assert.rejects(crashed, { code: 'host_failed' });

  fakeHost(() => ({ ok: false, protocol: 1, error: { code: 'no_account', message: 'none' } }));
  await assert.rejects(createSession({ timers: manualTimers() }).ask({ type: 'code' }), { code: 'no_account' });
  fakeHost(() => ({ ok: true, protocol: 9 }));
  await assert.rejects(createSession({ timers: manualTimers() }).ask({ type: 'code' }), { code: 'host_too_new' });
  delete globalThis.chrome;
  await assert.rejects(createSession().ask({ type: 'code' }), { code: 'host_missing' });
});
