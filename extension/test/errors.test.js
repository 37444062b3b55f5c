import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadContent } from './support/load.js';
const { noticeFor } = (await loadContent()).errors;
const { trusted } = (await loadContent()).panel;

test('each failure tells what to run', () => {
  const cases = [
    [{ error: { code: 'host_missing' } }, 'errHostMissing', 'nidan install'],
    [{ error: { code: 'host_failed' } }, 'errHostFailed', 'nidan doctor'],
    [{ error: { code: 'host_too_old' }, protocol: 0 }, 'errHostTooOld', undefined],
    [{ error: { code: 'host_too_new' }, protocol: 2 }, 'errHostTooNew', undefined],
    [{ error: { code: 'no_account' }, host: 'www.amazon.co.jp', marketplaces: ['jp'] }, 'errNoAccount', 'nidan add --marketplace jp'],
    [{ error: { code: 'no_account' }, host: 'sellercentral-europe.amazon.com', marketplaces: ['uk', 'de'] }, 'errNoAccount', 'nidan add --marketplace uk,de'],
    [{ error: { code: 'vault_missing' } }, 'errVaultMissing', 'nidan init'],
    [{ error: { code: 'vault_unreadable' } }, 'errVaultUnreadable', 'nidan doctor'],
    [{ error: { code: 'not_a_device' }, device_key: 'age1abc' }, 'errNotADevice', 'nidan devices add age1abc --name NAME'],
    [{ error: { code: 'internal' } }, 'errOther', 'nidan doctor'],
    [{ error: { code: 'forbidden_caller' } }, 'errOther', 'nidan doctor'],
    [null, 'errOther', 'nidan doctor'],
  ];
  for (const [answer, title, command] of cases) {
    const spec = noticeFor(answer);
    // Outside a browser t() returns the key, which is what is checked here.
    assert.equal(spec.title, title, JSON.stringify(answer));
    assert.equal(spec.command, command, JSON.stringify(answer));
    assert.ok(spec.id && spec.kind);
  }
});

test('panel buttons ignore synthetic clicks', () => {
  let clicks = 0;
  const listener = trusted(() => clicks++);
  listener(new Event('click'));
  assert.equal(clicks, 0, 'an event dispatched by script is not trusted');
  let prevented = false;
  listener({ isTrusted: true, preventDefault: () => (prevented = true), stopPropagation() {} });
  assert.equal(clicks, 1);
  assert.ok(prevented);
});
