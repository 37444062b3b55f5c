// What this browser profile told Amazon to trust, and whether that trust was
// lost since. Amazon's "Don't require OTP on this browser" lives in cookies
// and cache: once they are cleared (or Amazon lets it expire) the 2SV page
// comes back, and each new trust adds one more entry on Amazon's side, which
// only "Reset" on Advanced Security Settings removes. The entries cannot be
// listed there, so nidan counts them here: every 2SV submit with the box
// ticked is one more entry, until the user says they reset them.
//
// State (storage.local "trustedDevices", see lib/storage.js):
//   { [account name]: { muted?: true,                   "don't remind me"
//                       marketplaces: { [key]: Entry } } }
//   Entry: { count,          trusts since the last reset (≥ 1; reset deletes the entry)
//            trustedAt,      ms of the latest trust (the DATE the reminder shows)
//            hosts,          sign-in hosts the trusts were given on
//            lostAt?,        ms when the 2SV page came back after a trust: the
//                            entries may be stale from then on
//            snoozedUntil?,  ms: "Not now"
//            pending? }      {host, at, previousAt}: the latest trust, undone if
//                            Amazon refuses that code (it then trusted nothing)
//
// Marketplaces: an entry is per account and marketplace key of the table
// (lib/market.js). A host that several marketplaces list — only
// sellercentral-europe.amazon.com (uk, de, fr, it, es) — counts for the first
// of them, uk: European marketplaces share one Amazon account, so one entry,
// whose Advanced Security Settings are reached on www.amazon.co.uk.
//
// Re-prompt: the 2SV page counts as "asked again" only on a host the trust was
// given on. Cookies are per host, so a first sign-in on another host of the
// same marketplace (Seller Central after the shop) is no sign of a lost trust.
//
// Every function but save() is pure: it returns a new state and leaves its
// input alone.
import { TRUSTED_DEVICES, update } from './storage.js';

// A pending trust older than this is kept even if a refusal follows: the
// refusal is then for a later attempt.
export const PENDING_MS = 15 * 60 * 1000;
// "Not now" hides the reminder and the badge for this long, or until the next
// trust adds an entry.
export const SNOOZE_MS = 7 * 24 * 60 * 60 * 1000;
const MAX_NAME = 256;

const isTime = (v) => Number.isFinite(v) && v >= 0;

export function validAccount(name) {
  return typeof name === 'string' && name !== '' && name.length <= MAX_NAME;
}

// marketplaceOf returns the marketplace key a sign-in host counts for, or null.
export function marketplaceOf(table, host) {
  const found = table.marketplaces.find((m) => m.hosts.includes(host));
  return found ? found.key : null;
}

// approvalUrl is the Advanced Security Settings page of a marketplace: on its
// retail host, the first host of its row in the table.
export function approvalUrl(table, key) {
  const found = table.marketplaces.find((m) => m.key === key);
  return found ? `https://${found.hosts[0]}/a/settings/approval` : null;
}

function normalEntry(raw) {
  if (!raw || typeof raw !== 'object' || !Number.isInteger(raw.count) || raw.count < 1 || !isTime(raw.trustedAt)) return null;
  const entry = {
    count: raw.count,
    trustedAt: raw.trustedAt,
    hosts: Array.isArray(raw.hosts) ? raw.hosts.filter((h) => typeof h === 'string') : [],
  };
  if (isTime(raw.lostAt)) entry.lostAt = raw.lostAt;
  if (isTime(raw.snoozedUntil)) entry.snoozedUntil = raw.snoozedUntil;
  const p = raw.pending;
  if (p && typeof p.host === 'string' && isTime(p.at)) entry.pending = { host: p.host, at: p.at, previousAt: isTime(p.previousAt) ? p.previousAt : null };
  return entry;
}

// normalize turns whatever storage holds into a valid state, dropping what
// does not fit (storage is only as trustworthy as the code that wrote it).
export function normalize(raw) {
  const state = {};
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return state;
  for (const [account, value] of Object.entries(raw)) {
    if (!validAccount(account) || !value || typeof value !== 'object') continue;
    const marketplaces = {};
    for (const [key, entry] of Object.entries(value.marketplaces || {})) {
      const ok = normalEntry(entry);
      if (ok) marketplaces[key] = ok;
    }
    if (value.muted === true) state[account] = { muted: true, marketplaces };
    else if (Object.keys(marketplaces).length) state[account] = { marketplaces };
  }
  return state;
}

function entryOf(state, account, key) {
  return state[account]?.marketplaces[key] ?? null;
}

