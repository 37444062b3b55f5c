// The account the user picked in the in-page chooser, remembered per host and
// per sign-in e-mail. Keyed by e-mail too because the host prefers a named
// account over the e-mail: a choice made for one person must not be sent when
// another person signs in on the same host. '' stands for "e-mail unknown".
// State shape (storage.local "accountChoices"): { [host]: { [email]: name } }.

function emailKey(email) {
  return typeof email === 'string' ? email.trim().toLowerCase() : '';
}

// choiceFor returns the remembered account name, or undefined.
export function choiceFor(choices, host, email) {
  const forHost = choices && Object.hasOwn(choices, host) ? choices[host] : undefined;
  if (!forHost) return undefined;
  const key = emailKey(email);
  return Object.hasOwn(forHost, key) ? forHost[key] : undefined;
}

// withChoice returns a copy of choices with name remembered for host and email.
export function withChoice(choices, host, email, name) {
  const next = { ...(choices || {}) };
  next[host] = { ...(next[host] || {}), [emailKey(email)]: name };
  return next;
}

// withoutChoice forgets a remembered name, e.g. one the host no longer knows.
export function withoutChoice(choices, host, email) {
  if (choiceFor(choices, host, email) === undefined) return choices || {};
  const next = { ...choices, [host]: { ...choices[host] } };
  delete next[host][emailKey(email)];
  if (Object.keys(next[host]).length === 0) delete next[host];
  return next;
}
