import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InvalidInputError } from '../errors.js';
import { requireE164, toE164 } from './phone.js';

test('a caller number in any of the forms phones and PBXs send becomes E.164', () => {
  for (const input of ['(203) 555-0188', '203-555-0188', '2035550188', '+1 203 555 0188', '1 (203) 555-0188', 'tel:+12035550188', 'sip:2035550188@pbx.local', 'sips:+12035550188@pbx;user=phone', ' +12035550188 ']) {
    assert.equal(toE164(input), '+12035550188', input);
  }
  assert.equal(toE164('020 7946 0958', 'GB'), '+442079460958', 'another default country');
  assert.equal(toE164('+44 20 7946 0958'), '+442079460958', 'an international number keeps its own country');
});

test('what is not a phone number is null: words, extensions as names, too short, too long, empty', () => {
  for (const input of ['', 'anonymous', 'sip:reception@pbx', '555', '12', 'call me 2035550188', '+1 203 555 0188 1234 5678 9', '9'.repeat(65)]) {
    assert.equal(toE164(input), null, JSON.stringify(input));
  }
  assert.equal(toE164(42 as unknown as string), null, 'not a string');
});

test('requireE164 returns the E.164 form or throws a 400 naming the field', () => {
  assert.equal(requireE164('(203) 555-0188'), '+12035550188');
  assert.throws(
    () => requireE164('not a number', 'callerPhone'),
    (err: unknown) => err instanceof InvalidInputError && err.code === 'SPA_ERR_INVALID_INPUT' && /callerPhone is not a valid phone number/.test(err.message),
  );
});
