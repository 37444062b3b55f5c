// The toolbar popup: every account's current code with a countdown, a click
// copies it, a search box filters, and when the host is not usable, what the
// user must run. It asks the host directly (popups may use native messaging)
// and again whenever a code rolls over.
//
// Nothing here may throw into the console: every host failure becomes a
// message in the popup, and every browser call that can refuse is awaited
// inside a try.

import { isSkewed } from '../lib/clock.js';
import { ask } from '../lib/native.js';
import { CLOCK_SKEW_MS, read } from '../lib/storage.js';
import { allowClearing, CLEARS, clearLater, OFFER } from './clipboard.js';
import { browserName, EMPTY_STEPS, expiry, isBound, matches, problem, secondsLeft } from './model.js';
import { showTrust } from './trust.js';

const api = globalThis.browser ?? globalThis.chrome;
const t = (key, ...substitutions) => api.i18n.getMessage(key, substitutions);
const $ = (selector) => document.querySelector(selector);

// rows: one per account, in the host's order, with its DOM and expiry.
let rows = [];
let ticking;
let asking = false;

function localize(root) {
  for (const el of root.querySelectorAll('[data-i18n]')) el.textContent = t(el.dataset.i18n);
  for (const el of root.querySelectorAll('[data-i18n-placeholder]')) el.placeholder = t(el.dataset.i18nPlaceholder);
  for (const el of root.querySelectorAll('[data-i18n-label]')) el.setAttribute('aria-label', t(el.dataset.i18nLabel));
  for (const el of root.querySelectorAll('[data-i18n-title]')) el.title = t(el.dataset.i18nTitle);
}

function toast(text) {
  $('#toast').textContent = text;
}

async function copyText(text) {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    toast(t('popupCopyFailed'));
    return false;
  }
}

async function copyCode(row) {
  const { code, name } = row.account;
  if (!(await copyText(code))) return;
  const state = await clearLater(code);
  const copied = t('popupCopied', name);
  if (state === OFFER) {
    toast(copied);
    offerClearing(code, copied);
    return;
  }
  $('#clear-offer').hidden = true;
  toast(`${copied}\n${t(state === CLEARS ? 'popupClearsLater' : 'popupCannotClear')}`);
}

// offerClearing shows the line that offers to clear copied codes: its button
// asks for the clipboardRead permission on the user's click, and once given,
// the code just copied is cleared too. (Where the browser closes the popup to
// show its question, the next copy is the first one cleared.)
function offerClearing(code, copied) {
  const offer = $('#clear-offer');
  offer.hidden = false;
  offer.querySelector('button').onclick = async () => {
    const granted = await allowClearing();
    offer.hidden = true;
    if (granted && (await clearLater(code)) === CLEARS) toast(`${copied}\n${t('popupClearsLater')}`);
  };
}

function detail(account) {
  const where = account.marketplaces?.length
    ? account.marketplaces.map((m) => m.toUpperCase()).join(' · ')
    : t('popupAllMarketplaces');
  return [account.label || account.issuer, where].filter(Boolean).join(' — ');
}

function makeRow(account, receivedAt) {
  const fragment = $('#account-row').content.cloneNode(true);
  localize(fragment);
  const li = fragment.querySelector('li');
  li.dataset.name = account.name;
  li.querySelector('.name').textContent = account.name;
  li.querySelector('.detail').textContent = detail(account);
  li.querySelector('.code').textContent = account.code;
  li.querySelector('.copy').title = t('popupCopy', account.name);
  li.querySelector('.badge').hidden = account.phone_backup !== false;
  const row = { account, li, expires: expiry(account.period, account.remaining ?? account.period, receivedAt) };
  li.querySelector('.copy').addEventListener('click', () => copyCode(row));
  return row;
}

function showCountdowns(now) {
  for (const { li, account, expires } of rows) {
    const left = secondsLeft(expires, now);
    const seconds = li.querySelector('.seconds');
    seconds.textContent = t('popupSecondsLeft', String(left));
    seconds.setAttribute('aria-label', t('popupSecondsLeftLong', String(left)));
    li.querySelector('.fill').style.transform = `scaleX(${left / account.period})`;
    li.classList.toggle('ending', left <= 5);
  }
}

function applySearch() {
  const query = $('#search').value;
  let shown = 0;
  for (const { li, account } of rows) {
    li.hidden = !matches(account, query);
    if (!li.hidden) shown += 1;
  }
  const empty = $('#empty');
  empty.hidden = shown > 0 || rows.length === 0;
  if (!empty.hidden) empty.textContent = t('popupNoMatch', query.trim());
}

