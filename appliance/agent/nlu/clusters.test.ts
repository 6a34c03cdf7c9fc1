import assert from 'node:assert/strict';
import { test } from 'node:test';
import { seededRandom } from '../../shared/random.js';
import { deriveClusters, parseClusters, wordClusters, type VectorFile } from './clusters.js';
import { clusterFeatures } from './features.js';

/** A tiny vector file: three groups of words around three directions, one group split in two by a second direction. */
function tinyVectors(): VectorFile {
  const rand = seededRandom(7);
  const dims = 6;
  const words: string[] = ['the', 'of'];
  const vectors: Record<string, number[]> = {};
  const near = (axis: number[]): number[] => axis.map((a) => a + (rand() - 0.5) * 0.1);
  vectors.the = near([1, 1, 1, 1, 1, 1]);
  vectors.of = near([1, 1, 1, 1, 1, 0]);
  const groups: [string[], number[]][] = [
    [['cancel', 'postpone', 'scrap'], [5, 0, 0, 0, 0, 0]],
    [['cancelled', 'postponed'], [5, 1, 0, 0, 0, 0]],
    [['gift', 'present', 'voucher'], [0, 0, 5, 0, 0, 0]],
    [['baby', 'newborn', 'infant'], [0, 0, 0, 0, 5, 0]],
  ];
  for (const [list, axis] of groups) for (const w of list) {
    vectors[w] = [...near(axis)];
    words.push(w);
  }
  vectors['x-ray'] = near([0, 0, 0, 5, 0, 0]);
  words.push('x-ray', 'rare');
  vectors.rare = near([0, 0, 0, 0, 0, 5]);
  return { dimensions: dims, words, vectors: Object.fromEntries(Object.entries(vectors).map(([w, v]) => [w, [...v, 1, 0]])) };
}

test('deriving clusters groups words of like vectors, leaves out the most frequent and non-words, and is deterministic', () => {
  const opt = { branching: [4, 2], top: 11, skipTop: 2, extra: ['rare', 'unknownword'], seed: 5 };
  const text = deriveClusters(tinyVectors(), opt, ['tiny test vectors']);
  assert.equal(deriveClusters(tinyVectors(), opt, ['tiny test vectors']), text);
  assert.match(text, /^# tiny test vectors\nlevels: 4 2\n/);
  const c = parseClusters(text);
  assert.deepEqual(c.levels, [4, 8]);
  assert.equal(c.of('the'), undefined, 'a most frequent word is left out');
  assert.equal(c.of('x-ray'), undefined, 'not a word');
  assert.equal(c.of('unknownword'), undefined, 'no vector');
  assert.ok(c.of('rare'), 'an extra word is taken');
  const top = (w: string): number => c.of(w)?.[0] ?? -1;
  assert.equal(top('cancel'), top('postpone'));
  assert.equal(top('cancel'), top('cancelled'));
  assert.equal(top('gift'), top('present'));
  assert.equal(top('baby'), top('newborn'));
  assert.notEqual(top('cancel'), top('gift'));
  assert.notEqual(top('gift'), top('baby'));
  // The second level splits the cancel group along its second direction.
  assert.notEqual(c.of('cancel')?.[1], c.of('cancelled')?.[1]);
  assert.equal(c.of('cancelled')?.[1], c.of('postponed')?.[1]);
});

test('the clusters file reader derives the coarser levels from the finest number and refuses a file without levels', () => {
  const c = parseClusters('# header\nlevels: 2 3\nalpha 5\nbeta 0\n');
  assert.deepEqual(c.levels, [2, 6]);
  assert.deepEqual(c.of('alpha'), [1, 5]);
  assert.deepEqual(c.of('beta'), [0, 0]);
  assert.equal(c.of('gamma'), undefined);
  assert.throws(() => parseClusters('alpha 5\n'), /levels/);
  assert.throws(() => parseClusters('levels: 2\nalpha\n'), /bad line/);
});

test('the committed clusters put paraphrases together and give cluster features for known words only', () => {
  const c = wordClusters();
  assert.deepEqual(c.levels, [128, 512, 2048]);
  assert.equal(c.of('cancel')?.[1], c.of('postpone')?.[1]);
  assert.equal(c.of('newborn')?.[0], c.of('infant')?.[0]);
  assert.deepEqual(clusterFeatures(['svc', 'the']), []);
  assert.equal(clusterFeatures(['cancel']).length, 3);
});
