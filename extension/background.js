// The background: the only place that talks to the nidan host. Content
// scripts message it (lib/handlers.js lists the messages); it answers with
// the origin taken from the sender, never from the message.
import { ask } from './lib/native.js';
import { createHandler, MESSAGE_TYPES } from './lib/handlers.js';

const api = globalThis.browser ?? globalThis.chrome;

// The table ships inside the extension; read once per worker start.
let handler = null;
async function getHandler() {
  if (!handler) {
    const table = await (await fetch(api.runtime.getURL('marketplaces.json'))).json();
    handler = createHandler({ ask, table, local: api.storage.local, session: api.storage.session });
  }
  return handler;
}

api.runtime.onMessage.addListener((message, sender, sendResponse) => {
  if (sender.id !== api.runtime.id) return false;
  // Leave other extension pages' messages to their own listeners.
  if (!message || typeof message !== 'object' || !MESSAGE_TYPES.includes(message.type)) return false;
  getHandler()
    .then((handle) => handle(message, sender))
    .then(
      (answer) => sendResponse(answer ?? undefined),
      (err) => sendResponse({ ok: false, error: { code: 'internal', message: String(err && err.message) } }),
    );
  return true;
});
