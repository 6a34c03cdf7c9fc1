import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { CorpusUtterance } from '../../../appliance/agent/nlu/corpus.js';
import { foldOf, speakable, stratifiedSample } from './asr-transcripts.js';

const line = (text: string, intent: CorpusUtterance['intents'][number], extra: Partial<CorpusUtterance> = {}): CorpusUtterance => ({ text, intents: [intent], after: 'open', slots: {}, topics: [], source: 'polite:1', ...extra });

test('the transcript sample is stratified by intent: each intent its share, a small one all it has up to the floor, the same for the same seed', () => {
  const lines = [...Array.from({ length: 300 }, (_, i) => line(`book ${i}`, 'book')), ...Array.from({ length: 100 }, (_, i) => line(`price ${i}`, 'price')), ...Array.from({ length: 5 }, (_, i) => line(`thanks ${i}`, 'thanks'))];
  const s = stratifiedSample(lines, 80, 7, 10);
  const count = (intent: string): number => s.filter((u) => u.intents[0] === intent).length;
  assert.deepEqual([count('book'), count('price'), count('thanks')], [59, 20, 5]);
  assert.deepEqual(stratifiedSample(lines, 80, 7, 10), s);
  assert.equal(new Set(s.map((u) => u.text)).size, s.length);
  // shuffled together: the first quarter already holds two intents
  assert.ok(new Set(s.slice(0, 20).map((u) => u.intents[0])).size >= 2);
});

test('the two folds split sentences by their spoken words: the same sentence however written falls in one fold, and both folds are used', () => {
  assert.equal(foldOf('Can I book Botox at 3pm?'), foldOf('can i book botox at three pm'));
  const folds = Array.from({ length: 200 }, (_, i) => foldOf(`sentence number ${i}`));
  const ones = folds.filter((f) => f === 1).length;
  assert.ok(ones > 60 && ones < 140, `${ones} of 200 in fold 1`);
});

test('only lines said in turns decoded with the language model are spoken: not texting, not yes/no read-backs, not over 30 words', () => {
  assert.equal(speakable(line('how much is botox', 'price')), true);
  assert.equal(speakable(line('yes please', 'yes', { after: 'confirm' })), false);
  assert.equal(speakable(line('how much is botox u guys', 'price', { source: 'texting:4' })), false);
  assert.equal(speakable(line(Array.from({ length: 31 }, () => 'word').join(' '), 'question')), false);
  assert.equal(speakable(line('thursday afternoon', 'inform', { after: 'when' })), true);
});
