// The offscreen document that clears a copied code from the clipboard once
// its time is up, if the clipboard still holds it (see clipboard.js). An
// offscreen document is never focused, so the async Clipboard API refuses;
// execCommand through a textarea works here with the clipboardRead and
// clipboardWrite permissions. It closes itself when done.

import { MESSAGE_TARGET } from './clipboard.js';

const api = globalThis.browser ?? globalThis.chrome;
let timer;

function clipboardText() {
  const area = document.getElementById('clipboard');
  area.value = '';
  area.focus();
  document.execCommand('paste');
  return area.value;
}

function emptyClipboard() {
  document.addEventListener(
    'copy',
    (event) => {
      event.clipboardData.setData('text/plain', '');
      event.preventDefault();
    },
    { once: true },
  );
  document.execCommand('copy');
}

api.runtime.onMessage.addListener((message, _sender, sendResponse) => {
  if (message?.target !== MESSAGE_TARGET) return;
  sendResponse(true);
  // A newer copy replaces the pending one: the clipboard now holds that code.
  clearTimeout(timer);
  timer = setTimeout(() => {
    // execCommand fails silently: check, and try once more.
    for (let tries = 0; tries < 2 && clipboardText() === message.code; tries++) emptyClipboard();
    window.close();
  }, Math.max(0, message.clearAt - Date.now()));
});
