// The one wrapper for native messaging: every request to the nidan host goes
// through ask(), so that the host's failures reach callers as one typed error
// with a stable `code` (the protocol's error codes, plus the host_* codes
// below for failures that happen before the protocol is spoken at all).

export const HOST_NAME = 'dev.nidan.host';
export const PROTOCOL = 1;

// Codes for failures outside the protocol. The popup maps each to the next
// step the user must take.
export const HOST_MISSING = 'host_missing'; // not installed, or installed for another extension id
export const HOST_FAILED = 'host_failed'; // started but exited or answered garbage
export const HOST_TOO_OLD = 'host_too_old';
export const HOST_TOO_NEW = 'host_too_new';

export class NativeError extends Error {
  // response is the host's whole answer when there was one, so callers can
  // read protocol fields such as `candidates` (ambiguous) or `version`.
  constructor(code, message, response) {
    super(message);
    this.name = 'NativeError';
    this.code = code;
    this.response = response;
  }
}

// Browser messages that mean the host is not (properly) installed. Chromium:
// "Specified native messaging host not found.", "Access to the specified
// native messaging host is forbidden." (manifest lacks our id), "Failed to
// start native messaging host." (manifest points at a missing binary).
// Firefox: "No such native application dev.nidan.host". The fix for all of
// them is the same: run the install command.
const MISSING_PATTERNS = [
  /native messaging host not found/i,
  /native messaging host is forbidden/i,
  /failed to start native messaging host/i,
  /no such native application/i,
  /manifest.*not found/i,
];

// classify turns a rejection of sendNativeMessage into a NativeError.
export function classify(err) {
  const message = String(err && err.message !== undefined ? err.message : err);
  const code = MISSING_PATTERNS.some((re) => re.test(message)) ? HOST_MISSING : HOST_FAILED;
  return new NativeError(code, message);
}

// check validates a host response and returns it, or throws a NativeError.
export function check(response) {
  if (response === null || typeof response !== 'object' || Array.isArray(response)) {
    throw new NativeError(HOST_FAILED, 'the host answered something that is not a JSON object');
  }
  if (response.protocol !== PROTOCOL) {
    const theirs = typeof response.protocol === 'number' ? response.protocol : 0;
    const code = theirs > PROTOCOL ? HOST_TOO_NEW : HOST_TOO_OLD;
    throw new NativeError(code, `the host speaks protocol ${theirs}, this extension speaks ${PROTOCOL}`, response);
  }
  if (response.ok === true) return response;
  const error = response.error && typeof response.error === 'object' ? response.error : {};
  const code = typeof error.code === 'string' && error.code ? error.code : HOST_FAILED;
  const message = typeof error.message === 'string' ? error.message : 'the host reported a failure';
  throw new NativeError(code, message, response);
}

// The `browser` namespace (Firefox) returns promises; so does `chrome` in MV3
// Chromium. Looked up per call so tests can install a fake.
function runtime() {
  const api = globalThis.browser ?? globalThis.chrome;
  return api && api.runtime;
}

// ask sends one request to the host and resolves to its response object, or
// rejects with a NativeError.
export async function ask(request) {
  const rt = runtime();
  if (!rt || typeof rt.sendNativeMessage !== 'function') {
    throw new NativeError(HOST_MISSING, 'native messaging is not available in this context');
  }
  let response;
  try {
    response = await rt.sendNativeMessage(HOST_NAME, request);
  } catch (err) {
    throw classify(err);
  }
  return check(response);
}
