// The popup's decisions, kept free of the DOM and of browser APIs so that
// node's test runner checks them directly: when a code expires, which
// accounts a search shows, and what the user must run when the host is not
// usable.

import { HOST_FAILED, HOST_MISSING, HOST_TOO_NEW, HOST_TOO_OLD } from '../lib/native.js';

// expiry returns the instant (ms since the epoch) at which a code stops being
// current. TOTP steps start at multiples of the period since the epoch, so
// the host's whole-second `remaining`, measured a few milliseconds earlier,
// is snapped to the nearest step boundary: the countdown is then exact and
// the popup asks again right when the code rolls over.
export function expiry(period, remaining, receivedAt) {
  const step = period * 1000;
  return Math.round((receivedAt + remaining * 1000) / step) * step;
}

// secondsLeft is what the countdown shows: whole seconds, never below 0.
export function secondsLeft(expires, now) {
  return Math.max(0, Math.ceil((expires - now) / 1000));
}

// Full-width letters and digits, as typed with a Japanese input method, match
// their ASCII forms.
const fold = (s) => String(s ?? '').normalize('NFKC').toLowerCase();

// matches tells whether an account is shown for a search query: every word of
// the query must appear in its name, issuer, label or marketplaces.
export function matches(account, query) {
  const haystack = fold([account.name, account.issuer, account.label, ...(account.marketplaces ?? [])].join(' '));
  return fold(query)
    .split(/\s+/)
    .filter(Boolean)
    .every((word) => haystack.includes(word));
}

// Brand names that Chromium-family browsers report in
// navigator.userAgentData, with the name `nidan install --browser` knows
// them by. Chromium is last: every one of them also reports it.
const BRANDS = [
  ['Google Chrome', 'chrome'],
  ['Microsoft Edge', 'edge'],
  ['Brave', 'brave'],
  ['Vivaldi', 'vivaldi'],
  ['Chromium', 'chromium'],
];

// browserName returns this browser's name for `nidan install --browser`, or
// '' when unsure (then `nidan install` covers every browser it finds).
// firefoxName is runtime.getBrowserInfo().name where that exists.
export function browserName(brands, firefoxName) {
  if (firefoxName) return firefoxName.toLowerCase() === 'librewolf' ? 'librewolf' : 'firefox';
  const names = new Set((brands ?? []).map((b) => b.brand));
  const found = BRANDS.find(([brand]) => names.has(brand));
  return found ? found[1] : '';
}

// setupCommand is the repository's installer for the platform
// (runtime.getPlatformInfo().os), for browser when known: it builds nidan and
// nidan-host, creates the vault when there is none and registers the host, so
// it works where `nidan install` cannot (no nidan-host, nidan not on PATH).
export function setupCommand(os, browser = '') {
  const only = browser ? ` --browser ${browser}` : '';
  return os === 'win' ? `powershell -ExecutionPolicy Bypass -File scripts\\install.ps1${only}` : `scripts/install.sh${only}`;
}

// hostHint splits the host's error message, "REASON; run `FIX`" (as the CLI
// prints error and hint, host/protocol/errors.go), into its parts.
export function hostHint(message) {
  const text = typeof message === 'string' ? message.trim() : '';
  const m = text.match(/^([^\n]*?);\s*run `([^`\n]+)`\.?$/);
  return m ? { reason: m[1], fix: m[2] } : { reason: text.split('\n')[0], fix: '' };
}

// vaultSteps are the steps for a vault that does not open: the host's own fix
// first (`chmod 600 FILE` for a file others can read), the identity's place
// when that is what is missing or wrong, then `nidan doctor`.
function vaultSteps(fix, reason) {
  const steps = [];
  if (/^chmod /.test(fix)) steps.push({ key: 'popupChmodStep', commands: [fix] });
  if (/identity/i.test(reason)) steps.push({ key: 'popupIdentityStep', commands: [] });
  steps.push({ key: 'popupDoctorStep', commands: ['nidan doctor'] });
  return steps;
}

// problem turns a failure of the host into what the popup shows: a title, the
// host's one-line reason (vault errors), and steps, each a message key with
// the commands to run.
export function problem(err, { browser, os }) {
  const code = err && typeof err.code === 'string' ? err.code : HOST_FAILED;
  const protocol = String(err?.response?.protocol ?? 0);
  const doctor = { key: 'popupDoctorStep', commands: ['nidan doctor'] };
  switch (code) {
    case HOST_MISSING:
      return {
        title: ['errHostMissing'],
        steps: [
          { key: 'popupInstallFirst', commands: [setupCommand(os, browser)] },
          { key: 'popupInstallStep', commands: [browser ? `nidan install --browser ${browser}` : 'nidan install'] },
        ],
      };
    case 'vault_missing':
      return { title: ['errVaultMissing'], steps: [{ key: 'popupInitStep', commands: ['nidan init', 'nidan add NAME --marketplace jp'] }] };
    case 'vault_unreadable': {
      const { reason, fix } = hostHint(err.message);
      return { title: ['errVaultUnreadable'], reason, steps: vaultSteps(fix, reason) };
    }
    case 'not_a_device': {
      // A PC that joined a shared vault: the command runs on a PC where the vault opens.
      const key = typeof err?.response?.device_key === 'string' ? err.response.device_key : 'KEY';
      return { title: ['errNotADevice'], steps: [{ key: 'popupDeviceStep', commands: [`nidan devices add ${key} --name NAME`] }] };
    }
    case HOST_TOO_OLD:
      return { title: ['errHostTooOld', protocol], steps: [{ key: 'popupUpdateHostStep', commands: [setupCommand(os)] }] };
    case HOST_TOO_NEW:
      return { title: ['errHostTooNew', protocol], steps: [{ key: 'popupUpdateExtensionStep', commands: [] }] };
    case HOST_FAILED:
      return { title: ['errHostFailed'], steps: [doctor] };
    default:
      return { title: ['errOther', code], steps: [doctor] };
  }
}

// EMPTY_STEPS is what the popup shows when nidan holds no account for Amazon.
export const EMPTY_STEPS = Object.freeze([
  { key: 'popupNoAccounts', commands: ['nidan add NAME --marketplace jp'] },
  { key: 'popupOrSetupPage', commands: [] },
]);

// isBound tells an account nidan gives codes for from one bound to no host
// (another service's, kept as a backup; host/PROTOCOL.md `bound`). Hosts
// without the field send a code for every account they list.
export function isBound(account) {
  return account.bound !== false && typeof account.code === 'string';
}

// formatDate writes a date in the browser's language (2026年11月1日, November
// 1, 2026), as the page's reminder does (content/reminder.js: content scripts
// are classic scripts, which extension pages cannot import).
export function formatDate(ms, lang) {
  return new Intl.DateTimeFormat(lang, { year: 'numeric', month: 'long', day: 'numeric' }).format(new Date(ms));
}
