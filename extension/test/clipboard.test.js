// popup/clipboard.js: whether a copied code is cleared, offered to be, or
// stays, and what it asks of the browser. The module binds the extension API
// when imported, so a fake chrome is put in place first and reshaped per test.
import { beforeEach, test } from 'node:test';
import assert from 'node:assert/strict';

const chrome = {};
globalThis.chrome = chrome;
const { allowClearing, CLEAR_AFTER_MS, clearLater, CLEARS, MESSAGE_TARGET, OFFER, STAYS } = await import('../popup/clipboard.js');

// fakeChrome: Chromium with the offscreen API, clipboardRead granted or not,
// recording what the module asks for.
function fakeChrome({ granted, answer = true, requestGrants = true }) {
  const calls = [];
  let hasDocument = false;
  Object.assign(chrome, {
    offscreen: {
      hasDocument: async () => hasDocument,
      createDocument: async (options) => {
        calls.push(['createDocument', options.url, options.reasons]);
        hasDocument = true;
      },
    },
    permissions: {
      contains: async ({ permissions }) => permissions.every((p) => p === 'offscreen' || (p === 'clipboardRead' && granted)),
      request: async (request) => {
        calls.push(['request', request]);
        granted = requestGrants;
        return requestGrants;
      },
    },
    runtime: {
      sendMessage: async (message) => {
        calls.push(['sendMessage', message]);
        return answer;
      },
    },
  });
  return calls;
}

beforeEach(() => {
  for (const key of Object.keys(chrome)) delete chrome[key];
});

test('without the offscreen API (Firefox) the code stays, and nothing is offered', async () => {
  chrome.permissions = { contains: async () => true };
  assert.equal(await clearLater('123456'), STAYS);
});

test('without clipboardRead, clearing is offered and nothing is set up', async () => {
  const calls = fakeChrome({ granted: false });
  assert.equal(await clearLater('123456'), OFFER);
  assert.deepEqual(calls, []);
});

test('with clipboardRead, the offscreen document gets the code and when to clear it', async () => {
  const calls = fakeChrome({ granted: true });
  const before = Date.now();
  assert.equal(await clearLater('123456'), CLEARS);
  assert.equal(await clearLater('654321'), CLEARS);
  const created = calls.filter(([name]) => name === 'createDocument');
  assert.deepEqual(created, [['createDocument', 'popup/offscreen.html', ['CLIPBOARD']]], 'one document for both copies');
  const messages = calls.filter(([name]) => name === 'sendMessage').map(([, m]) => m);
  assert.deepEqual(
    messages.map(({ target, code }) => [target, code]),
    [
      [MESSAGE_TARGET, '123456'],
      [MESSAGE_TARGET, '654321'],
    ],
  );
  for (const { clearAt } of messages) assert.ok(clearAt >= before + CLEAR_AFTER_MS && clearAt <= Date.now() + CLEAR_AFTER_MS);
});

test('an offscreen document that does not confirm its timer means the code stays', async () => {
  fakeChrome({ granted: true, answer: null });
  assert.equal(await clearLater('123456'), STAYS);
});

test('a browser call that fails means the code stays, never a throw', async () => {
  fakeChrome({ granted: true });
  chrome.offscreen.createDocument = async () => {
    throw new Error('only one offscreen document');
  };
  assert.equal(await clearLater('123456'), STAYS);
});

test('allowing asks for clipboardRead alone; once granted, copies are cleared', async () => {
  const calls = fakeChrome({ granted: false });
  assert.equal(await allowClearing(), true);
  assert.deepEqual(calls, [['request', { permissions: ['clipboardRead'] }]]);
  assert.equal(await clearLater('123456'), CLEARS);
});

test('a refused or failing request resolves to false', async () => {
  fakeChrome({ granted: false, requestGrants: false });
  assert.equal(await allowClearing(), false);
  assert.equal(await clearLater('123456'), OFFER);
  chrome.permissions.request = async () => {
    throw new Error('This function must be called during a user gesture');
  };
  assert.equal(await allowClearing(), false);
  chrome.permissions.request = () => {
    throw new Error('synchronous refusal');
  };
  assert.equal(await allowClearing(), false);
});
