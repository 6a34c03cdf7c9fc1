import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';
import { writeArpa } from './backoff-lm.js';
import { genericSlice } from './generic-slice.js';
import { estimateKneserNey } from './kneser-ney.js';
import { SphinxTrieLm } from './sphinx-trie.js';

const run = promisify(execFile);
let dir = '';
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'spa-trie-test-'));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

const CORPUS = ['i would like botox', 'i would like a peel', 'would you like a peel', 'a peel please', 'botox please', 'no thanks', 'i like it'];

test('a model sphinx_lm_convert wrote as a binary trie reads back with the same n-grams and probabilities', async () => {
  const lm = estimateKneserNey(CORPUS.map((s) => s.split(' ')), { order: 3 });
  await writeFile(join(dir, 'small.arpa'), writeArpa(lm));
  await run('sphinx_lm_convert', ['-i', join(dir, 'small.arpa'), '-o', join(dir, 'small.lm.bin')]);
  const trie = new SphinxTrieLm(await readFile(join(dir, 'small.lm.bin')));
  assert.equal(trie.order, 3);
  assert.deepEqual(trie.counts.slice(0, 1), lm.counts().slice(0, 1));
  for (const [i, w] of trie.words.entries()) {
    const id = lm.vocab.find(w);
    assert.ok(id !== undefined, w);
    const node = lm.node([id]);
    assert.ok(Math.abs(trie.unigram(i).logProb - (node?.logProb ?? NaN)) < 1e-3, `p(${w})`);
  }
  const seen = new Set<string>();
  trie.forEachNgram(
    () => true,
    (g) => {
      const words = g.words.map((i) => trie.words[i] as string);
      const node = lm.node(words.map((w) => lm.vocab.find(w) ?? -1));
      assert.ok(node, `${words.join(' ')} is in the model`);
      assert.ok(Math.abs(g.logProb - node.logProb) < 1e-3, `p(${words.join(' ')}): ${g.logProb} vs ${node.logProb}`);
      if (g.backoff !== undefined) assert.ok(Math.abs(g.backoff - node.backoff) < 1e-3, `backoff(${words.join(' ')})`);
      seen.add(words.join(' '));
    },
  );
  const explicit = lm.counts().slice(1).reduce((a, b) => a + b, 0);
  assert.equal(seen.size, explicit, 'every bigram and trigram, each once');
});

test('Debian\'s en-us model reads: 72,547 words whose unigram probabilities sum to one', async () => {
  const trie = new SphinxTrieLm(await readFile('/usr/share/pocketsphinx/model/en-us/en-us.lm.bin'));
  assert.equal(trie.order, 3);
  assert.equal(trie.words.length, 72547);
  let sum = 0;
  for (let i = 0; i < trie.words.length; i++) sum += 10 ** trie.unigram(i).logProb;
  assert.ok(Math.abs(sum - 1) < 1e-3, `sum ${sum}`);
  assert.ok((trie.id('the') ?? -1) >= 0 && trie.unigram(trie.id('the') ?? 0).logProb > -2, '"the" is among the most frequent words');
});

test('the generic slice keeps every unigram, the top words\' strongest n-grams within the limits, and each kept trigram\'s prefix', async () => {
  const lm = estimateKneserNey(CORPUS.map((s) => s.split(' ')), { order: 3 });
  await writeFile(join(dir, 'slice.arpa'), writeArpa(lm));
  await run('sphinx_lm_convert', ['-i', join(dir, 'slice.arpa'), '-o', join(dir, 'slice.lm.bin')]);
  const trie = new SphinxTrieLm(await readFile(join(dir, 'slice.lm.bin')));
  const top = new Set([...trie.words.keys()].sort((a, b) => trie.unigram(b).logProb - trie.unigram(a).logProb).filter((i) => trie.words[i] !== '<s>').slice(0, 8).map((i) => trie.words[i]));
  top.add('<s>');
  const candidates = [0, 0, 0, 0];
  trie.forEachNgram((i) => top.has(trie.words[i]), (g) => (candidates[g.words.length] = (candidates[g.words.length] ?? 0) + 1));
  assert.ok((candidates[2] ?? 0) > 4 && (candidates[3] ?? 0) > 2, `enough candidates to prune: ${candidates.join()}`);
  const slice = genericSlice(trie, { topWords: 8, maxBigrams: 4, maxTrigrams: 2 });
  const [unigrams, bigrams, trigrams] = slice.counts() as [number, number, number];
  assert.equal(unigrams, trie.words.length);
  assert.equal(trigrams, 2);
  assert.ok(bigrams >= 4 && bigrams <= 6, `${bigrams} bigrams: 4 by score plus the trigrams' prefixes`);
  slice.forEachOfOrder(3, (ids) => assert.ok(slice.node(ids.slice(0, 2)), 'prefix kept'));
  for (const n of [2, 3]) slice.forEachOfOrder(n, (ids) => assert.ok(ids.every((id) => top.has(slice.vocab.word(id))), 'only top words in n-grams'));
});
