import assert from 'node:assert/strict';
import { test } from 'node:test';
import { asksSwitch } from './switch.js';

test('words that swap one treatment for another', () => {
  for (const t of [
    'can I switch my peel to a hydrafacial',
    "i'd rather do the deluxe one",
    'change my chemical peel to a hydrafacial please',
    'could we swap the peel for microneedling',
    'upgrade it to the deluxe',
    'can I do dysport instead of botox',
  ])
    assert.equal(asksSwitch(t), true, t);
});

test('moves and plain requests are no switch', () => {
  for (const t of ['can I move my peel to thursday', 'reschedule my botox please', 'i need to change my appointment', 'switch it to a different day', 'book a hydrafacial too'])
    assert.equal(asksSwitch(t), false, t);
});
