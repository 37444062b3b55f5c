// Which requests wake the background (background.js): the pages on which
// the content script starts the host (content/main.js: the e-mail and
// password pages, /ap/signin and /ax/claim, and the 2SV page, /ap/mfa), on
// every sign-in host. Other /ap/ pages (a password reset, a new account)
// start nothing.
const SIGNIN_PATHS = ['/ap/signin*', '/ap/mfa*'];

// wakeFilter maps the sign-in content script's matches (manifest.json, one
// list for both) to webRequest's URL patterns.
export function wakeFilter(matches) {
  return matches.flatMap((pattern) => (pattern.endsWith('/ap/*') ? SIGNIN_PATHS.map((path) => pattern.replace(/\/ap\/\*$/, path)) : [pattern]));
}
