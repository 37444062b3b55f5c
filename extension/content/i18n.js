// Localized strings for the page UI, from _locales via the browser's i18n API
// (which follows the browser's language). Outside a browser (node tests) the
// key itself is returned so that a missing string is visible, not blank.
(function (nidan) {
function t(key, ...substitutions) {
  const api = globalThis.browser ?? globalThis.chrome;
  const message = api && api.i18n ? api.i18n.getMessage(key, substitutions.map(String)) : '';
  return message || key;
}

nidan.i18n = { t };
})(globalThis.nidan ??= {});
