// Every key nidan keeps in extension storage, in one place.
//
// storage.local (persists; open to content scripts too, so nothing here may
// grant more than a content script can already ask the background for):
//   accountChoices   { [host]: { [email or '']: account name } } (lib/choice.js)
//   trustedDevices   { [account]: { muted?, marketplaces: { [key]: entry } } }: every
//                    "Don't require OTP on this browser" given since the last reset,
//                    and whether the 2SV page came back since (lib/trust.js). Here,
//                    not in cookies: clearing cookies and cache is what it watches for
//   trustSubmit:<id> { account, host, at }: one 2SV submit with the box ticked, written by
//                    the content script itself (a message could be lost: the page unloads
//                    while a sleeping service worker starts); the background folds each
//                    into trustedDevices and removes it
// storage.session (cleared when the browser closes; background and extension
// pages only — content scripts reach it through the background):
//   signinEmails     { [host]: e-mail typed on that host's sign-in page }
//   filledAt         { [host]: {at, expiresAt} when nidan last filled a code there, and until
//                    when that code was good (ms; an older version's bare timestamp is read too) }
//   clockSkewMs      number: Amazon's clock minus ours, ms (absent until measured)
//   clockCheckedAt   ms timestamp of that measurement
// The settings area (lib/settings.js: the extension origin's IndexedDB,
// background only, changed from the options page only):
//   options          { autoSubmit: bool, rememberDevice: bool }
// Versions before it kept options in storage.local, where a content script
// could have set them: the background removes that key and never reads it.

export const OPTIONS = 'options';
export const ACCOUNT_CHOICES = 'accountChoices';
export const TRUSTED_DEVICES = 'trustedDevices';
export const TRUST_SUBMIT_PREFIX = 'trustSubmit:';
export const SIGNIN_EMAILS = 'signinEmails';
export const FILLED_AT = 'filledAt';
export const CLOCK_SKEW_MS = 'clockSkewMs';
export const CLOCK_CHECKED_AT = 'clockCheckedAt';

export const DEFAULT_OPTIONS = Object.freeze({ autoSubmit: false, rememberDevice: false });

// read returns one key's value, or fallback when it is absent.
export async function read(area, key, fallback) {
  const items = await area.get(key);
  return items && Object.hasOwn(items, key) ? items[key] : fallback;
}

export function write(area, key, value) {
  return area.set({ [key]: value });
}

// normalOptions returns the options with defaults for anything unset or invalid.
function normalOptions(stored) {
  const options = { ...DEFAULT_OPTIONS };
  for (const name of Object.keys(DEFAULT_OPTIONS)) {
    if (stored && typeof stored[name] === 'boolean') options[name] = stored[name];
  }
  return options;
}

export async function getOptions(area) {
  return normalOptions(await read(area, OPTIONS, {}));
}

// setOption changes one option and resolves to all of them.
export function setOption(area, name, value) {
  if (!Object.hasOwn(DEFAULT_OPTIONS, name) || typeof value !== 'boolean') {
    return Promise.reject(new TypeError(`unknown option ${name} or non-boolean value`));
  }
  return update(area, OPTIONS, {}, (stored) => ({ ...normalOptions(stored), [name]: value }));
}

// setIn sets one entry of a map stored under key (undefined deletes it).
export async function setIn(area, key, field, value) {
  const map = { ...(await read(area, key, {})) };
  if (value === undefined) delete map[field];
  else map[field] = value;
  await write(area, key, map);
}

const queues = new WeakMap();

// update replaces one key's value with fn(value) (fallback when absent) and
// resolves to the new value. Updates of an area run one at a time in this
// context, so two messages handled at once cannot lose each other's write.
export function update(area, key, fallback, fn) {
  const run = (queues.get(area) ?? Promise.resolve()).then(async () => {
    const value = fn(await read(area, key, fallback));
    await write(area, key, value);
    return value;
  });
  queues.set(area, run.catch(() => {}));
  return run;
}
