// The part of the generic English model the spa's model is mixed with: every unigram (so any
// catalogue word the generic model knows keeps its everyday probability), and the bigrams and
// trigrams among its most frequent words that matter most. "Matter" is Stolcke's pruning
// criterion, approximated without re-estimation: how much keeping the n-gram changes the model,
//   P(h) * p(w | h) * |log p(w | h) - log(backoff(h) * p(w | h'))|,
// with P(h) the context's own probability by the chain rule. The result depends only on the
// generic model and the sizes asked for, so it is computed once per machine and cached.
import { BackoffLm, BOS, NEVER, Vocabulary } from './backoff-lm.js';
import type { SphinxTrieLm } from './sphinx-trie.js';

export interface GenericSliceOptions {
  /** How many of the generic model's most frequent words may appear in its bigrams and trigrams. */
  topWords: number;
  maxBigrams: number;
  maxTrigrams: number;
}

const SHIFT = 2 ** 17;

/** The pruned generic model (orders 1-3) as a back-off model. */
export function genericSlice(trie: SphinxTrieLm, opts: GenericSliceOptions, vocab: Vocabulary = new Vocabulary()): BackoffLm {
  const nWords = trie.words.length;
  if (nWords >= SHIFT) throw new RangeError(`generic model has ${nWords} words; at most ${SHIFT - 1} supported`);
  const uni = Array.from({ length: nWords }, (_v, id) => trie.unigram(id));
  const ranked = uni.map((u, id) => ({ id, p: u.logProb })).filter((x) => trie.words[x.id] !== BOS).sort((a, b) => b.p - a.p);
  const top = new Set(ranked.slice(0, opts.topWords).map((x) => x.id));
  const bos = trie.id(BOS);
  if (bos !== undefined) top.add(bos);

  const bigrams = new Map<number, { logProb: number; backoff: number }>();
  const trigrams: { a: number; b: number; c: number; logProb: number }[] = [];
  trie.forEachNgram(
    (id) => top.has(id),
    (g) => {
      const [a, b, c] = g.words as [number, number, number?];
      if (c === undefined) bigrams.set(a * SHIFT + b, { logProb: g.logProb, backoff: g.backoff ?? 0 });
      else trigrams.push({ a, b, c, logProb: g.logProb });
    },
  );
  const p1 = (id: number): number => (uni[id] as { logProb: number }).logProb;
  const bo1 = (id: number): number => (uni[id] as { backoff: number }).backoff;
  const p2 = (a: number, b: number): number => bigrams.get(a * SHIFT + b)?.logProb ?? bo1(a) + p1(b);
  const contextLogProb1 = (a: number): number => (a === bos ? 0 : p1(a));

  const bigramScores = [...bigrams].map(([key, e]) => {
    const a = Math.floor(key / SHIFT);
    const b = key % SHIFT;
    const backedOff = bo1(a) + p1(b);
    return { key, score: 10 ** (contextLogProb1(a) + e.logProb) * Math.abs(e.logProb - backedOff) };
  });
  const trigramScores = trigrams.map((t, i) => {
    const backedOff = (bigrams.get(t.a * SHIFT + t.b)?.backoff ?? 0) + p2(t.b, t.c);
    return { i, score: 10 ** (contextLogProb1(t.a) + p2(t.a, t.b) + t.logProb) * Math.abs(t.logProb - backedOff) };
  });
  const keptTrigrams = trigramScores.sort((x, y) => y.score - x.score).slice(0, opts.maxTrigrams).map((s) => trigrams[s.i] as (typeof trigrams)[number]);
  const keptBigrams = new Set(bigramScores.sort((x, y) => y.score - x.score).slice(0, opts.maxBigrams).map((s) => s.key));
  for (const t of keptTrigrams) keptBigrams.add(t.a * SHIFT + t.b); // a trigram's prefix carries its back-off

  const lm = new BackoffLm(3, vocab);
  const ids = trie.words.map((w) => vocab.id(w));
  const id = (generic: number): number => ids[generic] as number;
  uni.forEach((u, g) => lm.set([id(g)], trie.words[g] === BOS ? NEVER : u.logProb, u.backoff));
  for (const key of keptBigrams) {
    const e = bigrams.get(key);
    if (e) lm.set([id(Math.floor(key / SHIFT)), id(key % SHIFT)], e.logProb, e.backoff);
  }
  for (const t of keptTrigrams) lm.set([id(t.a), id(t.b), id(t.c)], t.logProb);
  return lm;
}
