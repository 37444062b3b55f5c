import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadContent } from './support/load.js';
const { fillInput, submit, tick } = (await loadContent()).fill;

// FakeInputBase plays HTMLInputElement.prototype: `value` is an accessor on
// the prototype, as in browsers.
class FakeInputBase extends EventTarget {
  #value = '';
  events = [];
  focused = false;
  get value() {
    return this.#value;
  }
  set value(v) {
    this.#value = v;
  }
  focus() {
    this.focused = true;
    this.events.push('focus');
  }
  dispatchEvent(event) {
    this.events.push(`${event.type}${event.bubbles ? ':bubbles' : ''}`);
    return super.dispatchEvent(event);
  }
}

test('fillInput focuses, sets the value and dispatches bubbling input then change', () => {
  const input = new FakeInputBase();
  fillInput(input, '123456');
  assert.equal(input.value, '123456');
  assert.deepEqual(input.events, ['focus', 'input:bubbles', 'change:bubbles']);
});

test('fillInput uses the prototype setter, past a framework shadowing value', () => {
  const input = new FakeInputBase();
  // React-style tracking: an own `value` property that records what it saw.
  let tracked = '';
  Object.defineProperty(input, 'value', {
    configurable: true,
    get() {
      return Object.getOwnPropertyDescriptor(FakeInputBase.prototype, 'value').get.call(this);
    },
    set(v) {
      tracked = v;
      Object.getOwnPropertyDescriptor(FakeInputBase.prototype, 'value').set.call(this, v);
    },
  });
  let seenInInput = null;
  input.addEventListener('input', () => {
    seenInInput = input.value;
  });
  fillInput(input, '654321');
  assert.equal(tracked, '', 'the framework tracker was bypassed, so it sees the input event as a change');
  assert.equal(seenInInput, '654321');
});

test('tick checks the remember box once, with events', () => {
  const box = new FakeInputBase();
  box.checked = false;
  tick(box);
  assert.equal(box.checked, true);
  assert.deepEqual(box.events, ['input:bubbles', 'change:bubbles']);
  tick(box);
  assert.deepEqual(box.events, ['input:bubbles', 'change:bubbles'], 'already checked: no second change');
  assert.doesNotThrow(() => tick(null));
});

test('submit goes through requestSubmit with the button, else clicks it', () => {
  const calls = [];
  const button = { click: () => calls.push('click') };
  submit({ requestSubmit: (b) => calls.push(['requestSubmit', b]) }, button);
  submit({}, button);
  assert.deepEqual(calls, [['requestSubmit', button], 'click']);
});

test('submit without the button when the form does not own it', () => {
  const calls = [];
  const form = {
    requestSubmit: (b) => {
      if (b) throw new DOMException('not a submit button of this form', 'NotFoundError');
      calls.push('requestSubmit()');
    },
  };
  submit(form, { click: () => calls.push('click') });
  assert.deepEqual(calls, ['requestSubmit()']);
});
