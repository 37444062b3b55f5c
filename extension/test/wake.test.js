import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { wakeFilter } from '../lib/wake.js';

const manifest = JSON.parse(readFileSync(new URL('../manifest.json', import.meta.url)));

// A Chrome match pattern's path part, as a RegExp (the host part is literal here).
const matches = (pattern, url) => {
  const [, origin, path] = /^(https:\/\/[^/]+)(\/.*)$/.exec(pattern);
  const u = new URL(url);
  return u.origin === origin && new RegExp(`^${path.replace(/[.?+^$()[\]{}|\\]/g, '\\$&').replace(/\*/g, '.*')}$`).test(u.pathname + u.search);
};

test('the requests that wake the background: the pages that start the host, on every sign-in host', () => {
  const filter = wakeFilter(manifest.content_scripts[0].matches);
  const hosts = new Set(manifest.content_scripts[0].matches.map((m) => new URL(m.replace('*', 'x')).host));
  assert.equal(filter.length, hosts.size * 3);
  const wakes = (url) => filter.some((pattern) => matches(pattern, url));
  for (const host of hosts) {
    for (const path of ['/ap/signin', '/ap/signin?openid.return_to=x', '/ap/mfa?ie=UTF8', '/ax/claim/signin?x=1']) {
      assert.ok(wakes(`https://${host}${path}`), `${host}${path}`);
    }
    for (const path of ['/ap/forgotpassword', '/ap/register', '/ap/cvf/request', '/dp/B0TEST', '/a/settings/approval']) {
      assert.ok(!wakes(`https://${host}${path}`), `${host}${path}`);
    }
  }
});
