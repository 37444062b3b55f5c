// The popup's list of trusted-device entries that may be stale (issue 6):
// the accounts and marketplaces where this browser was trusted, Amazon asked
// for a code again since, and Amazon may still list the old entries. Each has
// the page reminder's actions. The popup writes the state itself (through
// lib/trust.js); the background redraws the badge from the storage change.

import { formatDate } from './model.js';
import { TRUSTED_DEVICES, read } from '../lib/storage.js';
import { ACTIONS, approvalUrl, normalize, save, stale } from '../lib/trust.js';

const api = globalThis.browser ?? globalThis.chrome;

let table;

async function marketplaces() {
  table ??= await (await fetch(api.runtime.getURL('marketplaces.json'))).json();
  return table;
}

function marketName(key) {
  const found = table.marketplaces.find((m) => m.key === key);
  if (!found) return key;
  return api.i18n.getUILanguage().startsWith('ja') ? found.name_ja : found.name;
}

// entriesToShow are the stale entries the badge counts: not muted, not put off.
async function entriesToShow() {
  const state = normalize(await read(api.storage.local, TRUSTED_DEVICES, {}));
  return stale(state, Date.now()).filter((e) => !e.muted && !e.snoozed);
}

async function act(action, entry) {
  if (action === 'open') {
    await api.tabs.create({ url: approvalUrl(table, entry.marketplace) });
    return;
  }
  const change = ACTIONS[action];
  await save(api.storage.local, (state) =>
    change(state, { account: entry.account, marketplace: entry.marketplace, at: Date.now() }),
  );
}

// showTrust fills section (a #trust element) and keeps it current after each
// action. t is the popup's message function, localize its markup filler.
export async function showTrust(section, { t, localize }) {
  let entries;
  try {
    await marketplaces();
    entries = await entriesToShow();
  } catch {
    section.hidden = true;
    return;
  }
  const list = section.querySelector('ul');
  list.replaceChildren();
  for (const entry of entries) {
    const fragment = section.ownerDocument.getElementById('trust-row').content.cloneNode(true);
    localize(fragment);
    const li = fragment.querySelector('li');
    li.dataset.account = entry.account;
    li.dataset.marketplace = entry.marketplace;
    li.querySelector('.where').textContent = `${entry.account} — ${marketName(entry.marketplace)}`;
    li.querySelector('.what').textContent = t('popupTrustEntry', String(entry.count), formatDate(entry.trustedAt, api.i18n.getUILanguage()));
    for (const button of li.querySelectorAll('button[data-action]')) {
      button.addEventListener('click', async () => {
        try {
          await act(button.dataset.action, entry);
        } catch {
          return;
        }
        if (button.dataset.action !== 'open') await showTrust(section, { t, localize });
      });
    }
    list.append(li);
  }
  section.hidden = entries.length === 0;
}
