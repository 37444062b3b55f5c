// Putting a code into Amazon's OTP box so that the page (and any framework
// driving it) sees a user-like edit.
(function (nidan) {
// nativeValueSetter finds the `value` setter of the element's prototype chain
// (HTMLInputElement.prototype in a browser). Frameworks such as React shadow
// `value` on the instance to track edits; calling the prototype's setter
// bypasses that shadow, so the following input event is seen as a change.
function nativeValueSetter(el) {
  for (let proto = Object.getPrototypeOf(el); proto; proto = Object.getPrototypeOf(proto)) {
    const desc = Object.getOwnPropertyDescriptor(proto, 'value');
    if (desc && desc.set) return desc.set;
  }
  return null;
}

function fire(el, type) {
  el.dispatchEvent(new Event(type, { bubbles: true }));
}

// fillInput focuses the box (unless told not to: a code replaced while the
// user is elsewhere keeps their focus where it is), sets its value and
// dispatches bubbling input and change events.
function fillInput(el, value, { focus = true } = {}) {
  if (focus) el.focus();
  const set = nativeValueSetter(el);
  if (set) set.call(el, value);
  else el.value = value;
  fire(el, 'input');
  fire(el, 'change');
}

// tick checks a checkbox the way a click would, unless it is checked already.
function tick(box) {
  if (!box || box.checked) return;
  box.checked = true;
  fire(box, 'input');
  fire(box, 'change');
}

// submit sends the form as its submit button would, so that Amazon's submit
// handlers run and the button's name/value are part of the request. A button
// the form does not own makes requestSubmit throw; the form is then sent
// without it rather than not at all.
function submit(form, button) {
  if (typeof form.requestSubmit !== 'function') {
    if (button) button.click();
    return;
  }
  try {
    form.requestSubmit(button || undefined);
  } catch {
    form.requestSubmit();
  }
}

nidan.fill = { fillInput, tick, submit };
})(globalThis.nidan ??= {});
