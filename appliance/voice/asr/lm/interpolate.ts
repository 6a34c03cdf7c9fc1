// Linear interpolation of back-off language models into one back-off model over a chosen
// vocabulary (what SRILM's `ngram -mix-lm` writes): pocketsphinx decodes with one model, and its
// command line has no way to mix two (an -lmctl file selects one of its models, it does not mix
// them). Pure.
//
// The result's explicit n-grams are the union of the components' explicit n-grams whose words are
// all in the vocabulary (with their prefixes, which carry the back-off weights). Each gets
//   p(w | h) = sum_k weight_k * p_k(w | h)     (each p_k by its own back-off),
// the unigrams are renormalised over the vocabulary, and every context's back-off weight is
// recomputed so that its distribution sums to one over the vocabulary:
//   backoff(h) = (1 - sum_{w explicit after h} p(w | h)) / (1 - sum_{w explicit after h} p(w | h')),
// h' being h without its oldest word. Probability the components gave to words outside the
// vocabulary is spread by the back-off, like any unseen word's.
import { BackoffLm, BOS, EOS, NEVER, type LmNode } from './backoff-lm.js';

export interface MixComponent {
  lm: BackoffLm;
  weight: number;
}

const TINY = 1e-9;

export function interpolate(components: readonly MixComponent[], opts: { vocabulary: Iterable<string>; order?: number }): BackoffLm {
  const totalWeight = components.reduce((s, c) => s + c.weight, 0);
  const first = components[0];
  if (!first || !(totalWeight > 0)) throw new RangeError('interpolation needs components with positive weights');
  const vocab = first.lm.vocab;
  if (components.some((c) => c.lm.vocab !== vocab)) throw new RangeError('interpolated models must share one Vocabulary');
  const parts = components.map((c) => ({ lm: c.lm, weight: c.weight / totalWeight })).filter((c) => c.weight > 0);
  const order = opts.order ?? Math.max(...components.map((c) => c.lm.order));
  const bos = vocab.id(BOS);
  const words = new Set([...opts.vocabulary].map((w) => vocab.id(w)));
  words.add(vocab.id(EOS));
  words.delete(bos);
  /** The mixture's probability of words after one context. */
  const mixedAfter = (context: readonly number[]): ((word: number) => number) => {
    const scorers = parts.map(({ lm, weight }) => ({ score: lm.scorer(context), weight }));
    return (word) => {
      let p = 0;
      for (const { score, weight } of scorers) {
        const lp = score(word);
        if (lp > NEVER) p += weight * 10 ** lp;
      }
      return p;
    };
  };

  const out = new BackoffLm(order, vocab);
  const unigram = mixedAfter([]);
  const uni = new Map<number, number>();
  let z = 0;
  for (const w of words) {
    const p = unigram(w);
    if (p > 0) {
      uni.set(w, p);
      z += p;
    }
  }
  for (const [w, p] of uni) out.set([w], Math.log10(p / z));
  out.set([bos], NEVER);

  // Order by order: each context of the union of the components' explicit n-grams (walked in
  // step, no copy of it made), its explicit words' mixed probabilities and its back-off weight.
  const known = (id: number): boolean => id === bos || uni.has(id);
  const context: number[] = [];
  const roots = parts.map((p) => p.lm.root);
  const unionKeys = (levels: readonly (Map<number, LmNode> | null | undefined)[]): number[] => {
    const keys = new Set<number>();
    for (const level of levels) if (level) for (const id of level.keys()) if (known(id)) keys.add(id);
    return [...keys];
  };
  for (let n = 2; n <= order; n++) {
    const atDepth = (levels: readonly (Map<number, LmNode> | null | undefined)[], depth: number): void => {
      for (const id of unionKeys(levels)) {
        context[depth] = id;
        context.length = depth + 1;
        const below = levels.map((level) => level?.get(id)?.children);
        if (depth < n - 2) {
          atDepth(below, depth + 1);
          continue;
        }
        const next = unionKeys(below);
        if (next.length === 0) continue;
        const probs = next.map(mixedAfter(context));
        let explicit = probs.reduce((sum, p) => sum + p, 0);
        const shorter = out.scorer(context.slice(1));
        const lowerMass = next.reduce((sum, w) => sum + 10 ** shorter(w), 0);
        let backoff: number;
        if (1 - lowerMass < TINY || 1 - explicit < TINY) {
          // Nothing left to back off to (or nothing to give): the explicit words take it all.
          for (let i = 0; i < probs.length; i++) probs[i] = (probs[i] as number) / explicit;
          explicit = 1;
          backoff = NEVER;
        } else {
          backoff = Math.log10((1 - explicit) / (1 - lowerMass));
        }
        const own = out.node(context) as LmNode;
        own.backoff = backoff;
        next.forEach((w, i) => out.setChild(own, w, Math.log10(probs[i] as number)));
      }
    };
    atDepth(roots, 0);
  }
  return out;
}
