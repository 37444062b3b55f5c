// What the background does for the content scripts. Content scripts cannot
// use native messaging, so they send the messages below to the background,
// which asks the host. The origin sent to the host is always the sender's
// (the URL the browser reports for the sending frame), never a field of the
// message: a compromised page cannot ask for another site's code.
//
// Messages (content → background) and answers:
//   {type:'warm'}                 → {ok:true}           a sign-in page started: open the host
//                                   session (lib/session.js) the 2SV page's code will come through
//   {type:'signinEmail', email}   → {ok:true}           remember the typed e-mail
//   {type:'code', account?}       → {ok:true, code, remaining, period, account:{name,label}, options}
//                                 | {ok:false, error:{code,message}, host, marketplaces, candidates?, protocol?, device_key?}
//                                   `account` is set only after the user picked it in the chooser
//   {type:'filled', expiresAt?}   → {ok:true}           nidan filled a code on this host, good
//                                   until expiresAt (ms; it replaces it when the period rolls)
//   {type:'refused'}              → {ok:true, filledByNidan, expired}  Amazon refused a code: was
//                                   it nidan's, and had it expired in the box?
//   {type:'clock'}                → {ok:true, skewMs, skewed}  Amazon's clock minus ours (null if
//                                   unknown); skewed when off by more than SKEW_LIMIT_MS
//   {type:'prompted', account}    → {ok:true, reminder: {account, marketplace, marketplaceName,
//                                   marketplaceNameJa, approvalUrl, count, trustedAt} | null}
//                                   the 2SV page is shown (not after a refused code): was this
//                                   account trusted here before? (lib/trust.js)
//   {type:'trustAction', action:'reset'|'snooze'|'mute', account, marketplace}
//                                 → {ok:true}           the reminder's buttons
//   {type:'openApproval', marketplace} → {ok:true}      opens that marketplace's Advanced
//                                   Security Settings in a new tab
//   {type:'trustList'}            → {ok:true, entries: [{account, marketplace, count}]}
//                                   the sender's marketplace's entries that may be stale and are
//                                   not muted (for the Advanced Security Settings page)
//   {type:'enroll', secret, name?}, {type:'phoneBackup', account, value}
//                                   enrolment from Amazon's authenticator-app setup page (lib/enroll.js)
//   {type:'panelOpen', spec}, and from the panel frame {type:'panelSpec'|'panelEvent', token, …}
//                                   the in-page panel (lib/panel.js)
//   {type:'getOptions'}, {type:'setOption', name, value}
//                                   from the options page only (lib/settings.js): the settings
//                                   are read from where content scripts cannot write
import { choiceFor, withChoice, withoutChoice } from './choice.js';
import { isSkewed, measureSkew } from './clock.js';
import { createEnrollHandler, ENROLL_TYPES } from './enroll.js';
import { marketplacesOf, signinOrigin } from './market.js';
import { createPanelHandler, PANEL_TYPES } from './panel.js';
import { fromSettingsPage, SETTINGS_TYPES } from './settings.js';
import * as store from './storage.js';
import * as trust from './trust.js';

// A refusal counts as nidan's when nidan filled on that host this recently.
export const FILLED_WINDOW_MS = 15 * 60 * 1000;
// How long a clock measurement is reused before Amazon is asked again.
export const CLOCK_TTL_MS = 10 * 60 * 1000;
const MAX_EMAIL = 320;

export const MESSAGE_TYPES = Object.freeze(['warm', 'signinEmail', 'code', 'filled', 'refused', 'clock', 'prompted', 'trustAction', 'openApproval', 'trustList', ...ENROLL_TYPES, ...SETTINGS_TYPES, ...PANEL_TYPES]);

const badRequest = (message) => ({ ok: false, error: { code: 'bad_request', message } });

// senderOrigin is the sign-in origin of the frame that sent a message, or null.
export function senderOrigin(table, sender) {
  const url = (sender && (sender.url || (sender.tab && sender.tab.url))) || '';
  return signinOrigin(table, url);
}

function failure(host, table, code, message, response) {
  const answer = { ok: false, error: { code, message }, host, marketplaces: marketplacesOf(table, host) };
  if (response && Array.isArray(response.candidates)) {
    answer.candidates = response.candidates.filter((c) => typeof c === 'string');
  }
  if (response && typeof response.protocol === 'number') answer.protocol = response.protocol;
  if (response && typeof response.device_key === 'string') answer.device_key = response.device_key;
  return answer;
}

