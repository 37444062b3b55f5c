// The last content script (see manifest.json): the others, classic scripts in
// one namespace (globalThis.nidan, in the extension's isolated world, which
// the page cannot see), are in by now. The manifest's matches already limit
// the scripts to the sign-in paths (/ap/…, /ax/claim) and Advanced Security
// Settings (/a/settings/approval…): other Amazon pages load nothing.
globalThis.nidan.main.start();