// withEntry returns a copy of state with one entry replaced (null deletes it);
// accounts left with nothing to remember are dropped.
function withEntry(state, account, key, entry) {
  const old = state[account] ?? { marketplaces: {} };
  const marketplaces = { ...old.marketplaces };
  if (entry) marketplaces[key] = entry;
  else delete marketplaces[key];
  const next = { ...state };
  if (old.muted) next[account] = { muted: true, marketplaces };
  else if (Object.keys(marketplaces).length) next[account] = { marketplaces };
  else delete next[account];
  return next;
}

// trust records one 2SV submit with the remember box ticked.
export function trust(state, { account, marketplace, host, at }) {
  const old = entryOf(state, account, marketplace);
  const entry = {
    count: (old ? old.count : 0) + 1,
    trustedAt: at,
    hosts: old && old.hosts.includes(host) ? old.hosts : [...(old ? old.hosts : []), host],
    pending: { host, at, previousAt: old ? old.trustedAt : null },
  };
  if (old && old.lostAt !== undefined) entry.lostAt = old.lostAt;
  return withEntry(state, account, marketplace, entry);
}

// refused undoes the trust just given on host when Amazon turned its code
// down: the page came back with an error, so Amazon trusted nothing.
export function refused(state, { host, at }) {
  let next = state;
  for (const [account, { marketplaces }] of Object.entries(state)) {
    for (const [key, entry] of Object.entries(marketplaces)) {
      const p = entry.pending;
      if (!p || p.host !== host || at - p.at > PENDING_MS || at < p.at) continue;
      const undone = entry.count > 1 ? { ...entry, count: entry.count - 1, trustedAt: p.previousAt ?? entry.trustedAt } : null;
      if (undone) delete undone.pending;
      next = withEntry(next, account, key, undone);
    }
  }
  return next;
}

// prompted is called when the 2SV page appears (not after a refused code) for
// account on host. It returns the new state and the reminder to show, or
// null: nothing was trusted here since the last reset, reminders are off for
// the account, or snoozed.
export function prompted(state, { account, marketplace, host, at }) {
  const old = entryOf(state, account, marketplace);
  if (!old || !old.hosts.includes(host)) return { state, reminder: null };
  const entry = { ...old, lostAt: at };
  delete entry.pending;
  const next = withEntry(state, account, marketplace, entry);
  const quiet = state[account].muted || (entry.snoozedUntil !== undefined && at < entry.snoozedUntil);
  return { state: next, reminder: quiet ? null : { account, marketplace, count: entry.count, trustedAt: entry.trustedAt } };
}

// reset: the user reset the entries on Amazon; the count starts again at 0.
export function reset(state, { account, marketplace }) {
  return entryOf(state, account, marketplace) ? withEntry(state, account, marketplace, null) : state;
}

export function snooze(state, { account, marketplace, at }) {
  const old = entryOf(state, account, marketplace);
  return old ? withEntry(state, account, marketplace, { ...old, snoozedUntil: at + SNOOZE_MS }) : state;
}

// mute turns reminders off for every marketplace of an account (on: false
// turns them on again). Trusts are still counted meanwhile.
export function mute(state, { account, on = true }) {
  const old = state[account] ?? { marketplaces: {} };
  const next = { ...state };
  if (on) next[account] = { muted: true, marketplaces: old.marketplaces };
  else if (Object.keys(old.marketplaces).length) next[account] = { marketplaces: old.marketplaces };
  else delete next[account];
  return next;
}

// stale lists the entries that may have outlived their trust (the 2SV page
// came back since), in account then marketplace order:
// [{account, marketplace, count, trustedAt, lostAt, muted, snoozed}].
export function stale(state, at) {
  const list = [];
  for (const account of Object.keys(state).sort()) {
    const { muted = false, marketplaces } = state[account];
    for (const key of Object.keys(marketplaces).sort()) {
      const e = marketplaces[key];
      if (e.lostAt === undefined) continue;
      list.push({ account, marketplace: key, count: e.count, trustedAt: e.trustedAt, lostAt: e.lostAt, muted, snoozed: e.snoozedUntil !== undefined && at < e.snoozedUntil });
    }
  }
  return list;
}

// badgeText is what the toolbar icon shows: how many account and marketplace
// pairs need a reset and have not been put off; '' for none.
export function badgeText(state, at) {
  const n = stale(state, at).filter((s) => !s.muted && !s.snoozed).length;
  return n ? String(n) : '';
}

export const ACTIONS = Object.freeze({ reset, snooze, mute });

// save applies change(state) to the state kept in a storage area (the
// background's and the popup's one way to write it) and resolves to the new state.
export function save(area, change) {
  return update(area, TRUSTED_DEVICES, {}, (raw) => change(normalize(raw)));
}