// showUnbound lists the accounts bound to no Amazon site apart: nidan keeps
// them as backups and gives no code for them (host/PROTOCOL.md `bound`).
function showUnbound(accounts) {
  const section = $('#unbound');
  section.hidden = accounts.length === 0;
  if (section.hidden) return;
  section.querySelector('ul').replaceChildren(...accounts.map((account) => {
    const li = document.createElement('li');
    li.dataset.name = account.name;
    const name = document.createElement('span');
    name.className = 'name';
    name.textContent = account.name;
    const who = document.createElement('span');
    who.className = 'detail';
    who.textContent = [account.issuer, account.label].filter(Boolean).join(' — ');
    li.append(name, who);
    return li;
  }));
  showSteps(section.querySelector('.hint'), [{ key: 'popupUnboundHint', commands: ['nidan edit NAME --marketplace jp'] }]);
}

function showAccounts(accounts, receivedAt) {
  rows = accounts.filter(isBound).map((a) => makeRow(a, receivedAt));
  showUnbound(accounts.filter((a) => !isBound(a)));
  $('#accounts').replaceChildren(...rows.map((r) => r.li));
  $('#accounts').hidden = rows.length === 0;
  $('#search').hidden = rows.length === 0;
  $('#problem').hidden = true;
  if (rows.length === 0) {
    showSteps($('#empty'), EMPTY_STEPS);
    $('#empty').hidden = false;
    return;
  }
  applySearch();
  showCountdowns(Date.now());
  if (!document.activeElement || document.activeElement === document.body) $('#search').focus();
}

function showSteps(container, steps) {
  container.replaceChildren();
  for (const { key, commands } of steps) {
    const p = document.createElement('p');
    p.textContent = t(key);
    container.append(p);
    for (const command of commands) {
      const fragment = $('#command-row').content.cloneNode(true);
      localize(fragment);
      fragment.querySelector('code').textContent = command;
      fragment.querySelector('button').addEventListener('click', async () => {
        if (await copyText(command)) toast(t('popupCopiedCommand'));
      });
      container.append(fragment);
    }
  }
}

async function environment() {
  let firefox = '';
  try {
    if (api.runtime.getBrowserInfo) firefox = (await api.runtime.getBrowserInfo()).name;
  } catch {
    firefox = '';
  }
  let os = '';
  try {
    os = (await api.runtime.getPlatformInfo()).os;
  } catch {
    os = '';
  }
  return { browser: browserName(navigator.userAgentData?.brands, firefox), os };
}

async function showProblem(err) {
  rows = [];
  const { title, reason, steps } = problem(err, await environment());
  const box = $('#problem');
  showSteps(box, steps);
  const heading = document.createElement('p');
  heading.className = 'title';
  heading.textContent = t(...title);
  const retry = document.createElement('button');
  retry.type = 'button';
  retry.textContent = t('popupRetry');
  retry.addEventListener('click', refresh);
  if (reason) {
    // The host's own one line (English, as the CLI prints it): which file,
    // and why it does not open.
    const why = document.createElement('p');
    why.className = 'reason';
    why.lang = 'en';
    why.textContent = reason;
    box.prepend(why);
  }
  box.prepend(heading);
  box.append(retry);
  box.hidden = false;
  for (const id of ['#accounts', '#search', '#empty', '#unbound']) $(id).hidden = true;
}

// refresh asks the host for every code and shows them, or the problem.
async function refresh() {
  if (asking) return;
  asking = true;
  try {
    const response = await ask({ type: 'codes' });
    if (!Array.isArray(response.accounts)) throw Object.assign(new Error('no accounts in the answer'), { code: 'host_failed' });
    showAccounts(response.accounts, Date.now());
  } catch (err) {
    await showProblem(err);
  } finally {
    asking = false;
    $('#loading').hidden = true;
  }
  schedule();
}

// tick runs on every whole second: it moves the countdowns and asks the host
// again once any code has rolled over.
function tick() {
  const now = Date.now();
  if (rows.some((r) => r.expires <= now)) {
    refresh();
    return;
  }
  showCountdowns(now);
  schedule();
}

function schedule() {
  clearTimeout(ticking);
  if (rows.length) ticking = setTimeout(tick, 1000 - (Date.now() % 1000));
}

// showClock warns when the background last measured this computer's clock
// off from Amazon's: the first reason codes get refused.
async function showClock() {
  let skewMs = null;
  try {
    skewMs = await read(api.storage.session, CLOCK_SKEW_MS, null);
  } catch {
    return;
  }
  const clock = $('#clock');
  clock.hidden = !isSkewed(skewMs);
  if (!clock.hidden) {
    clock.textContent = `${t('pageClockSkew', String(Math.round(Math.abs(skewMs) / 1000)))}\n${t('pageClockSkewFix')}`;
  }
}

document.documentElement.lang = api.i18n.getUILanguage();
localize(document);
$('#search').addEventListener('input', applySearch);
// Enter copies the first account the search shows: type a few letters, press
// Enter, paste.
$('#search').addEventListener('keydown', (event) => {
  if (event.key !== 'Enter' || event.isComposing) return;
  const first = rows.find((r) => !r.li.hidden);
  if (first) copyCode(first);
});
showClock();
showTrust($('#trust'), { t, localize });
refresh();
