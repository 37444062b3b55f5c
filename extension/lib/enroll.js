// The background's side of enrolment from Amazon's authenticator-app setup
// page (content/enroll.js): the messages below, wired in lib/handlers.js.
//
//   {type:'enroll', secret, name?} → {ok:true, code, remaining, period, account:{name,label}, options}
//                                  | {ok:false, error:{code,message}, host, existing?, duplicate?}
//       saves the page's key in nidan (host request `enroll`), named `name`, else the e-mail typed
//       at sign-in on this host; on duplicate, `existing` is the account holding the name or the
//       key and `duplicate` says which ('name' or 'key')
//   {type:'phoneBackup', account, value} → {ok:true} | {ok:false, error, host}
//       "I added it to my phone too" (host request `phone_backup`)
//
// The key goes from the message to the host request and nowhere else: it is
// never stored, logged or put in an answer.
import * as store from './storage.js';

export const ENROLL_TYPES = Object.freeze(['enroll', 'phoneBackup']);

// Amazon shows 52 Base32 characters with spaces; far longer is not a key.
const MAX_SECRET = 256;
const MAX_NAME = 64;

const badRequest = (message) => ({ ok: false, error: { code: 'bad_request', message } });

function failure(host, err) {
  const answer = { ok: false, error: { code: err.code || 'internal', message: err.message || String(err) }, host };
  // On duplicate: the account holding the name or the key, and which.
  for (const field of ['existing', 'duplicate']) {
    const value = err.response && err.response[field];
    if (typeof value === 'string') answer[field] = value;
  }
  return answer;
}

// createEnrollHandler returns handle(message, origin, host) for the types
// above; origin is the sender's, checked by the caller. deps: {ask, session,
// settings} (settings: lib/settings.js).
export function createEnrollHandler({ ask, session, settings }) {
  async function enroll(message, origin, host) {
    const secret = typeof message.secret === 'string' ? message.secret : '';
    if (!secret || secret.length > MAX_SECRET) return badRequest('secret must be the key the page shows');
    const name = typeof message.name === 'string' ? message.name.trim() : '';
    if (name.length > MAX_NAME) return badRequest(`a name has at most ${MAX_NAME} characters`);
    const [emails, options] = await Promise.all([store.read(session, store.SIGNIN_EMAILS, {}), store.getOptions(settings)]);
    // Without a name the host would refuse: ask the user first, so that the
    // key reaches the host once, when it can be saved.
    if (!name && !emails[host]) return { ok: false, error: { code: 'name_required', message: 'no sign-in e-mail is known for this page; name the account' }, host };
    const request = { type: 'enroll', origin, secret };
    if (emails[host]) request.email = emails[host];
    if (name) request.name = name;
    let response;
    try {
      response = await ask(request);
    } catch (err) {
      return failure(host, err);
    }
    const got = response.account || {};
    return {
      ok: true,
      code: response.code,
      remaining: response.remaining,
      period: response.period,
      account: { name: String(got.name ?? ''), label: String(got.label ?? '') },
      options,
    };
  }

  async function phoneBackup(message, origin, host) {
    if (typeof message.account !== 'string' || !message.account || typeof message.value !== 'boolean') {
      return badRequest('account must be a non-empty string and value a boolean');
    }
    try {
      await ask({ type: 'phone_backup', origin, account: message.account, value: message.value });
    } catch (err) {
      return failure(host, err);
    }
    return { ok: true };
  }

  return (message, origin, host) => (message.type === 'enroll' ? enroll(message, origin, host) : phoneBackup(message, origin, host));
}
