// The background's side of the in-page panel (lib/panel.js): notices handed
// over by content scripts, read only by nidan's panel frame in the same tab,
// and the frame's acts relayed back to the frame that opened the notice.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createHandler } from '../lib/handlers.js';
import { FakeArea, fakeHost } from './support/fakes.js';

const table = JSON.parse(readFileSync(new URL('../marketplaces.json', import.meta.url), 'utf8'));
const page = { id: 'ext', url: 'https://www.amazon.co.jp/ap/mfa', frameId: 0, tab: { id: 7, url: 'https://www.amazon.co.jp/ap/mfa' } };
const frame = (token, tabId = 7, url = `chrome-extension://0a1b2c3d-dynamic/panel/panel.html#${token}`) => ({ id: 'ext', url, frameId: 3, tab: { id: tabId } });
const SPEC = { id: 'chooser', title: 'Which account?', buttons: [{ action: 'choose', label: 'shop-a', account: 'shop-a' }] };

function setup() {
  const relayed = [];
  const session = new FakeArea();
  const handle = createHandler({
    ask: fakeHost(() => ({})).ask, table, local: new FakeArea(), session, settings: new FakeArea(),
    extension: { id: 'ext', url: 'chrome-extension://ext/' },
    sendToTab: async (tabId, message, frameId) => relayed.push({ tabId, message, frameId }),
  });
  return { handle, relayed, session };
}

test('a notice goes from the content script to the panel frame of its tab, and its acts back', async () => {
  const { handle, relayed, session } = setup();
  const { ok, token } = await handle({ type: 'panelOpen', spec: SPEC }, page);
  assert.equal(ok, true);
  assert.match(token, /^[0-9a-f-]{36}$/);
  assert.deepEqual(await handle({ type: 'panelSpec', token }, frame(token)), { ok: true, spec: SPEC });
  assert.deepEqual(await handle({ type: 'panelEvent', token, kind: 'click', index: 0, x: 10, y: 20, evil: 1 }, frame(token)), { ok: true });
  assert.deepEqual(relayed, [{ tabId: 7, frameId: 0, message: { type: 'nidanPanel', token, kind: 'click', index: 0, x: 10, y: 20 } }]);
  await handle({ type: 'panelEvent', token, kind: 'close' }, frame(token));
  assert.deepEqual(session.items, {}, 'closed: forgotten');
});

test('only nidan\'s panel frame in the same tab reads a notice or acts on it', async () => {
  const { handle, relayed } = setup();
  const { token } = await handle({ type: 'panelOpen', spec: SPEC }, page);
  for (const sender of [
    page, // the content script itself
    frame(token, 8), // the panel page in another tab
    frame(token, 7, 'chrome-extension://ext/options/options.html'),
    frame(token, 7, 'https://www.amazon.co.jp/panel/panel.html'),
    { ...frame(token), id: 'other' },
    { ...frame(token), tab: undefined },
  ]) {
    for (const message of [{ type: 'panelSpec', token }, { type: 'panelEvent', token, kind: 'click', index: 0 }]) {
      assert.equal((await handle(message, sender)).error.code, 'forbidden_origin', `${message.type} from ${JSON.stringify(sender)}`);
    }
  }
  assert.equal((await handle({ type: 'panelSpec', token: 'guessed' }, frame('guessed'))).error.code, 'forbidden_origin');
  assert.deepEqual(relayed, []);
  // Notices come from Amazon sign-in pages only.
  assert.equal((await handle({ type: 'panelOpen', spec: SPEC }, { id: 'ext', url: 'https://evil.example/', tab: { id: 7 } })).error.code, 'forbidden_origin');
  assert.equal((await handle({ type: 'panelOpen', spec: { text: 'x'.repeat(20_000) } }, page)).error.code, 'bad_request');
});
