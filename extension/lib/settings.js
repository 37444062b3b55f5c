// Where nidan's settings (autoSubmit, rememberDevice: lib/storage.js
// getOptions) live, and who may change them.
//
// Not in storage.local: every storage area but session is open to content
// scripts (Firefox has no setAccessLevel for local), so code running in a
// content script's world could switch auto-submit and "Don't require OTP" on
// for every later sign-in. Not in storage.session either: it is cleared when
// the browser closes. The extension origin's IndexedDB is both: it persists,
// and content scripts, which run with the page's origin, cannot open it. Only
// the background reads and writes it, and it takes changes only from the
// options page (settingsPage below), which a page script cannot reach.
//
// Messages (options page → background):
//   {type:'getOptions'}               → {ok:true, options}
//   {type:'setOption', name, value}   → {ok:true, options} | {ok:false, error}

export const SETTINGS_TYPES = Object.freeze(['getOptions', 'setOption']);

// The database and its one object store: key → value, as a storage area.
const DB_NAME = 'nidan-settings';
const STORE = 'settings';

// The page that may change settings, relative to the extension's root
// (manifest.json options_ui.page; a test keeps them equal).
export const SETTINGS_PAGE = 'options/options.html';

// fromSettingsPage tells whether a message's sender is the extension's own
// options page. extensionUrl is runtime.getURL('') (chrome-extension://ID/ or
// moz-extension://UUID/); sender.url is set by the browser for the sending
// frame, so a content script (whose frame is an Amazon page) or the in-page
// panel's frame cannot pass for it.
export function fromSettingsPage(sender, extensionId, extensionUrl) {
  if (!sender || sender.id !== extensionId || typeof sender.url !== 'string' || typeof extensionUrl !== 'string') return false;
  // Compared as text: URL.origin is "null" for chrome-extension: outside
  // Chromium (and in node).
  return extensionUrl.endsWith('/') && sender.url.split(/[?#]/)[0] === `${extensionUrl}${SETTINGS_PAGE}`;
}

// indexedDbArea is a storage area (get(key), set(items)) kept in the
// extension origin's IndexedDB.
export function indexedDbArea(indexedDB = globalThis.indexedDB, name = DB_NAME) {
  let opening = null;
  const open = () => {
    opening ??= new Promise((resolve, reject) => {
      const request = indexedDB.open(name, 1);
      request.onupgradeneeded = () => request.result.createObjectStore(STORE);
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    }).catch((err) => {
      opening = null;
      throw err;
    });
    return opening;
  };
  // transact runs fn on the store and resolves, once the transaction is
  // committed, to the result of the request fn returns (if any).
  const transact = async (mode, fn) => {
    const db = await open();
    return new Promise((resolve, reject) => {
      const tx = db.transaction(STORE, mode);
      const request = fn(tx.objectStore(STORE));
      tx.oncomplete = () => resolve(request ? request.result : undefined);
      tx.onerror = () => reject(tx.error);
      tx.onabort = () => reject(tx.error);
    });
  };
  return {
    async get(key) {
      const value = await transact('readonly', (store) => store.get(key));
      return value === undefined ? {} : { [key]: value };
    },
    set(items) {
      return transact('readwrite', (store) => {
        for (const [key, value] of Object.entries(items)) store.put(value, key);
        return null;
      });
    },
  };
}

// cachedArea keeps what it read from area until it writes the key itself.
// Sound for the settings area only: the background is its one reader and
// writer, through this one object. A worker that wakes reads the options
// once, as it starts (background.js), and not again between the 2SV page
// and its code.
export function cachedArea(area) {
  const values = new Map(); // key → Promise of area.get(key)
  return {
    get(key) {
      if (!values.has(key)) {
        const value = area.get(key);
        values.set(key, value);
        value.catch(() => values.delete(key));
      }
      return values.get(key).then((found) => ({ ...found }));
    },
    async set(items) {
      try {
        return await area.set(items);
      } finally {
        for (const key of Object.keys(items)) values.delete(key);
      }
    },
  };
}
