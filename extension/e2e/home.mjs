// nidan's side of the end-to-end harness: building bin/nidan and
// bin/nidan-host, TOTP keys shaped as Amazon shows them, a nidan home with a
// real vault (Home), and the native-messaging host manifests and the
// host-counting wrapper that launch writes into a Chromium profile.

import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { EXTENSION_ID, HOST_NAME, NIDAN, NIDAN_HOST, run, tempDir } from './common.mjs';

let building;

// buildNidan builds bin/nidan and bin/nidan-host once per test process (go's
// cache makes the later processes of a run cheap).
export function buildNidan() {
  building ??= Promise.all([
    run('go', ['build', '-o', NIDAN, './host']),
    run('go', ['build', '-o', NIDAN_HOST, './host/nativehost']),
  ]);
  return building;
}

// randomSecret returns a fresh TOTP key shaped as Amazon shows it under
// "Can't scan the barcode?": 32 random bytes as 52 Base32 characters, in
// lowercase groups of four.
export function randomSecret() {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz234567';
  let chars = '';
  let value = 0;
  let bits = 0;
  for (const byte of randomBytes(32)) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      chars += alphabet[(value >>> bits) & 31];
    }
    value &= (1 << bits) - 1;
  }
  chars += alphabet[(value << (5 - bits)) & 31];
  return chars.match(/.{1,4}/g).join(' ');
}

// A nidan home: NIDAN_HOME for the CLI and for the host the browser starts.
export class Home {
  constructor(dir) {
    this.dir = dir;
  }

  // create makes a fresh home (mode 0700, as nidan requires), initialised
  // unless init is false, with the given accounts added:
  // [{name, secret?, marketplaces?: ['jp']}]. Each account's secret is kept
  // in home.secrets for tests that need it (e.g. enrolment).
  static async create(t, { init = true, accounts = [] } = {}) {
    await buildNidan();
    const home = new Home(await tempDir(t, 'nidan-home-'));
    home.secrets = new Map();
    if (init) await home.nidan(['init']);
    for (const account of accounts) await home.add(account.name, account);
    return home;
  }

  nidan(args, { input = '' } = {}) {
    return run(NIDAN, args, { env: { NIDAN_HOME: this.dir }, input });
  }

  async add(name, { secret = randomSecret(), marketplaces } = {}) {
    const args = ['add', name];
    if (marketplaces) args.push('--marketplace', marketplaces.join(','));
    await this.nidan(args, { input: `${secret}\n` });
    this.secrets.set(name, secret);
    return secret;
  }

  async code(name) {
    const { stdout } = await this.nidan(['code', name]);
    return stdout.trim();
  }

  // expectCode reads a value (a field, a popup cell) between two runs of
  // `nidan code NAME` and asserts it equals one of them: the code of the
  // current step or, across a rollover, of the adjacent one.
  async expectCode(name, read) {
    const before = await this.code(name);
    const value = await read();
    const after = await this.code(name);
    assert.ok(value === before || value === after, `${name}: read ${value}, nidan code gave ${before} then ${after}`);
    return value;
  }
}

// A shell wrapper around bin/nidan-host that appends one line per start to a
// file and a copy of every request frame to another, so a test can tell
// whether and what the browser asked the host. (Test accounts only: an
// enrol request's key would be copied too, into the test's temporary folder.)
export async function writeCountingWrapper(dir) {
  const wrapper = path.join(dir, 'nidan-counted');
  const starts = path.join(dir, 'host-starts');
  const requests = path.join(dir, 'host-requests');
  const quote = (s) => `'${s.replaceAll("'", "'\\''")}'`;
  const script = `#!/bin/sh\necho "$*" >> ${quote(starts)}\ntee -a ${quote(requests)} | ${quote(NIDAN_HOST)} "$@"\n`;
  await writeFile(wrapper, script);
  await chmod(wrapper, 0o755);
  return { wrapper, starts, requests };
}

export async function writeHostManifest(userDataDir, hostPath) {
  const dir = path.join(userDataDir, 'NativeMessagingHosts');
  await mkdir(dir, { recursive: true });
  const manifest = {
    name: HOST_NAME,
    description: 'nidan (end-to-end test)',
    path: hostPath,
    type: 'stdio',
    allowed_origins: [`chrome-extension://${EXTENSION_ID}/`],
  };
  await writeFile(path.join(dir, `${HOST_NAME}.json`), JSON.stringify(manifest, null, 2));
}
