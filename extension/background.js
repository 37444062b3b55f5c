// The background: the only place that talks to the nidan host. Content
// scripts message it (lib/handlers.js lists the messages); it answers with
// the origin taken from the sender, never from the message.
import { ask } from './lib/native.js';
import { createHandler, MESSAGE_TYPES } from './lib/handlers.js';
import { read, TRUSTED_DEVICES } from './lib/storage.js';
import { badgeText, normalize } from './lib/trust.js';

const api = globalThis.browser ?? globalThis.chrome;

// The table ships inside the extension; read once per worker start.
let handler = null;
async function getHandler() {
  if (!handler) {
    const table = await (await fetch(api.runtime.getURL('marketplaces.json'))).json();
    const openTab = (url) => api.tabs.create({ url });
    handler = createHandler({ ask, table, local: api.storage.local, session: api.storage.session, openTab });
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

// The toolbar badge counts the trusted-device entries that may be stale
// (lib/trust.js). Whoever writes the state (this worker, the popup), the
// badge follows; on each worker start it is set again, as browsers forget
// it on restart.
const BADGE_COLOR = '#c05621';

function showBadge(state) {
  const text = badgeText(normalize(state), Date.now());
  Promise.all([api.action.setBadgeBackgroundColor({ color: BADGE_COLOR }), api.action.setBadgeText({ text })]).catch(() => {});
}

api.storage.onChanged.addListener((changes, area) => {
  if (area === 'local' && Object.hasOwn(changes, TRUSTED_DEVICES)) showBadge(changes[TRUSTED_DEVICES].newValue);
});
read(api.storage.local, TRUSTED_DEVICES, {}).then(showBadge, () => {});
