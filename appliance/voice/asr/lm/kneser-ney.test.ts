import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BOS, EOS, type BackoffLm } from './backoff-lm.js';
import { estimateKneserNey, modifiedKneserNeyDiscounts } from './kneser-ney.js';

const split = (s: string): string[] => s.split(' ');
const p = (lm: BackoffLm, context: string, word: string): number => 10 ** lm.logProb(context === '' ? [] : context.split(' '), word);

/** Every history the model has (and a few it has not), as word lists. */
function histories(lm: BackoffLm, extra: string[][]): string[][] {
  const out: string[][] = [[], ...extra];
  for (let n = 1; n < lm.order; n++) lm.forEachOfOrder(n, (ids) => out.push(ids.map((id) => lm.vocab.word(id))));
  return out;
}

function assertNormalised(lm: BackoffLm, extra: string[][] = []): void {
  const words = lm.words().filter((w) => w !== BOS);
  for (const h of histories(lm, extra)) {
    if (h[h.length - 1] === EOS) continue; // nothing follows the end
    const sum = words.reduce((s, w) => s + 10 ** lm.logProb(h, w), 0);
    assert.ok(Math.abs(sum - 1) < 1e-9, `p(. | ${h.join(' ') || 'nothing'}) sums to ${sum}`);
  }
}

test('modified Kneser-Ney discounts follow Chen and Goodman from the count-of-counts', () => {
  const [d1, d2, d3] = modifiedKneserNeyDiscounts(10, 5, 3, 2);
  assert.ok(Math.abs(d1 - 0.5) < 1e-12);
  assert.ok(Math.abs(d2 - 1.1) < 1e-12);
  assert.ok(Math.abs(d3 - 5 / 3) < 1e-12);
  // Too few counts for the formula: a plain discount within (0, k] instead of NaN or a negative.
  for (const d of modifiedKneserNeyDiscounts(1, 0, 0, 0)) assert.ok(d > 0 && d <= 3);
});

test('a hand-checked bigram model: continuation-count unigrams and discounted bigrams with their back-off mass', () => {
  // <s> a b </s> twice, <s> b </s>; D = 0.5 everywhere.
  const lm = estimateKneserNey(['a b', 'a b', 'b'].map(split), { order: 2, discounts: [0.5, 0.5, 0.5] });
  // Continuation counts: a after {<s>} = 1, b after {a, <s>} = 2, </s> after {b} = 1; gamma = 1.5 / 4 over 3 words.
  assert.ok(Math.abs(p(lm, '', 'a') - 0.25) < 1e-12);
  assert.ok(Math.abs(p(lm, '', 'b') - 0.5) < 1e-12);
  assert.ok(Math.abs(p(lm, '', EOS) - 0.25) < 1e-12);
  // After <s>: a twice, b once; gamma(<s>) = 1 / 3.
  assert.ok(Math.abs(p(lm, BOS, 'a') - (1.5 / 3 + 0.25 / 3)) < 1e-12);
  assert.ok(Math.abs(p(lm, BOS, 'b') - (0.5 / 3 + 0.5 / 3)) < 1e-12);
  assert.ok(Math.abs(p(lm, BOS, EOS) - 0.25 / 3) < 1e-12, 'an unseen word gets the back-off share');
  // After a: b twice; gamma(a) = 0.25.
  assert.ok(Math.abs(p(lm, 'a', 'b') - (1.5 / 2 + 0.25 * 0.5)) < 1e-12);
  assert.ok(Math.abs(p(lm, 'a', 'a') - 0.25 * 0.25) < 1e-12);
  assert.equal(lm.logProb([], BOS), -99, '<s> is never predicted');
});

test('probabilities after every context sum to one over the vocabulary, for orders 1 to 4 and estimated discounts', () => {
  const corpus = ['i would like botox', 'i would like a peel', 'would you like a peel', 'a peel please', 'botox please', 'i like it', 'no thanks', 'i would like to book botox on friday'].map(split);
  for (const order of [1, 2, 3, 4]) {
    const lm = estimateKneserNey(corpus, { order, vocabulary: ['saturday'] });
    assertNormalised(lm, [['never', 'seen'], ['i', 'would', 'never']]);
  }
});

test('vocabulary words the corpus never says get a small share and no n-grams', () => {
  const lm = estimateKneserNey(['yes please', 'no thanks'].map(split), { order: 3, vocabulary: ['dysport'] });
  const unseen = p(lm, '', 'dysport');
  assert.ok(unseen > 0 && unseen < p(lm, '', 'yes'));
  assert.deepEqual(lm.counts(), [7, 6, 4], '<s>, </s>, the 4 words and dysport; bigrams and trigrams only from the corpus');
});

test('the same corpus gives the same model (no hidden randomness)', () => {
  const corpus = ['a b c', 'a c', 'b c a'].map(split);
  const one = estimateKneserNey(corpus, { order: 3 });
  const two = estimateKneserNey(corpus, { order: 3 });
  for (const h of histories(one, [])) for (const w of one.words()) assert.equal(one.logProb(h, w), two.logProb(h, w));
});
