// Clearing a copied code from the clipboard 30 s later, where the browser
// allows it.
//
// The popup closes as soon as the user clicks into the page to paste, so the
// timer cannot live in the popup: on Chromium it lives in an offscreen
// document (offscreen.html), which outlives the popup. "Only if it still
// holds the code" means reading the clipboard first, which needs the
// clipboardRead permission. Without that permission or without the offscreen
// API (Firefox), clearLater returns false and the popup says that the code
// stays on the clipboard: nidan never pretends to clear it.

const api = globalThis.browser ?? globalThis.chrome;

export const CLEAR_AFTER_MS = 30_000;
export const MESSAGE_TARGET = 'nidan-clipboard';
const DOCUMENT = 'popup/offscreen.html';

async function canClear() {
  if (!api.offscreen || !api.permissions) return false;
  return api.permissions.contains({ permissions: ['offscreen', 'clipboardRead'] });
}

// clearLater arranges for the clipboard to be cleared CLEAR_AFTER_MS from now
// if it then still holds code, and resolves to whether it could.
export async function clearLater(code) {
  try {
    if (!(await canClear())) return false;
    if (!(await api.offscreen.hasDocument())) {
      await api.offscreen.createDocument({
        url: DOCUMENT,
        reasons: ['CLIPBOARD'],
        justification: 'Clear a copied two-step verification code from the clipboard after 30 seconds.',
      });
    }
    // The offscreen document answers true once its timer is set.
    return (await api.runtime.sendMessage({ target: MESSAGE_TARGET, code, clearAt: Date.now() + CLEAR_AFTER_MS })) === true;
  } catch {
    return false;
  }
}
