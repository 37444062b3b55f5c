// The background's side of the in-page panel (content/panel.js): a content
// script hands over a notice, the panel frame (panel/panel.html, of the
// extension's origin) fetches it by its token, and the frame's acts go back to
// that content script. The notice's text — account names among it — so
// never passes through the page. Notices wait in storage.session, which
// content scripts cannot read.
//
//   {type:'panelOpen', spec}            content script → {ok:true, token}
//   {type:'panelSpec', token}           panel frame    → {ok:true, spec}
//   {type:'panelEvent', token, kind, index?, value?, checked?, x?, y?}
//                                       panel frame    → {ok:true}; relayed to the content
//                                       script as {type:'nidanPanel', token, …}

export const PANEL_TYPES = Object.freeze(['panelOpen', 'panelSpec', 'panelEvent']);
export const PANEL_PAGE = 'panel/panel.html';
const PREFIX = 'panel:';
const MAX_SPEC = 16 * 1024;
const KINDS = ['close', 'click', 'check', 'size'];

// fromPanelFrame tells whether sender is nidan's panel page in a tab. Its URL
// is per session in Chromium (use_dynamic_url), so only the origin's scheme
// and the path are checked, with the extension id the browser vouches for.
export function fromPanelFrame(sender, extensionId) {
  return Boolean(sender && sender.id === extensionId && sender.tab && typeof sender.url === 'string' &&
    /^(?:chrome|moz)-extension:\/\/[^/]+\/panel\/panel\.html(?:[?#]|$)/.test(sender.url));
}

const bad = (message) => ({ ok: false, error: { code: 'bad_request', message } });

// createPanelHandler returns handle(message, sender) for PANEL_TYPES.
// panelOpen comes from a content script whose origin the caller checked.
// deps: {session, extensionId, sendToTab(tabId, message, frameId), newToken}.
export function createPanelHandler({ session, extensionId, sendToTab, newToken = () => crypto.randomUUID() }) {
  async function entry(message, sender) {
    if (!fromPanelFrame(sender, extensionId) || typeof message.token !== 'string') return null;
    const key = PREFIX + message.token;
    const found = (await session.get(key))[key];
    // The frame must sit in the tab that opened the notice.
    return found && found.tabId === sender.tab.id ? { key, ...found } : null;
  }

  return async function handle(message, sender) {
    if (message.type === 'panelOpen') {
      const tabId = sender && sender.tab && sender.tab.id;
      if (!Number.isInteger(tabId) || !message.spec || typeof message.spec !== 'object') return bad('a notice from a tab');
      if (JSON.stringify(message.spec).length > MAX_SPEC) return bad('notice too large');
      const token = newToken();
      await session.set({ [PREFIX + token]: { spec: message.spec, tabId, frameId: sender.frameId ?? 0 } });
      return { ok: true, token };
    }
    const found = await entry(message, sender);
    if (!found) return { ok: false, error: { code: 'forbidden_origin', message: 'not nidan\'s panel frame' } };
    if (message.type === 'panelSpec') return { ok: true, spec: found.spec };
    if (!KINDS.includes(message.kind)) return bad('unknown kind');
    const relay = { type: 'nidanPanel', token: message.token, kind: message.kind };
    for (const field of ['index', 'x', 'y', 'height']) if (Number.isFinite(message[field])) relay[field] = message[field];
    if (typeof message.value === 'string') relay.value = message.value.slice(0, 256);
    if (typeof message.checked === 'boolean') relay.checked = message.checked;
    await sendToTab(found.tabId, relay, found.frameId);
    if (message.kind === 'close') await session.remove(found.key);
    return { ok: true };
  };
}
