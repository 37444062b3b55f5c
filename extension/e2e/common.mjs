// What every part of the end-to-end harness shares: where the repository,
// the binaries, Chromium and the screenshots are, the extension's pinned id
// and the host's name; running a program; cleanups when a test ends and the
// temporary folders they remove.

import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = fileURLToPath(new URL('../..', import.meta.url));
export const EXTENSION_DIR = path.join(REPO, 'extension');
export const NIDAN = path.join(REPO, 'bin', 'nidan');
// The slim host browsers start; `nidan install` points manifests at it.
export const NIDAN_HOST = path.join(REPO, 'bin', 'nidan-host');
export const CHROMIUM = process.env.NIDAN_CHROMIUM || '/usr/bin/chromium';
// Pinned by the manifest's `key`; the host serves no other id.
export const EXTENSION_ID = 'dcdddbcbipkamcfhjaingbomnchlkenp';
export const HOST_NAME = 'dev.nidan.host';
// Where screenshots go: kept after the run so people can look at them.
export const SHOTS_DIR = process.env.NIDAN_E2E_SHOTS || path.join(os.tmpdir(), 'nidan-e2e-shots');
// NIDAN_E2E_KEEP=1 keeps each test's home and profile for debugging.
const KEEP = process.env.NIDAN_E2E_KEEP === '1';

// run starts a program and resolves to its output; a non-zero exit rejects
// with stderr in the message, so a failing CLI step explains itself.
export function run(file, args, { env = {}, input = '', cwd = REPO } = {}) {
  return new Promise((resolve, reject) => {
    const child = execFile(file, args, { cwd, env: { ...process.env, ...env } }, (err, stdout, stderr) => {
      if (err) {
        err.message = `${path.basename(file)} ${args.join(' ')}: ${err.message.trim()}\n${stderr}`;
        reject(err);
        return;
      }
      resolve({ stdout, stderr });
    });
    // A program that exits without reading its input (nidan code) closes
    // the pipe: the write fails with EPIPE, which is no error of the run.
    child.stdin.on('error', () => {});
    child.stdin.end(input);
  });
}

const cleanups = new WeakMap();

// defer runs fn when test t ends, last deferred first: the browser must close
// before its profile folder is removed.
export function defer(t, fn) {
  let stack = cleanups.get(t);
  if (!stack) {
    stack = [];
    cleanups.set(t, stack);
    t.after(async () => {
      while (stack.length) await stack.pop()();
    });
  }
  stack.push(fn);
}

export async function tempDir(t, prefix) {
  const dir = await mkdtemp(path.join(os.tmpdir(), prefix));
  defer(t, () => (KEEP ? t.diagnostic(`kept ${dir}`) : rm(dir, { recursive: true, force: true })));
  return dir;
}

// holdAfterBox puts a script right after the 2SV page's OTP box whose answer
// the test holds back: the browser's parser stops there, in the middle of the
// form (its button and the rest not yet in the page), as when the rest of a
// page is still on its way, until release(). Serve html at the page's URL and
// script at scriptUrl; requested resolves once the browser asked for it.
export function holdAfterBox(html, scriptUrl) {
  let release;
  let asked;
  const held = new Promise((resolve) => (release = resolve));
  const requested = new Promise((resolve) => (asked = resolve));
  const box = html.search(/<input[^>]*id="auth-mfa-otpcode"[^>]*>/);
  const end = html.indexOf('>', box) + 1;
  return {
    html: `${html.slice(0, end)}<script src="${scriptUrl}"></script>${html.slice(end)}`,
    script: async () => {
      asked();
      await held;
      return { body: '', headers: { 'content-type': 'text/javascript' } };
    },
    requested,
    release,
  };
}
