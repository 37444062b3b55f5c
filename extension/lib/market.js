// The marketplace table (marketplaces.json, a byte-identical copy of
// otp/market/marketplaces.json) as the extension needs it: which hosts are
// Amazon sign-in hosts, and which marketplaces a host belongs to.

// signinOrigin returns `https://<host>` for a URL on a sign-in host of the
// table, or null for anything else (other schemes, ports, credentials,
// lookalike hosts). Browsers report URLs with lowercase hosts; anything that
// does not match exactly is refused, as the host itself does.
export function signinOrigin(table, url) {
  let u;
  try {
    u = new URL(url);
  } catch {
    return null;
  }
  if (u.protocol !== 'https:' || u.port !== '' || u.username !== '' || u.password !== '') return null;
  return marketplacesOf(table, u.hostname).length > 0 ? `https://${u.hostname}` : null;
}

// marketplacesOf returns the keys of the marketplaces that list host.
export function marketplacesOf(table, host) {
  return table.marketplaces.filter((m) => m.hosts.includes(host)).map((m) => m.key);
}

// allHosts returns every sign-in host once, in table order.
export function allHosts(table) {
  return [...new Set(table.marketplaces.flatMap((m) => m.hosts))];
}
