// Content scripts declared in the manifest are classic scripts. This one only
// loads content/main.js as an ES module, so the page logic stays in plain
// modules that node's test runner imports as they are (no bundler). Only the
// sign-in paths (/ap/…, and /ax/claim where Amazon's newer sign-in form asks
// for the e-mail) and Advanced Security Settings (/a/settings/approval…,
// where trusted devices are reset and authenticator apps are added) load it:
// other Amazon pages cost one regular-expression test.
//
// All of content/'s modules are requested at once: imported through main.js
// alone they would arrive as a waterfall (main → code → errors → i18n), one
// round trip per level, all of it between page load and the filled code.
const CONTENT_MODULES = ['main', 'approval', 'code', 'detect', 'enroll', 'errors', 'fill', 'i18n', 'panel', 'reminder', 'timing'];

if (/^\/(?:ap\/|ax\/claim|a\/settings\/approval)/.test(location.pathname)) {
  Promise.all(CONTENT_MODULES.map((name) => import(chrome.runtime.getURL(`content/${name}.js`)))).then(
    ([main]) => main.start(),
    () => {},
  );
}
