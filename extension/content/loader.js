// Content scripts declared in the manifest are classic scripts. This one only
// loads content/main.js as an ES module, so the page logic stays in plain
// modules that node's test runner imports as they are (no bundler). Only the
// sign-in paths (/ap/…, and /ax/claim where Amazon's newer sign-in form asks
// for the e-mail) load it: other Amazon pages cost one regular-expression test.
if (/^\/(?:ap\/|ax\/claim)/.test(location.pathname)) {
  import(chrome.runtime.getURL('content/main.js')).then(
    (main) => main.start(),
    () => {},
  );
}
