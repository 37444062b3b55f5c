// The content scripts are classic scripts that share one namespace object,
// globalThis.nidan (manifest.json lists them, in order). loadContent
// evaluates them here as the browser does — each once, in the manifest's
// order, all but content/start.js (which starts the page flow) — and returns
// the namespace: nidan.detect.findMfa, nidan.main.start…
import { readFileSync } from 'node:fs';

const ext = new URL('../../', import.meta.url);
const manifest = JSON.parse(readFileSync(new URL('manifest.json', ext), 'utf8'));

// Advanced Security Settings' list first: it holds the sign-in pages' (a
// subset, manifest.test.js) in their order; then jsQR.
export const CONTENT_SCRIPTS = [...new Set([...manifest.content_scripts[1].js, ...manifest.content_scripts.flatMap((entry) => entry.js)])];

export async function loadContent() {
  for (const file of CONTENT_SCRIPTS) {
    if (file !== 'content/start.js') await import(new URL(file, ext));
  }
  return globalThis.nidan;
}
