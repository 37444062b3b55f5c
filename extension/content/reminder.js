// Trusted devices on the 2SV page: recording a trust when the form goes with
// "Don't require OTP on this browser" ticked, and the reminder when this
// browser was trusted for the account before and Amazon asked again, so that
// trust is gone while its entry may still be listed on Amazon's side
// (lib/trust.js). The reminder is shown after the code is filled, never before.
(function (nidan) {
const { show } = nidan.panel;
const { t } = nidan.i18n;

// The storage key prefix of a recorded submit. lib/storage.js names it too:
// content modules cannot import lib/ (only content/ is web-accessible), so a
// test checks that the two agree.
const TRUST_SUBMIT_PREFIX = 'trustSubmit:';

const extensionApi = () => globalThis.browser ?? globalThis.chrome;

function uiLanguage() {
  const api = extensionApi();
  return api && api.i18n && api.i18n.getUILanguage ? api.i18n.getUILanguage() : undefined;
}

// recordTrust writes one submit with the remember box ticked for account
// straight into storage.local, for the background to count: a message could
// be lost when the page unloads while a sleeping background starts, a storage
// write is not.
function recordTrust(account, host = location.hostname, now = Date.now()) {
  try {
    extensionApi().storage.local.set({ [`${TRUST_SUBMIT_PREFIX}${crypto.randomUUID()}`]: { account, host, at: now } }).catch(() => {});
  } catch {
    // The extension was reloaded or removed while the page was open.
  }
}

// formatDate writes the trust's date in the browser's language
// (2026年11月1日, November 1, 2026).
function formatDate(ms, lang = uiLanguage()) {
  return new Intl.DateTimeFormat(lang, { year: 'numeric', month: 'long', day: 'numeric' }).format(new Date(ms));
}

// marketName is the marketplace's name in the browser's language.
function marketName(reminder, lang = uiLanguage()) {
  return String(lang || '').startsWith('ja') ? reminder.marketplaceNameJa : reminder.marketplaceName;
}

// remind asks the background whether this 2SV page means a lost trust for
// account, and if so shows the reminder. send(message) → answer|null.
async function remind(send, account, doc = document) {
  const answer = await send({ type: 'prompted', account });
  const r = answer && answer.ok ? answer.reminder : null;
  if (!r) return null;
  const act = (action) => send({ type: 'trustAction', action, account: r.account, marketplace: r.marketplace });
  const done = (action) => (close) => {
    close();
    act(action);
  };
  return show({
    id: 'reminder',
    kind: 'warn',
    title: t('reminderTitle', formatDate(r.trustedAt)),
    text: [
      t('reminderLost'),
      t(r.count === 1 ? 'reminderEntry' : 'reminderEntries', r.count, r.account, marketName(r)),
      t('reminderWhere', r.approvalUrl),
    ].join(String(uiLanguage() || '').startsWith('ja') ? '' : ' '), // Japanese sentences join without a space
    buttons: [
      // The notice stays up: the user comes back to say they reset.
      { action: 'open-settings', label: t('reminderOpenSettings'), primary: true, onClick: () => send({ type: 'openApproval', marketplace: r.marketplace }) },
      { action: 'reset', label: t('reminderDidReset'), onClick: done('reset') },
      { action: 'snooze', label: t('reminderNotNow'), onClick: done('snooze') },
      { action: 'mute', label: t('reminderMute', r.account), account: r.account, onClick: done('mute') },
    ],
  }, doc);
}

nidan.reminder = { TRUST_SUBMIT_PREFIX, recordTrust, formatDate, marketName, remind };
})(globalThis.nidan ??= {});
