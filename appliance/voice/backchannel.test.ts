import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isBackchannel, isFillerOnly, withBackchannels } from './backchannel.js';

test('backchannels: "mm-hm", "okay", "uh huh, yeah" are; "okay wait" and "no" are not; silence counts as one', () => {
  for (const t of ['mm', 'okay', 'uh-huh', 'uh huh, yeah', 'Got it.', 'i see', '']) assert.equal(isBackchannel(t), true, t);
  for (const t of ['okay wait', 'no', 'botox', 'i want']) assert.equal(isBackchannel(t), false, t);
});

test('filler-only hypotheses ("a", "the i") are no evidence of speech; a filler beside a content word is', () => {
  for (const t of ['a', 'the i', 'A.']) assert.equal(isFillerOnly(t), true, t);
  for (const t of ['', 'a botox', 'wait', 'okay']) assert.equal(isFillerOnly(t), false, t);
});

test('withBackchannels adds them to an open grammar\'s words and phrases, to a closed one\'s phrases only, and leaves no grammar as none', () => {
  const open = withBackchannels({ phrases: ['how much is botox'], words: ['botox'] }, ['okay']);
  assert.deepEqual(open, { phrases: ['how much is botox', 'okay'], words: ['botox', 'okay'] });
  const closed = withBackchannels({ phrases: ['yes', 'no'], closed: true }, ['okay']);
  assert.deepEqual(closed, { phrases: ['yes', 'no', 'okay'], closed: true });
  assert.equal(withBackchannels(undefined), undefined);
});
