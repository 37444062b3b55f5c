// Clock drift between this computer and Amazon. TOTP codes are computed from
// the local clock; if it is off by more than a step's margin, Amazon refuses
// every code and the user cannot tell why. Amazon's `Date` response header is
// the reference.

export const SKEW_LIMIT_MS = 10_000;

// skewFromDate returns Amazon's clock minus ours, in milliseconds, from a Date
// header and the local times the request was sent and its answer received;
// null when the header is missing or unparsable. The header has one-second
// resolution (the true server time lies in [date, date+1s)), so its midpoint
// is compared with the midpoint of the round trip.
export function skewFromDate(dateHeader, sentAt, receivedAt) {
  if (typeof dateHeader !== 'string') return null;
  const server = Date.parse(dateHeader);
  if (Number.isNaN(server)) return null;
  return Math.round(server + 500 - (sentAt + receivedAt) / 2);
}

export function isSkewed(skewMs) {
  return typeof skewMs === 'number' && Math.abs(skewMs) > SKEW_LIMIT_MS;
}

// measureSkew asks origin for its Date with a HEAD request (no body, no
// cookies, never from a cache, which would hold an old Date). It resolves to
// the skew, or null when Amazon cannot be reached.
export async function measureSkew(origin, fetchImpl = globalThis.fetch, now = Date.now) {
  const sentAt = now();
  let response;
  try {
    response = await fetchImpl(`${origin}/`, { method: 'HEAD', cache: 'no-store', credentials: 'omit' });
  } catch {
    return null;
  }
  return skewFromDate(response.headers.get('date'), sentAt, now());
}