// createHandler returns handle(message, sender) → Promise of the answer, or
// null for messages that are not for it (other extension pages may use
// runtime messages too), and handle.sweepTrusts() (below). deps: {ask,
// hostSession (lib/session.js: the 2SV codes go through it when given), table,
// local, session, settings (the area of lib/settings.js), extension: {id,
// url} (runtime.id, runtime.getURL('')), fetch, now, openTab(url),
// sendToTab(tabId, message, frameId)}.
export function createHandler({ ask, hostSession, table, local, session, settings, extension = {}, fetch = globalThis.fetch, now = Date.now, openTab, sendToTab }) {
  const panel = createPanelHandler({ session, extensionId: extension.id, sendToTab });
  const updateTrust = (change) => trust.save(local, change);
  const enroll = createEnrollHandler({ ask, session, settings });

  // sweepTrusts folds the 2SV submits the content scripts wrote
  // (trustSubmit:<id>, see lib/storage.js) into the trusted-device state and
  // removes them. One sweep at a time, so that none is counted twice; run on
  // every storage change that adds one, at worker start, and before the
  // messages that read the state.
  let sweeping = Promise.resolve();
  function sweepTrusts() {
    sweeping = sweeping.then(async () => {
      const all = await local.get(null);
      const keys = Object.keys(all).filter((k) => k.startsWith(store.TRUST_SUBMIT_PREFIX));
      if (!keys.length) return;
      await updateTrust((state) =>
        keys.reduce((next, key) => {
          const { account, host, at } = all[key] ?? {};
          const marketplace = trust.marketplaceOf(table, host);
          // The page's clock is ours; a time from the future is taken as now.
          const when = Number.isFinite(at) && at > 0 ? Math.min(at, now()) : now();
          return marketplace && trust.validAccount(account) ? trust.trust(next, { account, marketplace, host, at: when }) : next;
        }, state),
      );
      await local.remove(keys);
    }).catch(() => {});
    return sweeping;
  }

  async function code(message, origin, host) {
    // This sits between page load and the filled code: the host is asked as
    // soon as the e-mail and the account choice are read; the options, needed
    // only in the answer, are read meanwhile.
    const options = store.getOptions(settings);
    options.catch(() => {}); // awaited below, unless the host fails first
    const [emails, choices] = await Promise.all([store.read(session, store.SIGNIN_EMAILS, {}), store.read(local, store.ACCOUNT_CHOICES, {})]);
    const email = emails[host];
    const picked = typeof message.account === 'string' && message.account !== '' ? message.account : undefined;
    const account = picked ?? choiceFor(choices, host, email);
    const request = { type: 'code', origin };
    if (email) request.email = email;
    if (account) request.account = account;
    let response;
    try {
      response = await (hostSession ? hostSession.ask(request) : ask(request));
    } catch (err) {
      if (account && !picked && err.code === 'ambiguous') {
        // The remembered account is gone from this host: ask the user again.
        await store.write(local, store.ACCOUNT_CHOICES, withoutChoice(choices, host, email));
      }
      return failure(host, table, err.code || 'internal', err.message || String(err), err.response);
    }
    const got = response.account && typeof response.account.name === 'string' ? response.account : { name: '', label: '' };
    if (picked && got.name === picked) {
      await store.write(local, store.ACCOUNT_CHOICES, withChoice(choices, host, email, picked));
    } else if (account && !picked && got.name !== account) {
      await store.write(local, store.ACCOUNT_CHOICES, withoutChoice(choices, host, email));
    }
    return {
      ok: true,
      code: response.code,
      remaining: response.remaining,
      period: response.period,
      account: { name: got.name, label: got.label || '' },
      options: await options,
    };
  }

  async function clock(origin) {
    const checkedAt = await store.read(session, store.CLOCK_CHECKED_AT, 0);
    let skewMs;
    if (now() - checkedAt < CLOCK_TTL_MS) {
      skewMs = await store.read(session, store.CLOCK_SKEW_MS, null);
    } else {
      skewMs = await measureSkew(origin, fetch, now);
      if (skewMs !== null) await session.set({ [store.CLOCK_SKEW_MS]: skewMs, [store.CLOCK_CHECKED_AT]: now() });
    }
    return { ok: true, skewMs, skewed: isSkewed(skewMs) };
  }

  // trustMessage handles the trusted-device messages from a page on host.
  async function trustMessage(message, host) {
    const marketplace = trust.marketplaceOf(table, host);
    if (message.type === 'openApproval') {
      const url = trust.approvalUrl(table, message.marketplace);
      if (!url) return badRequest('unknown marketplace');
      await openTab(url);
      return { ok: true };
    }
    if (message.type === 'trustList') {
      const state = trust.normalize(await store.read(local, store.TRUSTED_DEVICES, {}));
      const entries = trust.stale(state, now()).filter((e) => e.marketplace === marketplace && !e.muted);
      return { ok: true, entries: entries.map(({ account, count }) => ({ account, marketplace, count })) };
    }
    if (!trust.validAccount(message.account)) return badRequest('account must be a non-empty string');
    const at = now();
    const where = { account: message.account, marketplace, host, at };
    switch (message.type) {
      case 'prompted': {
        // A trust given just before must be in the state before the page is
        // judged: else the next prompt would not count it as lost.
        await sweepTrusts();
        let reminder = null;
        await updateTrust((state) => {
          const out = trust.prompted(state, where);
          reminder = out.reminder;
          return out.state;
        });
        if (reminder) {
          const m = table.marketplaces.find((row) => row.key === reminder.marketplace);
          reminder = { ...reminder, marketplaceName: m.name, marketplaceNameJa: m.name_ja, approvalUrl: trust.approvalUrl(table, reminder.marketplace) };
        }
        return { ok: true, reminder };
      }
      default: {
        // trustAction: on any marketplace, as the popup lists them all.
        const act = Object.hasOwn(trust.ACTIONS, message.action) ? trust.ACTIONS[message.action] : null;
        if (!act || !trust.approvalUrl(table, message.marketplace)) return badRequest('unknown action or marketplace');
        await updateTrust((state) => act(state, { ...where, marketplace: message.marketplace }));
        return { ok: true };
      }
    }
  }

  // settingsMessage answers the options page, and no one else.
  async function settingsMessage(message, sender) {
    if (!fromSettingsPage(sender, extension.id, extension.url)) {
      return { ok: false, error: { code: 'forbidden_origin', message: 'settings change only on the options page' } };
    }
    if (message.type === 'getOptions') return { ok: true, options: await store.getOptions(settings) };
    try {
      return { ok: true, options: await store.setOption(settings, message.name, message.value) };
    } catch (err) {
      return badRequest(err.message);
    }
  }

  async function handle(message, sender) {
    if (!message || typeof message !== 'object' || !MESSAGE_TYPES.includes(message.type)) return null;
    if (SETTINGS_TYPES.includes(message.type)) return settingsMessage(message, sender);
    // The panel frame is of the extension's origin: lib/panel.js checks it.
    if (message.type === 'panelSpec' || message.type === 'panelEvent') return panel(message, sender);
    const origin = senderOrigin(table, sender);
    if (!origin) return { ok: false, error: { code: 'forbidden_origin', message: 'not sent from an Amazon sign-in page' } };
    const host = new URL(origin).hostname;
    switch (message.type) {
      case 'warm':
        if (hostSession) hostSession.warm();
        return { ok: true };
      case 'signinEmail': {
        const email = typeof message.email === 'string' ? message.email.trim() : '';
        await store.setIn(session, store.SIGNIN_EMAILS, host, email && email.length <= MAX_EMAIL ? email : undefined);
        return { ok: true };
      }
      case 'code':
        return code(message, origin, host);
      case 'filled': {
        const until = Number.isFinite(message.expiresAt) ? message.expiresAt : undefined;
        await store.setIn(session, store.FILLED_AT, host, until === undefined ? now() : { at: now(), expiresAt: until });
        return { ok: true };
      }
      case 'refused': {
        const filled = (await store.read(session, store.FILLED_AT, {}))[host];
        const at = typeof filled === 'object' && filled !== null ? filled.at : filled;
        await store.setIn(session, store.FILLED_AT, host, undefined);
        // The code that went with a trust was turned down: nothing was trusted.
        const when = now();
        await sweepTrusts();
        await updateTrust((state) => trust.refused(state, { host, at: when }));
        const byNidan = typeof at === 'number' && now() - at < FILLED_WINDOW_MS;
        return { ok: true, filledByNidan: byNidan, expired: byNidan && Number.isFinite(filled.expiresAt) && now() > filled.expiresAt };
      }
      case 'clock':
        return clock(origin);
      case 'enroll':
      case 'phoneBackup':
        return enroll(message, origin, host);
      case 'panelOpen':
        return panel(message, sender);
      default:
        return trustMessage(message, host);
    }
  }

  handle.sweepTrusts = sweepTrusts;
  return handle;
}
