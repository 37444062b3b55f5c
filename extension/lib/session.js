// A connectNative session with the host, for the codes of the 2SV page:
// sendNativeMessage starts one host process per request, and on a busy
// machine that start is most of the wait between the box and its code. In a
// session one host process answers request after request (host/PROTOCOL.md:
// frames are served in order until EOF; each answer echoes the request's id).
// The sign-in pages open it as they start ({type:'warm'}), so the host is
// running by the time the 2SV page asks; it closes IDLE_MS after its last use.
import { check, classify, HOST_MISSING, HOST_NAME, NativeError } from './native.js';

export const IDLE_MS = 30_000;

// createSession returns {warm(), ask(request) → Promise of the response}.
// ask rejects with the same NativeError codes as native.js's ask.
export function createSession({ idleMs = IDLE_MS, timers = globalThis } = {}) {
  const runtime = () => (globalThis.browser ?? globalThis.chrome)?.runtime;
  let port = null;
  let nextId = 1;
  const pending = new Map(); // request id → {resolve, reject}
  let idle = null;

  function armIdle() {
    timers.clearTimeout(idle);
    idle = timers.setTimeout(() => {
      if (pending.size) return armIdle();
      if (port) port.disconnect();
      port = null;
    }, idleMs);
  }

  function open() {
    if (port) return port;
    const rt = runtime();
    if (!rt || typeof rt.connectNative !== 'function') return null;
    const p = rt.connectNative(HOST_NAME);
    p.onMessage.addListener((response) => {
      const waiter = response && typeof response === 'object' ? pending.get(response.id) : undefined;
      if (!waiter) return;
      pending.delete(response.id);
      try {
        waiter.resolve(check(response));
      } catch (err) {
        waiter.reject(err);
      }
      armIdle();
    });
    // The host is missing, crashed or was closed: every waiting request
    // fails as sendNativeMessage's would, and the next one opens a new session.
    p.onDisconnect.addListener((closed) => {
      if (port === p) port = null;
      const cause = (closed && closed.error) || (rt.lastError && rt.lastError.message) || 'the host ended the session';
      const err = classify(cause);
      for (const waiter of pending.values()) waiter.reject(err);
      pending.clear();
    });
    port = p;
    armIdle();
    return p;
  }

  return {
    // warm opens the session, or keeps an open one from closing for another
    // idleMs: the sign-in pages repeat it while they are open.
    warm() {
      if (open()) armIdle();
    },
    ask(request) {
      const p = open();
      if (!p) return Promise.reject(new NativeError(HOST_MISSING, 'native messaging is not available in this context'));
      const id = `s${nextId++}`;
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve, reject });
        try {
          p.postMessage({ ...request, id });
        } catch (err) {
          pending.delete(id);
          if (port === p) port = null;
          reject(classify(err));
        }
      });
    },
  };
}
