// Clearing a copied code from the clipboard 30 s later, where the browser
// allows it.
//
// The popup closes as soon as the user clicks into the page to paste, so the
// timer cannot live in the popup: on Chromium it lives in an offscreen
// document (offscreen.html), which outlives the popup. "Only if it still
// holds the code" means reading the clipboard first, which needs the
// clipboardRead permission. That one is optional: required, it would make the
// browser warn at install that nidan reads what the user copies. So the popup
// offers it after a copy, and asks for it only on the user's click. Without
// the offscreen API (Firefox) nothing can clear it, and the popup says that
// the code stays on the clipboard: nidan never pretends to clear it.

const api = globalThis.browser ?? globalThis.chrome;

export const CLEAR_AFTER_MS = 30_000;
export const MESSAGE_TARGET = 'nidan-clipboard';
const DOCUMENT = 'popup/offscreen.html';
const READ = { permissions: ['clipboardRead'] };

// What happens to a copied code: CLEARS, cleared CLEAR_AFTER_MS later if the
// clipboard still holds it; OFFER, it stays, but would be cleared once the
// user grants clipboardRead; STAYS, this browser offers no way to clear it.
export const CLEARS = 'clears';
export const OFFER = 'offer';
export const STAYS = 'stays';

async function clearing() {
  if (!api.offscreen || !api.permissions) return STAYS;
  return (await api.permissions.contains({ permissions: ['offscreen', ...READ.permissions] })) ? CLEARS : OFFER;
}

// clearLater arranges for the clipboard to be cleared CLEAR_AFTER_MS from now
// if it then still holds code, and resolves to CLEARS when it could, else to
// OFFER or STAYS.
export async function clearLater(code) {
  try {
    const state = await clearing();
    if (state !== CLEARS) return state;
    if (!(await api.offscreen.hasDocument())) {
      await api.offscreen.createDocument({
        url: DOCUMENT,
        reasons: ['CLIPBOARD'],
        justification: 'Clear a copied two-step verification code from the clipboard after 30 seconds.',
      });
    }
    // The offscreen document answers true once its timer is set.
    const set = await api.runtime.sendMessage({ target: MESSAGE_TARGET, code, clearAt: Date.now() + CLEAR_AFTER_MS });
    return set === true ? CLEARS : STAYS;
  } catch {
    return STAYS;
  }
}

// allowClearing asks the user for clipboardRead and resolves to whether it
// was granted. Browsers show the request only during a user gesture: call it
// straight from a click handler, before any await.
export function allowClearing() {
  try {
    return api.permissions.request(READ).then(
      (granted) => granted === true,
      () => false,
    );
  } catch {
    return Promise.resolve(false);
  }
}
