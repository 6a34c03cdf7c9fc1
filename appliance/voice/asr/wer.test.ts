import assert from 'node:assert/strict';
import { test } from 'node:test';
import { wordErrorRate, wordErrors } from './wer.js';

const w = (s: string): string[] => (s === '' ? [] : s.split(' '));

test('identical word sequences have no errors', () => {
  assert.deepEqual(wordErrors(w('yes please'), w('yes please')), { substitutions: 0, deletions: 0, insertions: 0, referenceWords: 2 });
});

test('wordErrors counts substitutions, deletions and insertions along a minimum edit', () => {
  assert.deepEqual(wordErrors(w('book botox next tuesday'), w('book a botox next thursday')), { substitutions: 1, deletions: 0, insertions: 1, referenceWords: 4 });
  assert.deepEqual(wordErrors(w('cancel my appointment'), w('cancel appointment')), { substitutions: 0, deletions: 1, insertions: 0, referenceWords: 3 });
  assert.deepEqual(wordErrors(w('no thanks'), w('')), { substitutions: 0, deletions: 2, insertions: 0, referenceWords: 2 });
  assert.deepEqual(wordErrors(w(''), w('uh')), { substitutions: 0, deletions: 0, insertions: 1, referenceWords: 0 });
});

test('wordErrorRate is total errors over total reference words across utterances', () => {
  const rate = wordErrorRate([
    { reference: w('yes please'), hypothesis: w('yes please') },
    { reference: w('cancel my appointment'), hypothesis: w('cancel appointment') },
    { reference: w('my name is jane smith'), hypothesis: w('my name is jane smith') },
  ]);
  assert.equal(rate, 1 / 10);
  assert.equal(wordErrorRate([]), 0);
  assert.equal(wordErrorRate([{ reference: [], hypothesis: ['x'] }]), Infinity);
});
