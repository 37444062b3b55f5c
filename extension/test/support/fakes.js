// Fakes of the WebExtension APIs the background uses: a storage area with
// get/set like chrome.storage.*, and a recorder of host requests.

export class FakeArea {
  constructor(items = {}) {
    this.items = structuredClone(items);
  }
  // get(null) returns every item, as the real areas do.
  async get(key) {
    if (key === null) return structuredClone(this.items);
    return Object.hasOwn(this.items, key) ? { [key]: structuredClone(this.items[key]) } : {};
  }
  async set(items) {
    Object.assign(this.items, structuredClone(items));
  }
  async remove(keys) {
    for (const key of [keys].flat()) delete this.items[key];
  }
}

// fakeHost returns an ask() that records requests and answers with answer(request).
export function fakeHost(answer) {
  const requests = [];
  const ask = async (request) => {
    requests.push(request);
    return answer(request);
  };
  return { ask, requests };
}
