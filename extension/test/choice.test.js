import { test } from 'node:test';
import assert from 'node:assert/strict';
import { choiceFor, withChoice, withoutChoice } from '../lib/choice.js';

test('a choice is remembered per host and per e-mail', () => {
  let s = {};
  assert.equal(choiceFor(s, 'www.amazon.co.jp', 'a@example.com'), undefined);
  s = withChoice(s, 'www.amazon.co.jp', 'A@Example.com ', 'shop-a');
  s = withChoice(s, 'www.amazon.co.jp', undefined, 'shop-x');
  s = withChoice(s, 'www.amazon.com', 'a@example.com', 'shop-us');
  assert.equal(choiceFor(s, 'www.amazon.co.jp', 'a@example.com'), 'shop-a', 'e-mail case and spaces do not matter');
  assert.equal(choiceFor(s, 'www.amazon.co.jp', ''), 'shop-x');
  assert.equal(choiceFor(s, 'www.amazon.co.jp', 'b@example.com'), undefined, "one person's choice is not another's");
  assert.equal(choiceFor(s, 'www.amazon.com', 'a@example.com'), 'shop-us');
  assert.equal(choiceFor(s, 'sellercentral.amazon.co.jp', 'a@example.com'), undefined, 'hosts are apart');
});

test('choosing again replaces; forgetting removes only that entry', () => {
  const before = withChoice({}, 'h', 'e', 'one');
  const after = withChoice(before, 'h', 'e', 'two');
  assert.equal(choiceFor(before, 'h', 'e'), 'one', 'state is not mutated');
  assert.equal(choiceFor(after, 'h', 'e'), 'two');
  const both = withChoice(after, 'h', 'f', 'three');
  const forgot = withoutChoice(both, 'h', 'e');
  assert.equal(choiceFor(forgot, 'h', 'e'), undefined);
  assert.equal(choiceFor(forgot, 'h', 'f'), 'three');
  assert.deepEqual(withoutChoice(withoutChoice(forgot, 'h', 'f'), 'h', 'f'), {});
});

test('inherited names are not choices', () => {
  assert.equal(choiceFor({}, 'constructor', ''), undefined);
  assert.equal(choiceFor({ h: {} }, 'h', 'toString'), undefined);
  assert.equal(choiceFor(undefined, 'h', ''), undefined);
});
