import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BOS, EOS, Vocabulary, type BackoffLm } from './backoff-lm.js';
import { interpolate } from './interpolate.js';
import { estimateKneserNey } from './kneser-ney.js';

const split = (s: string): string[] => s.split(' ');

function contexts(lm: BackoffLm): string[][] {
  const out: string[][] = [[]];
  for (let n = 1; n < lm.order; n++) lm.forEachOfOrder(n, (ids) => out.push(ids.map((id) => lm.vocab.word(id))));
  return out.filter((h) => h[h.length - 1] !== EOS);
}

function pair(): { vocab: Vocabulary; spa: BackoffLm; everyday: BackoffLm } {
  const vocab = new Vocabulary();
  const spa = estimateKneserNey(['i would like botox', 'botox on friday', 'a peel on friday please', 'i would like a peel'].map(split), { order: 3, vocab });
  const everyday = estimateKneserNey(['i would like a coffee', 'on friday i like it', 'please call me', 'i would call'].map(split), { order: 2, vocab });
  return { vocab, spa, everyday };
}

test('the mixture sums to one after every context over the chosen vocabulary', () => {
  const { spa, everyday } = pair();
  const vocabulary = [...new Set([...spa.words(), ...everyday.words()])].filter((w) => w !== BOS);
  const mixed = interpolate([{ lm: spa, weight: 0.7 }, { lm: everyday, weight: 0.3 }], { vocabulary });
  assert.equal(mixed.order, 3);
  for (const h of [...contexts(mixed), ['never', 'said']]) {
    const sum = vocabulary.reduce((s, w) => s + 10 ** mixed.logProb(h, w), 0);
    assert.ok(Math.abs(sum - 1) < 1e-9, `p(. | ${h.join(' ')}) sums to ${sum}`);
  }
});

test('an explicit n-gram gets the weighted sum of the models\' probabilities', () => {
  const { spa, everyday } = pair();
  const vocabulary = [...new Set([...spa.words(), ...everyday.words()])].filter((w) => w !== BOS);
  const mixed = interpolate([{ lm: spa, weight: 0.7 }, { lm: everyday, weight: 0.3 }], { vocabulary });
  for (const [h, w] of [[['i', 'would'], 'like'], [['would'], 'call'], [[BOS], 'botox']] as [string[], string][]) {
    const want = 0.7 * 10 ** spa.logProb(h, w) + 0.3 * 10 ** everyday.logProb(h, w);
    assert.ok(Math.abs(10 ** mixed.logProb(h, w) - want) < 1e-12, `p(${w} | ${h.join(' ')})`);
  }
});

test('all the weight on one model over its own vocabulary reproduces that model', () => {
  const { spa, everyday } = pair();
  const mixed = interpolate([{ lm: spa, weight: 1 }, { lm: everyday, weight: 0 }], { vocabulary: spa.words() });
  for (const h of contexts(spa)) for (const w of spa.words()) {
    if (w === BOS) continue;
    assert.ok(Math.abs(10 ** mixed.logProb(h, w) - 10 ** spa.logProb(h, w)) < 1e-12, `p(${w} | ${h.join(' ')})`);
  }
});

test('words left out of the vocabulary leave the model, and what remains still sums to one', () => {
  const { spa, everyday } = pair();
  const vocabulary = ['i', 'would', 'like', 'botox', 'a', 'peel', 'on', 'friday', 'please'];
  const mixed = interpolate([{ lm: spa, weight: 0.5 }, { lm: everyday, weight: 0.5 }], { vocabulary });
  assert.equal(mixed.logProb([], 'coffee'), -Infinity);
  assert.equal(mixed.logProb([], 'call'), -Infinity);
  for (const h of contexts(mixed)) {
    const sum = [...vocabulary, EOS].reduce((s, w) => s + 10 ** mixed.logProb(h, w), 0);
    assert.ok(Math.abs(sum - 1) < 1e-9, `p(. | ${h.join(' ')}) sums to ${sum}`);
  }
});

test('models numbered by different vocabularies are refused', () => {
  const a = estimateKneserNey([['a']], { order: 1 });
  const b = estimateKneserNey([['a']], { order: 1 });
  assert.throws(() => interpolate([{ lm: a, weight: 1 }, { lm: b, weight: 1 }], { vocabulary: ['a'] }), /share one Vocabulary/);
});
