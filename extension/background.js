// The background: the only place that talks to the nidan host. Content
// scripts message it (lib/handlers.js lists the messages); it answers with
// the origin taken from the sender, never from the message.
import { ask } from './lib/native.js';
import { createSession } from './lib/session.js';
import { createHandler, MESSAGE_TYPES } from './lib/handlers.js';
import { cachedArea, indexedDbArea } from './lib/settings.js';
import { getOptions, OPTIONS, read, TRUST_SUBMIT_PREFIX, TRUSTED_DEVICES } from './lib/storage.js';
import { badgeText, normalize } from './lib/trust.js';

const api = globalThis.browser ?? globalThis.chrome;

// The table ships inside the extension; read once per worker start. One
// handler per worker, even when the first events arrive together: its
// queues are what keep concurrent updates apart.
let handler = null;
const hostSession = createSession();
const settings = cachedArea(indexedDbArea());
function getHandler() {
  handler ??= fetch(api.runtime.getURL('marketplaces.json'))
    .then((response) => response.json())
    .then((table) => {
      const openTab = (url) => api.tabs.create({ url });
      const extension = { id: api.runtime.id, url: api.runtime.getURL('') };
      const sendToTab = (tabId, message, frameId) => Promise.resolve(api.tabs.sendMessage(tabId, message, { frameId })).catch(() => {});
      return createHandler({ ask, hostSession, table, local: api.storage.local, session: api.storage.session, settings, extension, openTab, sendToTab });
    })
    .catch((err) => {
      handler = null;
      throw err;
    });
  return handler;
}

// Only the sign-in pages' content scripts wake this worker: they keep it and
// the host warm while a person is on the e-mail and password pages, and warm
// it again as a sign-in form is sent, while Amazon answers with the 2SV page
// (content/main.js). Not webRequest, which would wake it at the 2SV page's
// request: with that listener an Amazon product page loaded 1-6% slower in
// A/B runs, and a product page must cost nothing (README: Performance).
api.runtime.onMessage.addListener((message, sender, sendResponse) => {
  if (sender.id !== api.runtime.id) return false;
  // Leave other extension pages' messages to their own listeners.
  if (!message || typeof message !== 'object' || !MESSAGE_TYPES.includes(message.type)) return false;
  // A cold worker starts the host while the handler gets ready (the table,
  // storage), not after: the code's request then finds it running. A warm
  // reads the options too, which the 2SV page's code answer carries.
  if (message.type === 'code' || message.type === 'warm') hostSession.warm();
  if (message.type === 'warm') getOptions(settings).catch(() => {});
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

// The 2SV pages write each submit with the box ticked into storage
// themselves (lib/storage.js says why); a write wakes this worker, which
// folds it into the state. Leftovers from a worker that stopped midway are
// folded at start.
const sweepTrusts = () => getHandler().then((handle) => handle.sweepTrusts(), () => {});

api.storage.onChanged.addListener((changes, area) => {
  if (area !== 'local') return;
  if (Object.hasOwn(changes, TRUSTED_DEVICES)) showBadge(changes[TRUSTED_DEVICES].newValue);
  if (Object.entries(changes).some(([key, change]) => key.startsWith(TRUST_SUBMIT_PREFIX) && change.newValue !== undefined)) sweepTrusts();
});
read(api.storage.local, TRUSTED_DEVICES, {}).then(showBadge, () => {});
// Settings left in storage.local by earlier versions may have been set by a
// content script: drop them (lib/settings.js).
api.storage.local.remove(OPTIONS).catch(() => {});
sweepTrusts();
